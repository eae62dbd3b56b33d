/**
 * A local JSON schema for the kinds the benchmark generates, for
 * yaml-language-server (it cannot download the Kubernetes schema here).
 * NetworkPolicy and Service are the engine's own schemas; the rest are
 * small but real shapes of the upstream API.
 */
import { networkPolicySchema, serviceSchema, type JsonSchema } from '../../server/src/engine/schemas/index.js';

const meta: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } }, annotations: { type: 'object', additionalProperties: { type: 'string' } } },
};

const containerPort: JsonSchema = {
  type: 'object',
  required: ['containerPort'],
  additionalProperties: false,
  properties: { name: { type: 'string' }, containerPort: { type: 'integer', minimum: 1, maximum: 65535 }, protocol: { enum: ['TCP', 'UDP', 'SCTP'] }, hostPort: { type: 'integer' }, hostIP: { type: 'string' } },
};

const podSpec: JsonSchema = {
  type: 'object',
  required: ['containers'],
  properties: {
    containers: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, image: { type: 'string' }, ports: { type: 'array', items: containerPort } } } },
    hostNetwork: { type: 'boolean' },
  },
};

const workloadSpec: JsonSchema = {
  type: 'object',
  required: ['selector', 'template'],
  properties: {
    replicas: { type: 'integer', minimum: 0 },
    serviceName: { type: 'string' },
    selector: { type: 'object' },
    template: { type: 'object', properties: { metadata: meta, spec: podSpec } },
  },
};

function kind(name: string, spec: JsonSchema | undefined): JsonSchema {
  return {
    if: { properties: { kind: { const: name } }, required: ['kind'] },
    then: spec === undefined ? { properties: { metadata: meta } } : { properties: { metadata: meta, spec } },
  };
}

export function kubernetesSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Kubernetes objects (benchmark subset)',
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' } },
    allOf: [
      kind('Namespace', undefined),
      kind('Deployment', workloadSpec),
      kind('StatefulSet', workloadSpec),
      { if: { properties: { kind: { const: 'NetworkPolicy' } }, required: ['kind'] }, then: networkPolicySchema },
      { if: { properties: { kind: { const: 'Service' } }, required: ['kind'] }, then: serviceSchema },
    ],
  };
}
