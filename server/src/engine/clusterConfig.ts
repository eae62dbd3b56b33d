/**
 * Cluster network configuration: CNI network configs (.conflist/.conf JSON,
 * and the same JSON embedded in Multus NetworkAttachmentDefinitions and
 * flannel's ConfigMap), flannel net-conf, Calico IPPool and operator
 * Installation, kubeadm ClusterConfiguration, kind Cluster, kube-proxy
 * configuration and Node objects. Each is read into ClusterFacts (ranges by
 * role, overlays, MTUs, the CNI it names, the proxy mode) with findings about
 * the config itself; clusterChecks.ts judges the facts of all files together.
 */
import { isScalar, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import { parseIP, parsePrefix, type IPAddress, type Prefix } from './cidr.js';
import { appendAll } from './findingCap.js';
import { finding, type Finding } from './rules.js';
import { findJsonProblem } from './strictJson.js';
import { schemaFindings } from './schemaCheck.js';
import type { SourceSpan } from './source.js';
import { overlappingPairs, type SweepInterval } from './sweep.js';
import { entries, get, integer, items, spanOf, text, type NodeContext } from './yamlNodes.js';

/** pod: the pod network; service: ClusterIPs; node: node addresses; attachment: a secondary (Multus) network. */
export type NetworkRole = 'pod' | 'service' | 'node' | 'attachment';

export interface NetworkRange {
  readonly role: NetworkRole;
  readonly prefix: Prefix;
  readonly span: SourceSpan;
  /** Where it was read, in words: "kubeadm networking.podSubnet". */
  readonly origin: string;
  /** The prefix length each node gets from this range (flannel SubnetLen, Calico blockSize, kube-controller-manager's mask). */
  readonly perNodePrefix?: number;
}

export type Encapsulation = 'vxlan' | 'geneve' | 'ipip' | 'wireguard';

/** Bytes each encapsulation adds to a packet (IPv4 outer headers; IPv6 adds 20 more). */
export const ENCAPSULATION_OVERHEAD: Record<Encapsulation, number> = { vxlan: 50, geneve: 50, ipip: 20, wireguard: 60 };

export type CniName = 'calico' | 'cilium' | 'flannel' | 'weave' | 'canal' | 'kindnet' | 'antrea' | 'kube-router' | 'bridge' | 'ptp' | 'other';

/** CNIs that implement NetworkPolicy. flannel, bridge and ptp alone do not. */
export const ENFORCING_CNIS: ReadonlySet<CniName> = new Set(['calico', 'cilium', 'weave', 'canal', 'kindnet', 'antrea', 'kube-router']);

export interface Located<T> {
  readonly value: T;
  readonly span: SourceSpan;
  readonly origin: string;
}

export interface ClusterFacts {
  readonly ranges: NetworkRange[];
  readonly overlays: Array<Located<Encapsulation>>;
  readonly mtus: Array<Located<number>>;
  readonly cnis: Array<Located<CniName>>;
  readonly proxyModes: Array<Located<string>>;
}

export function emptyFacts(): ClusterFacts {
  return { ranges: [], overlays: [], mtus: [], cnis: [], proxyModes: [] };
}

/** CNI spec versions a current runtime accepts. */
export const CNI_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];

/** Plugins that only adjust what a main plugin set up: they cannot come first in a chain. */
const CHAINED_ONLY = new Set(['portmap', 'bandwidth', 'tuning', 'firewall', 'sbr', 'vrf']);

const CNI_BY_PLUGIN: Record<string, CniName> = {
  calico: 'calico',
  'cilium-cni': 'cilium',
  flannel: 'flannel',
  'weave-net': 'weave',
  antrea: 'antrea',
  'kube-router': 'kube-router',
  bridge: 'bridge',
  ptp: 'ptp',
};

interface Reader {
  readonly ctx: NodeContext;
  readonly findings: Finding[];
  readonly facts: ClusterFacts;
}

// ---- values -----------------------------------------------------------------

