/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2), the
 * fields of Cilium's policy language reference: a rule set under spec (or
 * each of specs), its sections, the L3 and L4 fields of a rule.
 */
import { labelSelector, objectMeta, type JsonSchema } from './common.js';

const selectors: JsonSchema = { type: 'array', items: labelSelector };
const strings: JsonSchema = { type: 'array', items: { type: 'string' } };
const cidrSet: JsonSchema = {
  type: 'array',
  items: { type: 'object', additionalProperties: false, properties: { cidr: { type: 'string' }, except: strings, cidrGroupRef: { type: 'string' }, cidrGroupSelector: labelSelector } },
};
const portProtocol: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { port: { type: ['string', 'integer'] }, endPort: { type: 'integer' }, protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP', 'ANY'] } },
};
const toPorts: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    properties: { ports: { type: 'array', items: portProtocol }, rules: { type: 'object' }, terminatingTLS: { type: 'object' }, originatingTLS: { type: 'object' }, serverNames: strings, listener: { type: 'object' } },
  },
};
const common: Record<string, JsonSchema> = { toPorts, icmps: { type: 'array' }, authentication: { type: 'object' } };

const ingressRule: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...common, fromEndpoints: selectors, fromRequires: selectors, fromEntities: strings, fromCIDR: strings, fromCIDRSet: cidrSet, fromNodes: selectors, fromGroups: { type: 'array' } },
};
const egressRule: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...common,
    toEndpoints: selectors,
    toRequires: selectors,
    toEntities: strings,
    toCIDR: strings,
    toCIDRSet: cidrSet,
    toNodes: selectors,
    toGroups: { type: 'array' },
    toServices: { type: 'array' },
    toFQDNs: { type: 'array' },
  },
};

const ruleSet: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    endpointSelector: labelSelector,
    nodeSelector: labelSelector,
    ingress: { type: ['array', 'null'], items: ingressRule },
    ingressDeny: { type: ['array', 'null'], items: ingressRule },
    egress: { type: ['array', 'null'], items: egressRule },
    egressDeny: { type: ['array', 'null'], items: egressRule },
    enableDefaultDeny: { type: 'object', additionalProperties: false, properties: { ingress: { type: 'boolean' }, egress: { type: 'boolean' } } },
    labels: { type: 'array' },
    description: { type: 'string' },
    log: { type: 'object' },
  },
};

const policySchema = (kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy', file: string): JsonSchema => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `https://netlens.dev/schemas/${file}`,
  title: `${kind} (cilium.io/v2)`,
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  properties: { apiVersion: { const: 'cilium.io/v2' }, kind: { const: kind }, metadata: objectMeta, spec: ruleSet, specs: { type: 'array', items: ruleSet }, status: { type: 'object' } },
});

export const ciliumNetworkPolicySchema = policySchema('CiliumNetworkPolicy', 'cilium-networkpolicy.schema.json');
export const ciliumClusterwideNetworkPolicySchema = policySchema('CiliumClusterwideNetworkPolicy', 'cilium-clusterwidenetworkpolicy.schema.json');
