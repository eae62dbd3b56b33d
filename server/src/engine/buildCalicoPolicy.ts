/**
 * Calico NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3, and the
 * crd.projectcalico.org/v1 CRDs behind them) → PolicyModel, so that matrix,
 * explain, lenses, hovers and the graph read them as they read NetworkPolicy.
 * What differs is settled here, once (facts from Calico's resource reference):
 * - selector, namespaceSelector and serviceAccountSelector are Calico
 *   selector expressions (calicoSelector.ts); the namespace and service
 *   account ones are matched as Calico matches them, through the pcns./pcsa.
 *   labels of the endpoint (calicoLabels.ts). An empty selector is all().
 * - a NetworkPolicy picks endpoints of its namespace, a GlobalNetworkPolicy of
 *   every namespace; a rule selector without namespaceSelector looks in the
 *   policy's namespace (NetworkPolicy) or everywhere (GlobalNetworkPolicy).
 * - types default from the rules written: Egress when there are only egress
 *   rules, Ingress and Egress when both, Ingress otherwise.
 * - rules are ordered, with actions Allow, Deny, Pass, Log; the policy's tier
 *   and order place it (orderedPolicies.ts decides).
 * - a rule's fields all have to match: protocol/notProtocol, the peer's
 *   nets/notNets, selector/notSelector, namespaceSelector, serviceAccounts,
 *   and the destination's ports/notPorts.
 */
import { isMap, type Node } from 'yaml';
import { buildIPBlock, type PolicyHeader } from './buildPolicy.js';
import { CALICO_NAMESPACE_LABEL, CALICO_NAMESPACE_PREFIX, CALICO_SERVICE_ACCOUNT_PREFIX, isCalicoAddedKey } from './calicoLabels.js';
import { calicoKeys, calicoText, calicoWords, evaluateCalico, parseCalicoSelector, prefixKeys, type CalicoNode, type SpanOfText } from './calicoSelector.js';
import { parsePrefix, RangeSet, type Prefix } from './cidr.js';
import { makeSelector, type Selector } from './labels.js';
import { PROTOCOLS, type Direction, type IPBlockPeer, type PeerMatcher, type PolicyModel, type PolicyRule, type PortMatcher, type Protocol, type RuleAction } from './model.js';
import { DEFAULT_TIER } from './orderedPolicies.js';
import { finding, type Finding } from './rules.js';
import type { SourceSpan } from './source.js';
import { entry, get, isNullNode, items, scalar, spanOf, text, type NodeContext } from './yamlNodes.js';

export const CALICO_POLICY_KINDS = ['NetworkPolicy', 'GlobalNetworkPolicy'] as const;
export const CALICO_API_VERSIONS = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'] as const;

const ACTIONS: Record<string, RuleAction> = { Allow: 'allow', Deny: 'deny', Pass: 'pass', Log: 'log' };
/** IANA numbers of the protocols Netlens decides; Calico accepts names or numbers. */
const PROTOCOL_NUMBERS: Record<string, Protocol> = { '6': 'TCP', '17': 'UDP', '132': 'SCTP' };

type Scope = 'namespace' | 'global';

interface CalicoContext {
  readonly ctx: NodeContext;
  readonly scope: Scope;
  readonly namespace: string;
  readonly findings: Finding[];
}

/** Calico's staged kinds: the same rules, previewed and never enforced (Calico resource reference, "Staged network policy"). */
export const CALICO_STAGED_KINDS = ['StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy'] as const;

export function isCalicoStagedPolicy(kind: string, apiVersion: string): boolean {
  return (CALICO_STAGED_KINDS as readonly string[]).includes(kind) && (CALICO_API_VERSIONS as readonly string[]).includes(apiVersion);
}

export function isCalicoPolicy(kind: string, apiVersion: string): boolean {
  return (CALICO_POLICY_KINDS as readonly string[]).includes(kind) && (CALICO_API_VERSIONS as readonly string[]).includes(apiVersion);
}