function readPrefix(r: Reader, node: Node | undefined, role: NetworkRole | undefined, origin: string, perNodePrefix?: number): Prefix | undefined {
  const value = text(r.ctx, node);
  if (value === undefined) return undefined;
  const span = spanOf(r.ctx, node);
  const parsed = parsePrefix(value.trim());
  if (!parsed.ok) {
    r.findings.push(finding('cidr-invalid', span, `${origin}: ${parsed.error}`));
    return undefined;
  }
  if (!parsed.value.isCanonical) {
    r.findings.push(finding('cidr-not-canonical', span, `${origin}: ${value} has host bits set; it means ${parsed.value.canonical().toString()}.`));
  }
  const prefix = parsed.value.canonical();
  if (role !== undefined) r.facts.ranges.push({ role, prefix, span, origin, ...(perNodePrefix !== undefined ? { perNodePrefix } : {}) });
  return prefix;
}

/** kubeadm, kind and kube-proxy take dual-stack ranges as one comma-separated string. */
function readPrefixList(r: Reader, node: Node | undefined, role: NetworkRole, origin: string, perNode: (p: Prefix) => number | undefined): void {
  const value = text(r.ctx, node);
  if (value === undefined || node === undefined) return;
  const base = spanOf(r.ctx, node);
  const raw = r.ctx.source.slice(base.start - r.ctx.offset, base.end - r.ctx.offset);
  let from = 0;
  for (const part of value.split(',')) {
    const at = raw.indexOf(part, from);
    from = at === -1 ? from : at + part.length;
    const span = at === -1 || r.ctx.mapOffset !== undefined ? base : { file: base.file, start: base.start + at + (part.length - part.trimStart().length), end: base.start + at + part.trimEnd().length };
    const parsed = parsePrefix(part.trim());
    if (!parsed.ok) {
      r.findings.push(finding('cidr-invalid', span, `${origin}: ${parsed.error}`));
      continue;
    }
    if (!parsed.value.isCanonical) r.findings.push(finding('cidr-not-canonical', span, `${origin}: ${part.trim()} has host bits set; it means ${parsed.value.canonical().toString()}.`));
    const prefix = parsed.value.canonical();
    const n = perNode(prefix);
    r.facts.ranges.push({ role, prefix, span, origin, ...(n !== undefined ? { perNodePrefix: n } : {}) });
  }
}

function readIP(r: Reader, node: Node | undefined, what: string): IPAddress | undefined {
  const value = text(r.ctx, node);
  if (value === undefined) return undefined;
  const parsed = parseIP(value.trim());
  if (!parsed.ok) {
    r.findings.push(finding('ip-invalid', spanOf(r.ctx, node), `${what}: ${parsed.error}`));
    return undefined;
  }
  return parsed.value;
}

// ---- CNI network configuration -------------------------------------------------

