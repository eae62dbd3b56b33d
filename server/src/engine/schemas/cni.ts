/**
 * CNI network configuration (the CNI spec's "network configuration" and
 * single-plugin forms). Plugins take their own keys, so unknown keys are
 * allowed; the keys the spec and the reference plugins define are typed.
 */
import type { JsonSchema } from './common.js';

const cidr: JsonSchema = { type: 'string', description: 'A CIDR such as 10.22.0.0/16.' };
const ip: JsonSchema = { type: 'string', description: 'An IPv4 or IPv6 address.' };

const route: JsonSchema = {
  type: 'object',
  required: ['dst'],
  properties: { dst: cidr, gw: ip },
};

const hostLocalRange: JsonSchema = {
  type: 'object',
  required: ['subnet'],
  properties: { subnet: cidr, rangeStart: ip, rangeEnd: ip, gateway: ip },
};

// No required keys: `"ipam": {}` is how the reference plugins' docs say "no IPAM".
const ipam: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', description: 'The IPAM plugin: host-local, static, dhcp, or a third-party one.' },
    ranges: { type: 'array', description: 'host-local: a list of range sets; each set is a list of ranges.', items: { type: 'array', items: hostLocalRange } },
    subnet: cidr,
    rangeStart: ip,
    rangeEnd: ip,
    gateway: ip,
    routes: { type: 'array', items: route },
    addresses: { type: 'array', description: 'static: the addresses to assign.', items: { type: 'object', required: ['address'], properties: { address: { type: 'string' }, gateway: ip } } },
    dataDir: { type: 'string' },
  },
};

const plugin: JsonSchema = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', description: 'The plugin binary: bridge, ptp, macvlan, ipvlan, portmap, bandwidth, tuning, firewall, calico, flannel, cilium-cni, ...' },
    name: { type: 'string' },
    cniVersion: { type: 'string' },
    mtu: { type: 'integer', minimum: 68, maximum: 65535 },
    ipam,
    dns: { type: 'object', properties: { nameservers: { type: 'array', items: { type: 'string' } }, domain: { type: 'string' }, search: { type: 'array', items: { type: 'string' } }, options: { type: 'array', items: { type: 'string' } } } },
    capabilities: { type: 'object', additionalProperties: { type: 'boolean' } },
    bridge: { type: 'string' },
    isGateway: { type: 'boolean' },
    isDefaultGateway: { type: 'boolean' },
    ipMasq: { type: 'boolean' },
    hairpinMode: { type: 'boolean' },
    master: { type: 'string' },
    mode: { type: 'string' },
    delegate: { type: 'object' },
  },
};

export const cniSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'CNI network configuration',
  description: 'A CNI network configuration list (.conflist) or a single-plugin configuration (.conf).',
  type: 'object',
  // cniVersion is required by the spec, but runtimes accept configs without it (the plugin docs omit it).
  properties: {
    cniVersion: { type: 'string', enum: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'], description: 'The CNI spec version the configuration follows.' },
    cniVersions: { type: 'array', items: { type: 'string' } },
    name: { type: 'string', description: 'The network name, unique on the host.' },
    disableCheck: { type: 'boolean' },
    disableGC: { type: 'boolean' },
    plugins: { type: 'array', items: plugin, description: 'The plugins, run in order on ADD and in reverse on DEL.' },
    ...(plugin['properties'] as Record<string, JsonSchema>),
  },
  anyOf: [{ required: ['plugins'] }, { required: ['type'] }],
};