/** A Calico Tier object: its name, order and default action. */
export function readTier(ctx: NodeContext, root: Node, name: string): { name: string; order: number | undefined; defaultAction: 'deny' | 'pass' } {
  const order = scalar(ctx, get(ctx, root, 'spec', 'order'));
  const action = text(ctx, get(ctx, root, 'spec', 'defaultAction'));
  return { name, order: typeof order === 'number' ? order : undefined, defaultAction: action === 'Pass' ? 'pass' : 'deny' };
}

export function buildCalicoPolicy(ctx: NodeContext, root: Node, kind: string, header: PolicyHeader, findings: Finding[]): PolicyModel {
  const scope: Scope = kind === 'GlobalNetworkPolicy' ? 'global' : 'namespace';
  const namespace = scope === 'global' ? '' : header.namespace;
  const c: CalicoContext = { ctx, scope, namespace, findings };
  const spec = get(ctx, root, 'spec');
  const parts: CalicoNode[] = [];
  const selectorNode = get(ctx, spec, 'selector');
  parts.push(expressionAt(c, selectorNode));
  const namespaceSelectorNode = get(ctx, spec, 'namespaceSelector');
  if (namespaceSelectorNode !== undefined) {
    if (scope === 'namespace') findings.push(finding('object-invalid', spanOf(ctx, namespaceSelectorNode), { says: 'A Calico NetworkPolicy has no namespaceSelector: it applies in its own namespace.', next: 'Use a GlobalNetworkPolicy to select other namespaces.' }));
    else parts.push(ifValid(expressionAt(c, namespaceSelectorNode), namespaceExpression));
  }
  const accountNode = get(ctx, spec, 'serviceAccountSelector');
  if (accountNode !== undefined) parts.push(ifValid(expressionAt(c, accountNode), (n) => prefixKeys(n, CALICO_SERVICE_ACCOUNT_PREFIX)));
  const span = spanOf(ctx, selectorNode ?? spec ?? root, header.span);
  const podSelector = selectorOf(parts, span);
  for (const key of ['doNotTrack', 'preDNAT', 'applyOnForward']) {
    const e = entry(ctx, spec, key);
    if (e !== undefined && scalar(ctx, e.value) === true) {
      findings.push(finding('calico-field-not-modelled', spanOf(ctx, e.keyNode), `${key} applies to host endpoints, which Netlens does not model: this policy is evaluated as an ordinary one.`));
    }
  }
  const ingressNodes = items(ctx, get(ctx, spec, 'ingress'));
  const egressNodes = items(ctx, get(ctx, spec, 'egress'));
  const typesNode = get(ctx, spec, 'types');
  const written = items(ctx, typesNode).map((n) => text(ctx, n));
  // Calico's defaulting when types is left out.
  const types = typesNode === undefined || isNullNode(ctx, typesNode) ? (egressNodes.length > 0 && ingressNodes.length === 0 ? ['Egress'] : egressNodes.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']) : written;
  const affectsIngress = types.includes('Ingress');
  const affectsEgress = types.includes('Egress');
  const ordered = [
    ...(affectsIngress ? ingressNodes.map((n, i) => buildCalicoRule(c, n, 'ingress', i)) : []),
    ...(affectsEgress ? egressNodes.map((n, i) => buildCalicoRule(c, n, 'egress', i)) : []),
  ];
  const ignoredRules = [
    ...(affectsIngress ? [] : ingressNodes.map((n, i) => buildCalicoRule(c, n, 'ingress', i))),
    ...(affectsEgress ? [] : egressNodes.map((n, i) => buildCalicoRule(c, n, 'egress', i))),
  ];
  const orderValue = scalar(ctx, get(ctx, spec, 'order'));
  const tier = text(ctx, get(ctx, spec, 'tier')) || DEFAULT_TIER;
  const egressKey = entry(ctx, spec, 'egress')?.keyNode ?? entry(ctx, spec, 'types')?.keyNode;
  return {
    id: scope === 'global' ? header.name : `${header.namespace}/${header.name}`,
    namespace,
    name: header.name,
    // Not Kubernetes' NetworkPolicy: the group says so wherever the kind is named.
    kind: `Calico ${kind}`,
    podSelector,
    selectorField: 'selector',
    enforcedBy: 'calico',
    ...(scope === 'global' ? { targetNamespaces: makeSelector([], true, span) } : {}),
    affectsIngress,
    affectsEgress,
    ingress: ordered.filter((r) => r.direction === 'ingress' && r.action === 'allow'),
    egress: ordered.filter((r) => r.direction === 'egress' && r.action === 'allow'),
    place: { tier, order: typeof orderValue === 'number' ? orderValue : undefined },
    orderedRules: ordered,
    ignoredRules,
    policyTypesSpan: typesNode === undefined ? undefined : spanOf(ctx, typesNode),
    addPolicyTypeFixes: {},
    span: header.span,
    nameSpan: header.nameSpan,
    egressSpan: spanOf(ctx, egressKey ?? spec ?? root, header.span),
    addDnsEgressFix: undefined,
  };
}

/** A selector string parsed; a syntax error is reported and the selector built from it is invalid (it then matches nothing). */
function expressionAt(c: CalicoContext, node: Node | undefined): CalicoNode {
  if (node === undefined || isNullNode(c.ctx, node)) return { op: 'all' };
  const source = text(c.ctx, node);
  if (source === undefined) {
    c.findings.push(finding('selector-invalid', spanOf(c.ctx, node), { says: 'A Calico selector is a string, such as app == "web".', next: 'Write the selector as one quoted string.' }));
    return INVALID;
  }
  const parsed = parseCalicoSelector(source, textPlacer(c.ctx, node, source));
  if (!parsed.ok) {
    c.findings.push(finding('selector-invalid', spanOf(c.ctx, node), { says: `Calico rejects this selector: ${parsed.error} (at character ${parsed.offset + 1}).`, next: 'Use ==, !=, in {...}, not in {...}, has(k), all(), && , || and ! as Calico documents.' }));
    return INVALID;
  }
  return parsed.node;
}

/**
 * Where the characters of a selector string are in the file: for a plain or
 * quoted scalar written on one line without escapes, whose text is the
 * string itself; undefined otherwise (block scalars, escapes, JSON inside a
 * string), and then no fix edits it.
 */
function textPlacer(ctx: NodeContext, node: Node, source: string): SpanOfText | undefined {
  const range = node.range;
  if (range === undefined || range === null || ctx.mapOffset !== undefined) return undefined;
  const raw = ctx.source.slice(range[0], range[1]);
  const base = raw === source ? 0 : raw === `"${source}"` || raw === `'${source}'` ? 1 : undefined;
  if (base === undefined) return undefined;
  const start = ctx.offset + range[0] + base;
  return (offset, length) => ({ file: ctx.file, start: start + offset, end: start + offset + length });
}

/** Stands for a selector Calico rejects; compared by identity. */
const INVALID: CalicoNode = { op: 'not', operand: { op: 'all' } };

/** A transformation of a parsed selector that keeps a rejected one rejected. */
function ifValid(node: CalicoNode, transform: (n: CalicoNode) => CalicoNode): CalicoNode {
  return node === INVALID ? INVALID : transform(node);
}

/**
 * A namespaceSelector as Calico applies it to endpoints: its keys read the
 * namespace's labels (pcns.), and global() means the non-namespaced
 * resources, which no pod is.
 */
function namespaceExpression(node: CalicoNode): CalicoNode {
  const replaceGlobal = (n: CalicoNode): CalicoNode => {
    switch (n.op) {
      case 'global':
        return { op: 'not', operand: { op: 'has', key: CALICO_NAMESPACE_LABEL } };
      case 'not':
        return { op: 'not', operand: replaceGlobal(n.operand) };
      case 'and':
      case 'or':
        return { op: n.op, operands: n.operands.map(replaceGlobal) };
      case 'all':
        return n;
      default:
        return { ...n, key: CALICO_NAMESPACE_PREFIX + n.key };
    }
  };
  return replaceGlobal(node);
}

function selectorOf(parts: readonly CalicoNode[], span: SourceSpan): Selector {
  if (parts.includes(INVALID)) return makeSelector([], false, span);
  const meaningful = parts.filter((p) => p.op !== 'all');
  if (meaningful.length === 0) return makeSelector([], true, span);
  const node: CalicoNode = meaningful.length === 1 ? meaningful[0]! : { op: 'and', operands: meaningful };
  return makeSelector([], true, span, {
    text: calicoText(node),
    matches: (labels) => evaluateCalico(node, labels),
    readsEndpointLabels: calicoKeys(node).some(isCalicoAddedKey),
    words: calicoWords(node, (key) => key.startsWith(CALICO_NAMESPACE_PREFIX) || key.startsWith(CALICO_SERVICE_ACCOUNT_PREFIX)),
  });
}

function buildCalicoRule(c: CalicoContext, node: Node, direction: Direction, index: number): PolicyRule {
  const { ctx, findings } = c;
  const span = spanOf(ctx, node);
  const actionNode = get(ctx, node, 'action');
  const actionText = text(ctx, actionNode) ?? '';
  let action = ACTIONS[actionText];
  if (action === undefined) {
    findings.push(finding('object-invalid', spanOf(ctx, actionNode ?? node), { says: `A Calico rule needs an action of Allow, Deny, Pass or Log${actionText === '' ? '' : `, not ${JSON.stringify(actionText)}`}.`, next: 'Write one of Allow, Deny, Pass, Log.' }));
    // The API server rejects the policy, so the rule does nothing.
    action = 'log';
  }
  const peerSide = direction === 'ingress' ? 'source' : 'destination';
  const ownSide = direction === 'ingress' ? 'destination' : 'source';
  const peerNode = get(ctx, node, peerSide);
  const ownNode = get(ctx, node, ownSide);
  for (const key of ['selector', 'notSelector', 'nets', 'notNets', 'namespaceSelector', 'serviceAccounts', 'services']) {
    const e = entry(ctx, ownNode, key);
    if (e !== undefined) findings.push(finding('calico-field-not-modelled', spanOf(ctx, e.keyNode), `${ownSide}.${key} narrows the policy's own endpoints inside one rule, which Netlens does not model: the rule is evaluated without it.`));
  }
  for (const key of ['ports', 'notPorts']) {
    const e = entry(ctx, get(ctx, node, 'source'), key);
    if (e !== undefined) findings.push(finding('calico-field-not-modelled', spanOf(ctx, e.keyNode), `source.${key} filters on the source port, which Netlens does not model: the rule is evaluated without it.`));
  }
  const l7 = entry(ctx, node, 'http') === undefined ? undefined : ['HTTP'];
  const family = readIpVersion(c, node);
  return {
    direction,
    index,
    peers: buildPeers(c, peerNode, family),
    ports: icmpOnly(c, node) ? [] : buildPorts(c, node, get(ctx, node, 'destination')),
    span,
    action,
    ...(l7 === undefined || action !== 'allow' ? {} : { l7 }),
  };
}

/** ipVersion: 4 or 6, the one address family the rule matches; undefined when left out (or rejected). */
function readIpVersion(c: CalicoContext, rule: Node): 4 | 6 | undefined {
  const node = get(c.ctx, rule, 'ipVersion');
  if (node === undefined || isNullNode(c.ctx, node)) return undefined;
  const value = scalar(c.ctx, node);
  if (value === 4 || value === 6) return value;
  c.findings.push(finding('object-invalid', spanOf(c.ctx, node), { says: `ipVersion is 4 or 6, not ${JSON.stringify(value)}.`, next: 'Write ipVersion: 4 or ipVersion: 6, or leave it out to match both.' }));
  return undefined;
}

const ICMP_PROTOCOLS = new Set(['ICMP', 'ICMPV6', '1', '58']);

/**
 * Whether the rule matches ICMP traffic only (protocol ICMP or ICMPv6). Netlens
 * decides TCP, UDP and SCTP, none of which such a rule matches: it keeps its
 * place in the order and decides nothing. icmp and notICMP narrow ICMP
 * traffic, so Calico accepts them only beside an ICMP protocol.
 */
function icmpOnly(c: CalicoContext, rule: Node): boolean {
  const { ctx, findings } = c;
  const protocolNode = get(ctx, rule, 'protocol');
  const isIcmp = protocolNode !== undefined && ICMP_PROTOCOLS.has(String(scalar(ctx, protocolNode) ?? '').toUpperCase());
  const icmpFields = ['icmp', 'notICMP'].flatMap((key) => entry(ctx, rule, key) ?? []);
  if (!isIcmp) {
    for (const e of icmpFields) findings.push(finding('object-invalid', spanOf(ctx, e.keyNode), { says: `${String(scalar(ctx, e.keyNode))} narrows ICMP traffic: Calico accepts it only in a rule whose protocol is ICMP or ICMPv6.`, next: 'Add protocol: ICMP (or ICMPv6) to the rule, or remove the field.' }));
    return icmpFields.length > 0;
  }
  findings.push(finding('calico-field-not-modelled', spanOf(ctx, protocolNode), 'This rule matches ICMP only; Netlens decides TCP, UDP and SCTP traffic, so the rule decides nothing in its answers.'));
  return true;
}

function buildPeers(c: CalicoContext, peer: Node | undefined, family: 4 | 6 | undefined): PeerMatcher[] | undefined {
  const { ctx, findings } = c;
  if (peer === undefined || isNullNode(ctx, peer) || !isMap(peer)) return family === undefined ? undefined : everyPeerOf(family, spanOf(ctx, peer));
  const span = spanOf(ctx, peer);
  const services = entry(ctx, peer, 'services');
  if (services !== undefined) {
    findings.push(finding('calico-field-not-modelled', spanOf(ctx, services.keyNode), 'A services match is not modelled: this peer admits no pod of the workspace here.'));
    return [{ kind: 'external', what: 'a Kubernetes Service', span }];
  }
  const podParts: CalicoNode[] = [];
  const selector = get(ctx, peer, 'selector');
  if (selector !== undefined) podParts.push(expressionAt(c, selector));
  const notSelector = get(ctx, peer, 'notSelector');
  if (notSelector !== undefined) podParts.push(ifValid(expressionAt(c, notSelector), (n) => ({ op: 'not', operand: n })));
  const namespaceSelector = get(ctx, peer, 'namespaceSelector');
  if (namespaceSelector !== undefined) podParts.push(ifValid(expressionAt(c, namespaceSelector), namespaceExpression));
  const accounts = get(ctx, peer, 'serviceAccounts');
  if (accounts !== undefined) {
    const names = items(ctx, get(ctx, accounts, 'names')).map((n) => text(ctx, n) ?? '');
    if (names.length > 0) podParts.push({ op: 'in', key: 'projectcalico.org/serviceaccount', values: [...new Set(names)].sort() });
    const accountSelector = get(ctx, accounts, 'selector');
    if (accountSelector !== undefined) podParts.push(ifValid(expressionAt(c, accountSelector), (n) => prefixKeys(n, CALICO_SERVICE_ACCOUNT_PREFIX)));
  }
  const netNodes = items(ctx, get(ctx, peer, 'nets'));
  const nets = netNodes.flatMap((n) => ofFamily(c, n, family, buildIPBlock(ctx, n, spanOf(ctx, n), findings, { cidrNode: n, exceptNode: undefined, bareAddress: true })));
  const notNetsNode = get(ctx, peer, 'notNets');
  const notNets = items(ctx, notNetsNode).flatMap((n) => {
    const block = buildIPBlock(ctx, n, spanOf(ctx, n), findings, { cidrNode: n, exceptNode: undefined, bareAddress: true });
    return block.kind === 'ipBlock' ? [block.cidr] : [];
  });
  const families: ReadonlyArray<4 | 6> = family === undefined ? [4, 6] : [family];
  if (podParts.length > 0) {
    // A selector and nets together ask both of one endpoint; pods' addresses are rarely known, so the selector decides.
    const netsEntry = entry(ctx, peer, 'nets') ?? entry(ctx, peer, 'notNets');
    if (netsEntry !== undefined) findings.push(finding('calico-field-not-modelled', spanOf(ctx, netsEntry.keyNode), `${String(scalar(ctx, netsEntry.keyNode))} beside a selector is not modelled: the selector alone decides which pods this peer admits.`));
    const inAnyNamespace = c.scope === 'global' || namespaceSelector !== undefined;
    return [{ kind: 'pods', namespaceSelector: inAnyNamespace ? makeSelector([], true, span) : undefined, podSelector: selectorOf(podParts, span), span }];
  }
  if (netNodes.length > 0) return nets.map((b) => (b.kind === 'ipBlock' && notNets.length > 0 ? withoutNets(b, notNets) : b));
  // Every address outside notNets; as with an ipBlock, a pod matches by an address the workspace gives it.
  if (notNets.length > 0) return families.map((f) => everywhereBut(f, notNets, span));
  return family === undefined ? undefined : everyPeerOf(family, span);
}

/**
 * Every peer of one address family: every pod (pod traffic carries no family
 * in the model, so ipVersion narrows addresses only) and every address of the family.
 */
function everyPeerOf(family: 4 | 6, span: SourceSpan): PeerMatcher[] {
  return [{ kind: 'pods', namespaceSelector: makeSelector([], true, span), podSelector: undefined, span }, everywhereBut(family, [], span)];
}

/** A net of the rule's ipVersion; one of the other family is rejected by Calico's validator and matches nothing. */
function ofFamily(c: CalicoContext, node: Node, family: 4 | 6 | undefined, peer: PeerMatcher): PeerMatcher[] {
  if (family === undefined || peer.kind !== 'ipBlock' || peer.cidr.family === family) return [peer];
  c.findings.push(finding('object-invalid', spanOf(c.ctx, node), { says: `An IPv${peer.cidr.family} net in a rule with ipVersion ${family}: Calico rejects the rule, and it matches no address here.`, next: `Write an IPv${family} net, or change ipVersion.` }));
  return [];
}

function withoutNets(block: IPBlockPeer, notNets: readonly Prefix[]): IPBlockPeer {
  const same = notNets.filter((p) => p.family === block.cidr.family);
  return { ...block, except: [...block.except, ...same], addresses: block.addresses.subtract(RangeSet.fromPrefixes(block.cidr.family, same)) };
}

function everywhereBut(family: 4 | 6, notNets: readonly Prefix[], span: SourceSpan): IPBlockPeer {
  const parsed = parsePrefix(family === 4 ? '0.0.0.0/0' : '::/0');
  if (!parsed.ok) throw new Error(parsed.error);
  return withoutNets({ kind: 'ipBlock', cidr: parsed.value, cidrSpan: span, except: [], addresses: RangeSet.fromPrefix(parsed.value), span }, notNets);
}

/** The protocols a rule matches among those Netlens decides: protocol, less notProtocol. */
function ruleProtocols(c: CalicoContext, node: Node): { protocols: readonly Protocol[]; restricted: boolean } {
  const read = (key: string): Protocol | 'other' | undefined => {
    const n = get(c.ctx, node, key);
    if (n === undefined || isNullNode(c.ctx, n)) return undefined;
    const raw = String(scalar(c.ctx, n) ?? '').toUpperCase();
    return (PROTOCOLS as readonly string[]).includes(raw) ? (raw as Protocol) : (PROTOCOL_NUMBERS[raw] ?? 'other');
  };
  const protocol = read('protocol');
  const notProtocol = read('notProtocol');
  const base: readonly Protocol[] = protocol === undefined ? PROTOCOLS : protocol === 'other' ? [] : [protocol];
  return { protocols: base.filter((p) => p !== notProtocol), restricted: protocol !== undefined || notProtocol !== undefined };
}

/** destination.ports / notPorts under the rule's protocols; undefined when the rule says nothing about L4. */
function buildPorts(c: CalicoContext, rule: Node, destination: Node | undefined): PortMatcher[] | undefined {
  const { ctx, findings } = c;
  const { protocols, restricted } = ruleProtocols(c, rule);
  const portNodes = items(ctx, get(ctx, destination, 'ports'));
  const notPortNodes = items(ctx, get(ctx, destination, 'notPorts'));
  if (portNodes.length === 0 && notPortNodes.length === 0) {
    if (!restricted) return undefined;
    return protocols.map((protocol) => ({ kind: 'all', protocol, span: spanOf(ctx, get(ctx, rule, 'protocol') ?? rule) }));
  }
  const protocolNode = get(ctx, rule, 'protocol');
  if (protocolNode === undefined) {
    findings.push(finding('object-invalid', spanOf(ctx, portNodes[0] ?? notPortNodes[0]), { says: 'Calico accepts ports only in a rule whose protocol is TCP, UDP or SCTP.', next: 'Add protocol: TCP (or UDP, SCTP) to the rule.' }));
    return [{ kind: 'invalid', span: spanOf(ctx, rule) }];
  }
  const ranges = (nodes: Node[]) => nodes.map((n) => ({ node: n, port: readPort(c, n) })).filter((p) => p.port !== undefined) as Array<{ node: Node; port: CalicoPort }>;
  const allowed = ranges(portNodes);
  const excluded = ranges(notPortNodes);
  const out: PortMatcher[] = [];
  for (const protocol of protocols) {
    const base: PortMatcher[] =
      portNodes.length === 0
        ? [{ kind: 'range', protocol, from: 1, to: 65535, span: spanOf(ctx, destination) }]
        : allowed.map(({ node, port }) => (port.kind === 'named' ? { kind: 'named', protocol, name: port.name, span: spanOf(ctx, node) } : { kind: 'range', protocol, from: port.from, to: port.to, span: spanOf(ctx, node) }));
    for (const m of base) out.push(...subtractPorts(m, excluded.map((e) => e.port)));
  }
  for (const { node, port } of excluded) {
    if (port.kind === 'named') findings.push(finding('calico-field-not-modelled', spanOf(ctx, node), `The named port ${port.name} in notPorts is not modelled: the rule is evaluated without it.`));
  }
  return out;
}

type CalicoPort = { kind: 'range'; from: number; to: number } | { kind: 'named'; name: string };

/** A Calico port: a number, "min:max", or a port name. */
function readPort(c: CalicoContext, node: Node): CalicoPort | undefined {
  const raw = String(scalar(c.ctx, node) ?? '');
  const range = /^(\d+)(?::(\d+))?$/.exec(raw);
  if (range) {
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (from >= 1 && to <= 65535 && from <= to) return { kind: 'range', from, to };
    // Calico accepts port 0 in a range; no traffic uses it, so 0:N is 1:N here.
    if (from === 0 && to >= 1 && to <= 65535) return { kind: 'range', from: 1, to };
  } else if (/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(raw) && /[a-zA-Z]/.test(raw)) return { kind: 'named', name: raw };
  c.findings.push(finding('port-invalid', spanOf(c.ctx, node), `${JSON.stringify(raw)} is not a Calico port: write a number, a range "min:max" from 1 to 65535, or a port name.`));
  return undefined;
}

function subtractPorts(m: PortMatcher, excluded: readonly CalicoPort[]): PortMatcher[] {
  if (m.kind === 'named') {
    // The name resolves per destination pod, so the numeric exclusions stay with it and are applied where it resolves.
    const except = excluded.flatMap((e): Array<[number, number]> => (e.kind === 'range' ? [[e.from, e.to]] : []));
    return [except.length === 0 ? m : { ...m, except }];
  }
  if (m.kind !== 'range') return [m];
  let pieces: Array<[number, number]> = [[m.from, m.to]];
  for (const e of excluded) {
    if (e.kind !== 'range') continue;
    pieces = pieces.flatMap(([a, b]): Array<[number, number]> => {
      if (e.to < a || e.from > b) return [[a, b]];
      const keep: Array<[number, number]> = [];
      if (a < e.from) keep.push([a, e.from - 1]);
      if (e.to < b) keep.push([e.to + 1, b]);
      return keep;
    });
  }
  return pieces.map(([from, to]) => ({ ...m, from, to }));
}