function cmp(a: IPAddress, b: IPAddress): number {
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** host-local's range sets: subnet, rangeStart, rangeEnd, gateway. */
interface HostLocalRange extends SweepInterval {
  readonly span: SourceSpan;
}

function readHostLocalRange(r: Reader, node: Node, role: NetworkRole, origin: string, seen: HostLocalRange[]): void {
  const subnetNode = get(r.ctx, node, 'subnet');
  const subnet = readPrefix(r, subnetNode, role, `${origin} subnet`);
  const start = readIP(r, get(r.ctx, node, 'rangeStart'), 'rangeStart');
  const end = readIP(r, get(r.ctx, node, 'rangeEnd'), 'rangeEnd');
  const gateway = readIP(r, get(r.ctx, node, 'gateway'), 'gateway');
  if (subnet === undefined) return;
  for (const [key, ip] of [['rangeStart', start], ['rangeEnd', end], ['gateway', gateway]] as const) {
    if (ip !== undefined && !subnet.contains(ip)) {
      r.findings.push(finding('ipam-address-outside-subnet', spanOf(r.ctx, get(r.ctx, node, key)), `${key} ${ip.toString()} is not inside the subnet ${subnet.toString()}.`, [{ span: spanOf(r.ctx, subnetNode), message: 'the subnet' }]));
    }
  }
  if (start !== undefined && end !== undefined && start.family === end.family && cmp(start, end) > 0) {
    r.findings.push(finding('ipam-range-reversed', spanOf(r.ctx, get(r.ctx, node, 'rangeStart')), `rangeStart ${start.toString()} comes after rangeEnd ${end.toString()}: the range is empty.`, [{ span: spanOf(r.ctx, get(r.ctx, node, 'rangeEnd')), message: 'rangeEnd' }]));
  }
  // With a bound outside the subnet or reversed, host-local rejects the range: nothing more to say about it.
  const inside = (ip: IPAddress | undefined) => ip === undefined || (ip.family === subnet.family && subnet.contains(ip));
  if (!inside(start) || !inside(end) || (start !== undefined && end !== undefined && cmp(start, end) > 0)) return;
  const first = start?.value ?? subnet.first;
  const last = end?.value ?? subnet.last;
  if (gateway !== undefined && (start !== undefined || end !== undefined) && gateway.family === subnet.family && first <= gateway.value && gateway.value <= last) {
    r.findings.push(finding('ipam-gateway-in-range', spanOf(r.ctx, get(r.ctx, node, 'gateway')), `The gateway ${gateway.toString()} lies inside the allocation range ${start?.toString() ?? subnet.toString()}-${end?.toString() ?? 'end of subnet'}; leave it out of rangeStart-rangeEnd.`));
  }
  seen.push({ first, last, key: subnet.family, group: '', span: spanOf(r.ctx, node) });
}

/**
 * Each range that overlaps earlier ones of the same IPAM configuration, once per
 * range, not once per pair: n identical ranges would otherwise make n²/2 findings.
 */
function reportIpamOverlaps(r: Reader, ranges: readonly HostLocalRange[]): void {
  const earlierOf = new Map<number, number[]>();
  for (const [earlier, later] of overlappingPairs(ranges, false)) {
    const list = earlierOf.get(later);
    if (list === undefined) earlierOf.set(later, [earlier]);
    else list.push(earlier);
  }
  for (const later of [...earlierOf.keys()].sort((a, b) => a - b)) {
    const others = earlierOf.get(later)!.sort((a, b) => a - b);
    const count = others.length === 1 ? 'another range' : `${others.length} earlier ranges`;
    const related = others.slice(0, 3).map((earlier) => ({ span: ranges[earlier]!.span, message: 'the other range' }));
    r.findings.push(finding('ipam-ranges-overlap', ranges[later]!.span, `This range overlaps ${count} of the same IPAM configuration: addresses would be handed out twice.`, related));
  }
}

function readIpam(r: Reader, ipam: Node | undefined, role: NetworkRole, origin: string): void {
  if (ipam === undefined) return;
  const type = text(r.ctx, get(r.ctx, ipam, 'type'));
  const seen: HostLocalRange[] = [];
  if (type === 'host-local') {
    const ranges = get(r.ctx, ipam, 'ranges');
    if (ranges !== undefined) {
      for (const set of items(r.ctx, ranges)) for (const range of items(r.ctx, set)) readHostLocalRange(r, range, role, `${origin} host-local range`, seen);
    } else if (get(r.ctx, ipam, 'subnet') !== undefined) {
      readHostLocalRange(r, ipam, role, `${origin} host-local`, seen);
    }
    reportIpamOverlaps(r, seen);
  } else if (type === 'static') {
    for (const a of items(r.ctx, get(r.ctx, ipam, 'addresses'))) {
      // A static address is written as address/prefix: host bits are the point, so no canonical check.
      const addressNode = get(r.ctx, a, 'address');
      const value = text(r.ctx, addressNode);
      if (value !== undefined) {
        const ip = parseIP(value.trim().split('/')[0] ?? '');
        if (!/^[^/]+\/\d+$/.test(value.trim())) r.findings.push(finding('cidr-invalid', spanOf(r.ctx, addressNode), `static address ${value} must be written address/prefix-length.`));
        else if (!ip.ok) r.findings.push(finding('ip-invalid', spanOf(r.ctx, addressNode), `static address: ${ip.error}`));
      }
      readIP(r, get(r.ctx, a, 'gateway'), 'gateway');
    }
  }
  for (const route of items(r.ctx, get(r.ctx, ipam, 'routes'))) {
    readPrefix(r, get(r.ctx, route, 'dst'), undefined, 'route dst');
    readIP(r, get(r.ctx, route, 'gw'), 'route gw');
  }
}

function readPlugin(r: Reader, plugin: Node, role: NetworkRole, detect: boolean): void {
  const type = text(r.ctx, get(r.ctx, plugin, 'type'));
  if (type !== undefined && detect) {
    const cni = CNI_BY_PLUGIN[type];
    if (cni !== undefined) r.facts.cnis.push({ value: cni, span: spanOf(r.ctx, get(r.ctx, plugin, 'type')), origin: `CNI plugin "${type}"` });
  }
  const mtuNode = get(r.ctx, plugin, 'mtu') ?? get(r.ctx, plugin, 'delegate', 'mtu');
  const mtu = integer(r.ctx, mtuNode);
  if (mtu !== undefined) r.facts.mtus.push({ value: mtu, span: spanOf(r.ctx, mtuNode), origin: `CNI plugin "${type ?? '?'}" mtu` });
  readIpam(r, get(r.ctx, plugin, 'ipam'), role, type ?? 'plugin');
}

/**
 * A network configuration: a list (`plugins`) or a single plugin (`type`).
 * Primary configs name the cluster's CNI; secondary ones (Multus) do not.
 */
export function readCniConfig(ctx: NodeContext, root: Node, findings: Finding[], facts: ClusterFacts, secondary: boolean): void {
  const r: Reader = { ctx, findings, facts };
  const versionNode = get(ctx, root, 'cniVersion');
  const version = text(ctx, versionNode);
  if (version !== undefined && !CNI_VERSIONS.includes(version)) {
    findings.push(finding('cni-version-unsupported', spanOf(ctx, versionNode), `cniVersion "${version}" is not a CNI spec version (${CNI_VERSIONS.join(', ')}); the runtime refuses the configuration.`));
  }
  // After the version check, which says more than the schema's enum would.
  appendAll(findings, schemaFindings(ctx, root, 'CNI', findings));
  const role: NetworkRole = secondary ? 'attachment' : 'pod';
  const pluginsNode = get(ctx, root, 'plugins');
  if (pluginsNode === undefined && /\.conflist$/i.test(ctx.file)) {
    // The runtime reads a .conflist as a list and refuses one without plugins: it sets nothing up, so it decides nothing.
    const at = get(ctx, root, 'type') ?? get(ctx, root, 'name') ?? root;
    findings.push(finding('cni-conflist-without-plugins', spanOf(ctx, at), 'This .conflist has no "plugins" list, so the container runtime refuses it and sets up no network with it; it is not taken as the cluster\'s CNI. List the plugins under "plugins", or rename the file to .conf for a single plugin.'));
    return;
  }
  if (pluginsNode === undefined) {
    readPlugin(r, root, role, !secondary);
    return;
  }
  const plugins = items(ctx, pluginsNode);
  if (plugins.length === 0) {
    findings.push(finding('cni-plugins-empty', spanOf(ctx, pluginsNode), 'The plugin list is empty: no network would be set up.'));
    return;
  }
  const firstType = text(ctx, get(ctx, plugins[0], 'type'));
  if (firstType !== undefined && CHAINED_ONLY.has(firstType)) {
    findings.push(finding('cni-first-plugin-not-main', spanOf(ctx, get(ctx, plugins[0], 'type')), `"${firstType}" only adjusts an interface a main plugin created; it cannot come first in the chain.`));
  }
  const types = plugins.map((p) => text(ctx, get(ctx, p, 'type')));
  for (const p of plugins) readPlugin(r, p, role, !secondary);
  // flannel for the network plus calico for policy is canal.
  if (!secondary && types.includes('flannel') && types.includes('calico')) facts.cnis.push({ value: 'canal', span: spanOf(ctx, pluginsNode), origin: 'CNI plugins flannel + calico' });
}

// ---- JSON inside YAML strings ------------------------------------------------------

/**
 * Offsets inside a string scalar's value, mapped back to the file. Exact for
 * block literals (`|`) and for quoted or plain scalars written without
 * escapes or line folding; otherwise every offset maps to the value's start.
 */
function valueOffsetMap(ctx: NodeContext, node: Scalar): (i: number) => number {
  const [from, to] = node.range ?? [0, 0];
  const raw = ctx.source.slice(from, to);
  const value = String(node.value);
  const base = ctx.offset + from;
  if (node.type === 'BLOCK_LITERAL') {
    const map: number[] = [];
    const headerEnd = raw.indexOf('\n');
    const lines = raw.slice(headerEnd + 1).split('\n');
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
    let at = base + headerEnd + 1;
    for (const line of lines) {
      for (let c = indent; c < line.length; c++) map.push(at + c);
      map.push(at + line.length); // the newline
      at += line.length + 1;
    }
    return (i) => map[Math.min(i, map.length - 1)] ?? base;
  }
  const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  if (raw.slice(quote, raw.length - quote) === value) return (i) => base + quote + i;
  return () => base;
}

/**
 * Parses JSON held in a YAML string. The CNI runtime reads it with a strict
 * JSON parser, so JSON.parse judges; yaml then gives the syntax tree with
 * positions, mapped back into the file.
 */
export function parseEmbeddedJson(ctx: NodeContext, node: Node | undefined, what: string, findings: Finding[]): { ctx: NodeContext; root: Node } | undefined {
  if (node === undefined) return undefined;
  if (!isScalar(node) || typeof node.value !== 'string') {
    findings.push(finding('cni-config-invalid', spanOf(ctx, node), `${what} must be a string holding JSON.`));
    return undefined;
  }
  const value = node.value;
  const map = valueOffsetMap(ctx, node);
  try {
    JSON.parse(value);
  } catch (err) {
    const e = strictJsonError(value, err);
    const at = map(e.position);
    findings.push(finding('cni-config-invalid', { file: ctx.file, start: at, end: at + 1 }, `${what} is not valid JSON: ${e.message}`));
    return undefined;
  }
  const doc = parseDocument(value, { prettyErrors: false }) as Document.Parsed;
  const root = doc.contents as Node | null;
  if (root === null) return undefined;
  const inner: NodeContext = { file: ctx.file, doc, offset: 0, source: value, mapOffset: map };
  return { ctx: inner, root };
}

// ---- Kubernetes-shaped cluster configuration ----------------------------------------

export const CLUSTER_CONFIG_KINDS: Record<string, readonly string[]> = {
  NetworkAttachmentDefinition: ['k8s.cni.cncf.io/v1'],
  ConfigMap: ['v1'],
  IPPool: ['crd.projectcalico.org/v1', 'projectcalico.org/v3'],
  Installation: ['operator.tigera.io/v1'],
  ClusterConfiguration: ['kubeadm.k8s.io/v1beta2', 'kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4'],
  Cluster: ['kind.x-k8s.io/v1alpha4'],
  KubeProxyConfiguration: ['kubeproxy.config.k8s.io/v1alpha1'],
  Node: ['v1'],
};

/** kube-controller-manager's default --node-cidr-mask-size per family. */
const nodeMask = (p: Prefix): number | undefined => {
  const mask = p.family === 4 ? 24 : 64;
  return p.bits <= mask ? mask : undefined;
};

function readFlannelNetConf(r: Reader, node: Node | undefined): void {
  const parsed = parseEmbeddedJson(r.ctx, node, 'net-conf.json', r.findings);
  if (parsed === undefined) return;
  const inner: Reader = { ctx: parsed.ctx, findings: r.findings, facts: r.facts };
  const subnetLen = integer(inner.ctx, get(inner.ctx, parsed.root, 'SubnetLen'));
  readPrefix(inner, get(inner.ctx, parsed.root, 'Network'), 'pod', 'flannel Network', subnetLen ?? 24);
  readPrefix(inner, get(inner.ctx, parsed.root, 'IPv6Network'), 'pod', 'flannel IPv6Network', integer(inner.ctx, get(inner.ctx, parsed.root, 'IPv6SubnetLen')) ?? 64);
  const backendNode = get(inner.ctx, parsed.root, 'Backend', 'Type');
  const backend = text(inner.ctx, backendNode)?.toLowerCase();
  if (backend === 'vxlan' || backend === 'wireguard' || backend === 'ipip') r.facts.overlays.push({ value: backend, span: spanOf(inner.ctx, backendNode), origin: `flannel backend ${backend}` });
  const mtuNode = get(inner.ctx, parsed.root, 'MTU');
  const mtu = integer(inner.ctx, mtuNode);
  if (mtu !== undefined) r.facts.mtus.push({ value: mtu, span: spanOf(inner.ctx, mtuNode), origin: 'flannel MTU' });
}

function readConfigMap(r: Reader, root: Node): void {
  const data = get(r.ctx, root, 'data');
  const calico = get(r.ctx, data, 'cni_network_config');
  if (calico !== undefined) readCalicoConfigMap(r, root, calico);
  const netConf = get(r.ctx, data, 'net-conf.json');
  const cniConf = get(r.ctx, data, 'cni-conf.json');
  if (netConf === undefined && cniConf === undefined) return;
  if (netConf !== undefined) {
    r.facts.cnis.push({ value: 'flannel', span: spanOf(r.ctx, get(r.ctx, root, 'metadata', 'name') ?? root), origin: 'flannel ConfigMap' });
    readFlannelNetConf(r, netConf);
  }
  const parsed = parseEmbeddedJson(r.ctx, cniConf, 'cni-conf.json', r.findings);
  if (parsed !== undefined) readCniConfig(parsed.ctx, parsed.root, r.findings, r.facts, false);
}

/** Calico's manifest ConfigMap: a conflist with install-time placeholders (__CNI_MTU__) until its installer fills them in. */
function readCalicoConfigMap(r: Reader, root: Node, config: Node): void {
  r.facts.cnis.push({ value: 'calico', span: spanOf(r.ctx, get(r.ctx, root, 'metadata', 'name') ?? root), origin: 'Calico ConfigMap' });
  const value = text(r.ctx, config);
  // Like a Helm template, a config with placeholders is not a config yet: stay silent on it.
  if (value === undefined || /__[A-Z0-9_]+__/.test(value)) return;
  const parsed = parseEmbeddedJson(r.ctx, config, 'cni_network_config', r.findings);
  if (parsed !== undefined) readCniConfig(parsed.ctx, parsed.root, r.findings, r.facts, false);
}

function readIPPool(r: Reader, root: Node): void {
  const spec = get(r.ctx, root, 'spec');
  r.facts.cnis.push({ value: 'calico', span: spanOf(r.ctx, get(r.ctx, root, 'kind')), origin: 'Calico IPPool' });
  readPool(r, spec, 'Calico IPPool', 'ipipMode', 'vxlanMode');
}

/** One Calico pool: an IPPool's spec or an Installation's calicoNetwork.ipPools entry. */
function readPool(r: Reader, pool: Node | undefined, origin: string, ipipKey: string, vxlanKey: string): void {
  const cidrNode = get(r.ctx, pool, 'cidr');
  const blockNode = get(r.ctx, pool, 'blockSize');
  const block = integer(r.ctx, blockNode);
  const cidrText = text(r.ctx, cidrNode) ?? '';
  const v6 = cidrText.includes(':');
  const prefix = readPrefix(r, cidrNode, 'pod', `${origin} cidr`, block ?? (v6 ? 122 : 26));
  if (block !== undefined) {
    const [min, max] = v6 ? [116, 128] : [20, 32];
    if (block < min || block > max || (prefix !== undefined && block < prefix.bits)) {
      r.findings.push(finding('calico-block-size-invalid', spanOf(r.ctx, blockNode), `blockSize ${block} is out of range: Calico accepts ${min}-${max} for IPv${v6 ? 6 : 4}${prefix !== undefined ? `, and no larger a block than the pool (/${prefix.bits})` : ''}.`));
    }
  }
  const modes: Array<[Encapsulation, Node | undefined]> = [];
  if (ipipKey === 'encapsulation') {
    const encNode = get(r.ctx, pool, 'encapsulation');
    const enc = text(r.ctx, encNode) ?? '';
    if (enc.startsWith('IPIP')) modes.push(['ipip', encNode]);
    if (enc.startsWith('VXLAN')) modes.push(['vxlan', encNode]);
  } else {
    for (const [enc, key] of [['ipip', ipipKey], ['vxlan', vxlanKey]] as const) {
      const node = get(r.ctx, pool, key);
      const mode = text(r.ctx, node);
      if (mode !== undefined && mode !== 'Never') modes.push([enc, node]);
    }
    if (modes.length === 2) {
      r.findings.push(finding('calico-ipip-and-vxlan', spanOf(r.ctx, modes[1]![1]), 'ipipMode and vxlanMode are both enabled; Calico allows one encapsulation per pool (set the other to Never).', [{ span: spanOf(r.ctx, modes[0]![1]), message: 'ipipMode' }]));
    }
  }
  for (const [enc, node] of modes) r.facts.overlays.push({ value: enc, span: spanOf(r.ctx, node), origin: `${origin} ${enc}` });
}

function readInstallation(r: Reader, root: Node): void {
  const network = get(r.ctx, root, 'spec', 'calicoNetwork');
  r.facts.cnis.push({ value: 'calico', span: spanOf(r.ctx, get(r.ctx, root, 'kind')), origin: 'Calico Installation' });
  for (const pool of items(r.ctx, get(r.ctx, network, 'ipPools'))) readPool(r, pool, 'Calico Installation ipPool', 'encapsulation', 'encapsulation');
  const mtuNode = get(r.ctx, network, 'mtu');
  const mtu = integer(r.ctx, mtuNode);
  if (mtu !== undefined) r.facts.mtus.push({ value: mtu, span: spanOf(r.ctx, mtuNode), origin: 'Calico Installation mtu' });
}

export function readClusterObject(ctx: NodeContext, root: Node, kind: string, findings: Finding[], facts: ClusterFacts): void {
  const r: Reader = { ctx, findings, facts };
  switch (kind) {
    case 'NetworkAttachmentDefinition': {
      const parsed = parseEmbeddedJson(ctx, get(ctx, root, 'spec', 'config'), 'spec.config', findings);
      if (parsed !== undefined) readCniConfig(parsed.ctx, parsed.root, findings, facts, true);
      return;
    }
    case 'ConfigMap':
      return readConfigMap(r, root);
    case 'IPPool':
      return readIPPool(r, root);
    case 'Installation':
      return readInstallation(r, root);
    case 'ClusterConfiguration': {
      const networking = get(ctx, root, 'networking');
      readPrefixList(r, get(ctx, networking, 'podSubnet'), 'pod', 'kubeadm networking.podSubnet', nodeMask);
      readPrefixList(r, get(ctx, networking, 'serviceSubnet'), 'service', 'kubeadm networking.serviceSubnet', () => undefined);
      return;
    }
    case 'Cluster': {
      const networking = get(ctx, root, 'networking');
      readPrefixList(r, get(ctx, networking, 'podSubnet'), 'pod', 'kind networking.podSubnet', nodeMask);
      readPrefixList(r, get(ctx, networking, 'serviceSubnet'), 'service', 'kind networking.serviceSubnet', () => undefined);
      const disabled = get(ctx, networking, 'disableDefaultCNI');
      if (text(ctx, disabled) !== 'true') facts.cnis.push({ value: 'kindnet', span: spanOf(ctx, disabled ?? get(ctx, root, 'kind')), origin: "kind's default CNI (kindnet)" });
      const modeNode = get(ctx, networking, 'kubeProxyMode');
      const mode = text(ctx, modeNode);
      if (mode !== undefined) facts.proxyModes.push({ value: mode, span: spanOf(ctx, modeNode), origin: 'kind networking.kubeProxyMode' });
      return;
    }
    case 'KubeProxyConfiguration': {
      readPrefixList(r, get(ctx, root, 'clusterCIDR'), 'pod', 'kube-proxy clusterCIDR', nodeMask);
      const modeNode = get(ctx, root, 'mode');
      const mode = text(ctx, modeNode);
      // An empty mode means the platform default: iptables on Linux.
      facts.proxyModes.push({ value: mode === undefined || mode === '' ? 'iptables' : mode, span: spanOf(ctx, modeNode ?? get(ctx, root, 'kind')), origin: 'kube-proxy mode' });
      return;
    }
    case 'Node': {
      for (const a of items(ctx, get(ctx, root, 'status', 'addresses'))) {
        if (text(ctx, get(ctx, a, 'type')) !== 'InternalIP') continue;
        const ipNode = get(ctx, a, 'address');
        const ip = readIP(r, ipNode, 'node InternalIP');
        if (ip !== undefined) {
          const host = parsePrefix(`${ip.toString()}/${ip.family === 4 ? 32 : 128}`);
          if (host.ok) facts.ranges.push({ role: 'node', prefix: host.value, span: spanOf(ctx, ipNode), origin: 'Node InternalIP' });
        }
      }
      return;
    }
  }
}

/**
 * Whether a JSON/YAML document with no kind is a CNI network configuration:
 * it has a cniVersion, or it sits in a .conf/.conflist file (the plugin docs'
 * examples leave the version out), and it has plugins or a plugin type.
 */
export function isCniConfig(ctx: NodeContext, root: Node): boolean {
  const keys = new Set(entries(ctx, root).map((e) => e.key));
  return (keys.has('cniVersion') || isCniFileName(ctx.file)) && (keys.has('plugins') || keys.has('type'));
}

export function isCniFileName(file: string): boolean {
  return /\.(conflist|conf)$/i.test(file);
}

/** Where and why a text is not strict JSON (JSON.parse already said it is not). */
export function strictJsonError(text: string, err: unknown): { position: number; message: string } {
  const problem = findJsonProblem(text);
  if (problem !== undefined) return { position: problem.offset, message: problem.message };
  // The scanner and JSON.parse disagree: trust JSON.parse's words.
  return { position: 0, message: (err instanceof Error ? err.message : String(err)).split('\n')[0]! };
}
