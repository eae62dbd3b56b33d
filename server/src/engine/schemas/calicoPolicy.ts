/**
 * Calico NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3, also
 * served as crd.projectcalico.org/v1), the fields of Calico's resource
 * reference. Selectors are strings in Calico's selector language, which
 * buildCalicoPolicy.ts parses and reports on; the schema checks the shape.
 */
import { objectMeta, type JsonSchema } from './common.js';

const selector: JsonSchema = { type: 'string', description: 'A Calico selector expression, e.g. role == "db" && has(tier).' };
const protocol: JsonSchema = { type: ['string', 'integer'], description: 'TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite, or a protocol number 1-255.' };
const ports: JsonSchema = { type: 'array', items: { type: ['integer', 'string'], description: 'A port, a range "min:max", or a port name.' } };
const nets: JsonSchema = { type: 'array', items: { type: 'string', description: 'A CIDR.' } };

const entityRule: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    nets,
    notNets: nets,
    selector,
    notSelector: selector,
    namespaceSelector: selector,
    ports,
    notPorts: ports,
    serviceAccounts: { type: 'object', additionalProperties: false, properties: { names: { type: 'array', items: { type: 'string' } }, selector } },
    services: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, namespace: { type: 'string' } } },
    domains: { type: 'array', items: { type: 'string' } },
  },
};

const icmp: JsonSchema = { type: 'object', additionalProperties: false, properties: { type: { type: 'integer' }, code: { type: 'integer' } } };

const rule: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { type: 'string', enum: ['Allow', 'Deny', 'Log', 'Pass'] },
    protocol,
    notProtocol: protocol,
    ipVersion: { type: 'integer', enum: [4, 6] },
    icmp,
    notICMP: icmp,
    source: entityRule,
    destination: entityRule,
    http: { type: 'object' },
    metadata: { type: 'object' },
  },
};

const spec = (global: boolean): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    tier: { type: 'string' },
    order: { type: 'number' },
    selector,
    serviceAccountSelector: selector,
    ...(global ? { namespaceSelector: selector, doNotTrack: { type: 'boolean' }, preDNAT: { type: 'boolean' }, applyOnForward: { type: 'boolean' } } : {}),
    types: { type: 'array', items: { type: 'string', enum: ['Ingress', 'Egress'] } },
    ingress: { type: 'array', items: rule },
    egress: { type: 'array', items: rule },
    performanceHints: { type: 'array', items: { type: 'string' } },
  },
});

const policySchema = (kind: 'NetworkPolicy' | 'GlobalNetworkPolicy', file: string): JsonSchema => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `https://netlens.dev/schemas/${file}`,
  title: `Calico ${kind} (projectcalico.org/v3)`,
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { enum: ['projectcalico.org/v3', 'crd.projectcalico.org/v1'] },
    kind: { const: kind },
    metadata: objectMeta,
    spec: spec(kind === 'GlobalNetworkPolicy'),
  },
});

export const calicoNetworkPolicySchema = policySchema('NetworkPolicy', 'calico-networkpolicy.schema.json');
export const calicoGlobalNetworkPolicySchema = policySchema('GlobalNetworkPolicy', 'calico-globalnetworkpolicy.schema.json');
