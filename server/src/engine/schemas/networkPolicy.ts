/** networking.k8s.io/v1 NetworkPolicy, as the API server validates it. */
import { intOrString, labelSelector, objectMeta, portNumber, protocol, type JsonSchema } from './common.js';

const peer: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    podSelector: labelSelector,
    namespaceSelector: labelSelector,
    ipBlock: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['cidr'],
      properties: { cidr: { type: 'string' }, except: { type: ['array', 'null'], items: { type: 'string' } } },
    },
  },
};

const port: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { protocol, port: intOrString, endPort: portNumber },
};

const rule = (peersKey: 'from' | 'to'): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: { [peersKey]: { type: ['array', 'null'], items: peer }, ports: { type: ['array', 'null'], items: port } },
});

export const networkPolicySchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://netlens.dev/schemas/networkpolicy.schema.json',
  title: 'Kubernetes NetworkPolicy (networking.k8s.io/v1)',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'networking.k8s.io/v1' },
    kind: { const: 'NetworkPolicy' },
    metadata: objectMeta,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['podSelector'],
      properties: {
        podSelector: labelSelector,
        policyTypes: { type: ['array', 'null'], items: { type: 'string', enum: ['Ingress', 'Egress'] } },
        ingress: { type: ['array', 'null'], items: rule('from') },
        egress: { type: ['array', 'null'], items: rule('to') },
      },
    },
    status: { type: 'object' },
  },
};
