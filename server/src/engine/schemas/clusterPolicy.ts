/**
 * policy.networking.k8s.io cluster-wide policies, as their CRDs validate them
 * (field names, enums, limits from the API types of kubernetes-sigs/network-policy-api):
 * v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, v1alpha2 ClusterNetworkPolicy.
 */
import { labelSelector, objectMeta, portNumber, protocol, type JsonSchema } from './common.js';

const exactlyOne = { minProperties: 1, maxProperties: 1 } as const;

/** Shared pieces are definitions, referred to: ajv then compiles each once, not once per place (the schemas are compiled when first needed, in the editor too). */
const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });
const selectorRef = ref('labelSelector');

const namespacedPod: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['podSelector'],
  properties: { namespaceSelector: selectorRef, podSelector: selectorRef },
};

const subject: JsonSchema = { type: 'object', additionalProperties: false, ...exactlyOne, properties: { namespaces: selectorRef, pods: ref('namespacedPod') } };

const cidrList: JsonSchema = { type: 'array', minItems: 1, maxItems: 25, items: { type: 'string', maxLength: 43 } };

const peer = (egress: boolean, domainNames: boolean): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  ...exactlyOne,
  properties: {
    namespaces: selectorRef,
    pods: ref('namespacedPod'),
    ...(egress ? { nodes: selectorRef, networks: cidrList } : {}),
    ...(egress && domainNames ? { domainNames: { type: 'array', minItems: 1, maxItems: 25, items: { type: 'string' } } } : {}),
  },
});

/** v1alpha1 ports: portNumber, namedPort or portRange. */
const v1alpha1Port: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  ...exactlyOne,
  properties: {
    portNumber: { type: 'object', additionalProperties: false, required: ['protocol', 'port'], properties: { protocol, port: portNumber } },
    namedPort: { type: 'string' },
    portRange: { type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { protocol, start: portNumber, end: portNumber } },
  },
};

const destinationPort: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  ...exactlyOne,
  properties: {
    number: portNumber,
    range: { type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { start: portNumber, end: portNumber } },
  },
};

const protocolMatch: JsonSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: { destinationPort } };

/** v1alpha2 protocols: tcp, udp, sctp or destinationNamedPort. */
const v1alpha2Protocol: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  ...exactlyOne,
  properties: { tcp: protocolMatch, udp: protocolMatch, sctp: protocolMatch, destinationNamedPort: { type: 'string' } },
};

interface Generation {
  readonly actions: readonly string[];
  readonly portsKey: 'ports' | 'protocols';
  readonly port: JsonSchema;
  readonly maxItems: number;
  readonly domainNames: boolean;
}

const rule = (g: Generation, peersKey: 'from' | 'to'): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['action', peersKey],
  properties: {
    name: { type: 'string', maxLength: 100 },
    action: { type: 'string', enum: [...g.actions] },
    [peersKey]: { type: 'array', minItems: 1, maxItems: g.maxItems, items: ref(peersKey === 'to' ? 'egressPeer' : 'ingressPeer') },
    [g.portsKey]: { type: 'array', minItems: 1, maxItems: g.maxItems, items: ref('port') },
  },
});

function policySchema(kind: string, apiVersion: string, g: Generation, spec: JsonSchema, required: readonly string[], metadata: JsonSchema = objectMeta): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://netlens.dev/schemas/${kind.toLowerCase()}.schema.json`,
    title: `${kind} (${apiVersion})`,
    definitions: { labelSelector, namespacedPod, ingressPeer: peer(false, g.domainNames), egressPeer: peer(true, g.domainNames), port: g.port },
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata,
      spec: {
        type: 'object',
        additionalProperties: false,
        required: [...required],
        properties: {
          ...spec,
          subject,
          ingress: { type: 'array', maxItems: g.maxItems, items: rule(g, 'from') },
          egress: { type: 'array', maxItems: g.maxItems, items: rule(g, 'to') },
        },
      },
      status: { type: 'object' },
    },
  };
}

const priority: JsonSchema = { type: 'integer', minimum: 0, maximum: 1000 };
const V1ALPHA1 = { portsKey: 'ports', port: v1alpha1Port, maxItems: 100 } as const;

export const adminNetworkPolicySchema = policySchema(
  'AdminNetworkPolicy',
  'policy.networking.k8s.io/v1alpha1',
  { ...V1ALPHA1, actions: ['Allow', 'Deny', 'Pass'], domainNames: true },
  { priority },
  ['priority', 'subject'],
);

export const baselineAdminNetworkPolicySchema = policySchema(
  'BaselineAdminNetworkPolicy',
  'policy.networking.k8s.io/v1alpha1',
  { ...V1ALPHA1, actions: ['Allow', 'Deny'], domainNames: false },
  {},
  ['subject'],
  // The API admits one baseline policy, named default.
  { ...objectMeta, properties: { ...(objectMeta['properties'] as object), name: { type: 'string', enum: ['default'] } } },
);

export const clusterNetworkPolicySchema = policySchema(
  'ClusterNetworkPolicy',
  'policy.networking.k8s.io/v1alpha2',
  { actions: ['Accept', 'Deny', 'Pass'], portsKey: 'protocols', port: v1alpha2Protocol, maxItems: 25, domainNames: true },
  { tier: { type: 'string', enum: ['Admin', 'Baseline'] }, priority },
  ['tier', 'priority', 'subject'],
);
