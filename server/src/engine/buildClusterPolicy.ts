/**
 * The cluster-wide policy kinds of policy.networking.k8s.io → PolicyModel
 * with a tier, a priority and an action per rule, so that reachability and
 * explain compose them with NetworkPolicy in one model (tiers.ts):
 * - v1alpha1 AdminNetworkPolicy (admin tier, spec.priority) and
 *   BaselineAdminNetworkPolicy (baseline tier, no priority, named "default");
 *   actions Allow/Deny/Pass (BANP: Allow/Deny); ports as portNumber,
 *   portRange (protocol defaults to TCP) and namedPort.
 * - v1alpha2 ClusterNetworkPolicy: spec.tier Admin or Baseline, spec.priority;
 *   actions Accept/Deny/Pass; ports as protocols[] with tcp/udp/sctp
 *   destinationPort (number or range) and destinationNamedPort.
 * Both generations share subjects (namespaces, or pods with a namespace and a
 * pod selector, host-network pods excluded) and peers: namespaces and pods
 * are pod peers; networks are CIDR peers (pods match by their known
 * addresses, and every pod matches a /0); nodes and domainNames stand for
 * nothing the workspace can resolve and admit no pod or address (external
 * peers). A peer with no known field fails closed, as the API asks: it
 * matches nothing in an Allow rule, everything in a Deny or Pass rule.
 */
import type { Node } from 'yaml';
import { buildIPBlock, type PolicyHeader } from './buildPolicy.js';
import { makeSelector, parseSelector, type Selector } from './labels.js';
import { PROTOCOLS, type Direction, type PeerMatcher, type PolicyModel, type PolicyRule, type PortMatcher, type Protocol, type TierPlace } from './model.js';
import { isValidPortName } from './ports.js';
import { finding, type Finding } from './rules.js';
import type { SourceSpan } from './source.js';
import type { RuleAction } from './tiers.js';
import { entry, get, integer, items, spanOf, text, type NodeContext } from './yamlNodes.js';

export const CLUSTER_POLICY_GROUP = 'policy.networking.k8s.io';
export const CLUSTER_POLICY_API_VERSIONS: Record<string, readonly string[]> = {
  AdminNetworkPolicy: [`${CLUSTER_POLICY_GROUP}/v1alpha1`],
  BaselineAdminNetworkPolicy: [`${CLUSTER_POLICY_GROUP}/v1alpha1`],
  ClusterNetworkPolicy: [`${CLUSTER_POLICY_GROUP}/v1alpha2`],
};
export const CLUSTER_POLICY_KINDS = Object.keys(CLUSTER_POLICY_API_VERSIONS);

/** The actions each kind's rules can take, as written (for completion and messages). */
export function clusterPolicyActions(kind: string): readonly string[] {
  return Object.keys(KIND_RULES[kind]?.actions ?? {});
}

const MAX_PRIORITY = 1000;

interface KindRules {
  /** Written action → action, for this kind. */
  readonly actions: Readonly<Record<string, RuleAction>>;
  readonly readPorts: (c: BuildContext, rule: Node) => PortMatcher[] | undefined;
}

const V1ALPHA1_ACTIONS = { Allow: 'allow', Deny: 'deny', Pass: 'pass' } as const;
const KIND_RULES: Record<string, KindRules> = {
  AdminNetworkPolicy: { actions: V1ALPHA1_ACTIONS, readPorts: (c, rule) => readV1alpha1Ports(c, rule) },
  BaselineAdminNetworkPolicy: { actions: { Allow: 'allow', Deny: 'deny' }, readPorts: (c, rule) => readV1alpha1Ports(c, rule) },
  ClusterNetworkPolicy: { actions: { Accept: 'allow', Deny: 'deny', Pass: 'pass' }, readPorts: (c, rule) => readProtocols(c, rule) },
};

interface BuildContext {
  readonly ctx: NodeContext;
  readonly kind: string;
  readonly findings: Finding[];
}

export function buildClusterPolicy(ctx: NodeContext, root: Node, kind: string, header: PolicyHeader, findings: Finding[]): PolicyModel {
  const c: BuildContext = { ctx, kind, findings };
  const spec = get(ctx, root, 'spec');
  const tier = readTier(c, spec, header);
  const subject = readSubject(c, spec, header);
  const rules = (direction: Direction) => items(ctx, get(ctx, spec, direction)).map((node, index) => buildRule(c, node, direction, index));
  const tieredRules = [...rules('ingress'), ...rules('egress')];
  return {
    id: header.name,
    namespace: '',
    name: header.name,
    kind,
    podSelector: subject.pods,
    selectorField: 'subject',
    targetNamespaces: subject.namespaces,
    affectsIngress: false,
    affectsEgress: false,
    ingress: [],
    egress: [],
    tier,
    tieredRules,
    ignoredRules: [],
    policyTypesSpan: undefined,
    addPolicyTypeFixes: {},
    span: header.span,
    nameSpan: header.nameSpan,
    egressSpan: spanOf(ctx, entry(ctx, spec, 'egress')?.keyNode ?? header.nameSpan),
    addDnsEgressFix: undefined,
  };
}

function readTier(c: BuildContext, spec: Node | undefined, header: PolicyHeader): TierPlace {
  const { ctx, kind, findings } = c;
  if (kind === 'BaselineAdminNetworkPolicy') return { tier: 'baseline', priority: 0 };
  let tier: TierPlace['tier'] = 'admin';
  if (kind === 'ClusterNetworkPolicy') {
    const tierNode = get(ctx, spec, 'tier');
    const written = text(ctx, tierNode);
    if (written === 'Baseline') tier = 'baseline';
    else if (written !== 'Admin') {
      findings.push(finding('object-invalid', spanOf(ctx, tierNode, header.nameSpan), { says: `spec.tier ${JSON.stringify(written ?? null)} is not a tier.`, next: 'Use Admin or Baseline.' }));
    }
  }
  const priorityNode = get(ctx, spec, 'priority');
  const priority = integer(ctx, priorityNode);
  if (priority === undefined || priority < 0 || priority > MAX_PRIORITY) {
    findings.push(
      finding('object-invalid', spanOf(ctx, priorityNode, header.nameSpan), {
        says: `spec.priority must be a whole number from 0 to ${MAX_PRIORITY}; Netlens evaluates this ${kind} last in its tier.`,
        next: 'Set a priority: lower numbers are evaluated first.',
      }),
    );
    return { tier, priority: MAX_PRIORITY };
  }
  return { tier, priority };
}

/** subject: exactly one of namespaces (every pod there) and pods (namespaceSelector and podSelector). */
function readSubject(c: BuildContext, spec: Node | undefined, header: PolicyHeader): { pods: Selector; namespaces: Selector } {
  const { ctx, findings } = c;
  const subject = get(ctx, spec, 'subject');
  const namespaces = get(ctx, subject, 'namespaces');
  const pods = get(ctx, subject, 'pods');
  if (namespaces !== undefined) return { pods: makeSelector([], true, spanOf(ctx, namespaces)), namespaces: namespacesSelector(c, namespaces) ?? makeSelector([], false, spanOf(ctx, namespaces)) };
  if (pods !== undefined) return namespacedPod(c, pods);
  const span = spanOf(ctx, subject, header.nameSpan);
  findings.push(finding('object-invalid', span, { says: 'spec.subject needs namespaces or pods; without one this policy selects no pod.', next: 'Add subject: {namespaces: {}} to select every pod.' }));
  const none = makeSelector([], false, span);
  return { pods: none, namespaces: none };
}

/**
 * NamespacedPod: an absent or empty selector selects every namespace, every
 * pod. Releases before v0.1.5 wrote the namespaces as `namespaces:
 * {namespaceSelector}` inside it; that shape is read too (the schema flags it).
 */
function namespacedPod(c: BuildContext, node: Node): { pods: Selector; namespaces: Selector } {
  const { ctx, findings } = c;
  const selector = (key: string) => {
    const n = get(ctx, node, key);
    return n === undefined ? makeSelector([], true, spanOf(ctx, node)) : parseSelector(ctx, n, findings);
  };
  const older = get(ctx, node, 'namespaces');
  const namespaces = older === undefined ? selector('namespaceSelector') : (namespacesSelector(c, older) ?? makeSelector([], false, spanOf(ctx, older)));
  return { namespaces, pods: selector('podSelector') };
}

/**
 * A `namespaces` value: a label selector, or in releases before v0.1.5
 * {namespaceSelector | sameLabels | notSameLabels}. Undefined for sameLabels
 * and notSameLabels, which name namespaces relative to the subject's and have
 * no fixed selector here.
 */
function namespacesSelector(c: BuildContext, node: Node): Selector | undefined {
  const { ctx, findings } = c;
  const older = get(ctx, node, 'namespaceSelector');
  if (older !== undefined) return parseSelector(ctx, older, findings);
  const relative = entry(ctx, node, 'sameLabels') ?? entry(ctx, node, 'notSameLabels');
  if (relative !== undefined) {
    findings.push(finding('object-invalid', spanOf(ctx, relative.keyNode), { says: 'sameLabels and notSameLabels were removed from the API (v0.1.5); Netlens reads this peer as matching nothing.', next: 'Select the namespaces with a label selector.' }));
    return undefined;
  }
  return parseSelector(ctx, node, findings);
}

function buildRule(c: BuildContext, node: Node, direction: Direction, index: number): PolicyRule {
  const { ctx, kind, findings } = c;
  const span = spanOf(ctx, node);
  const rules = KIND_RULES[kind]!;
  const actionNode = get(ctx, node, 'action');
  const written = text(ctx, actionNode);
  const known = written !== undefined && Object.hasOwn(rules.actions, written) ? rules.actions[written] : undefined;
  if (known === undefined) {
    findings.push(
      finding('object-invalid', spanOf(ctx, actionNode, span), {
        says: `${JSON.stringify(written ?? null)} is not an action of ${kind}; this rule matches no traffic here.`,
        next: `Use ${Object.keys(rules.actions).join(', ')}.`,
      }),
    );
  }
  const action = known ?? 'allow';
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  const peerNodes = items(ctx, get(ctx, node, peerKey));
  const peers: PeerMatcher[] | undefined = known === undefined ? [] : readPeers(c, peerNodes, action);
  const name = text(ctx, get(ctx, node, 'name'));
  return {
    direction,
    index,
    peers,
    ports: rules.readPorts(c, node),
    span,
    action,
    ...(name === undefined || name === '' ? {} : { name }),
  };
}

/** Undefined: every peer (a Deny or Pass failing closed). */
function readPeers(c: BuildContext, nodes: Node[], action: RuleAction): PeerMatcher[] | undefined {
  const { ctx, findings } = c;
  const peers: PeerMatcher[] = [];
  for (const node of nodes) {
    const span = spanOf(ctx, node);
    const namespaces = get(ctx, node, 'namespaces');
    const pods = get(ctx, node, 'pods');
    const networks = entry(ctx, node, 'networks');
    const nodesPeer = get(ctx, node, 'nodes');
    const domainNames = items(ctx, get(ctx, node, 'domainNames'));
    if (namespaces !== undefined) {
      const selector = namespacesSelector(c, namespaces);
      peers.push(selector === undefined ? { kind: 'invalid', span } : { kind: 'pods', namespaceSelector: selector, podSelector: undefined, span });
    }
    else if (pods !== undefined) {
      const selected = namespacedPod(c, pods);
      peers.push({ kind: 'pods', namespaceSelector: selected.namespaces, podSelector: selected.pods, span });
    } else if (networks !== undefined) {
      for (const cidr of items(ctx, networks.value)) {
        const block = buildIPBlock(ctx, cidr, spanOf(ctx, cidr), findings, { cidrNode: cidr, exceptNode: undefined, bareAddress: false });
        peers.push(block);
        // Cluster traffic is checked against networks too (the API's own example: 0.0.0.0/0 covers pod-to-pod traffic); every pod address is in a /0.
        if (block.kind === 'ipBlock' && block.cidr.bits === 0) peers.push({ kind: 'pods', namespaceSelector: makeSelector([], true, block.span), podSelector: undefined, span: block.span });
      }
    } else if (nodesPeer !== undefined) peers.push({ kind: 'external', what: 'nodes', span });
    else if (domainNames.length > 0) peers.push({ kind: 'external', what: `DNS name ${domainNames.map((d) => text(ctx, d) ?? '?').join(', ')}`, span });
    else {
      const failClosed = action === 'allow' ? 'matches no traffic' : 'matches all traffic (it fails closed)';
      findings.push(finding('object-invalid', span, { says: `This peer has none of the fields Netlens knows; as the API asks, the rule ${failClosed}.`, next: 'Use namespaces, pods, networks, nodes or domainNames.' }));
      if (action !== 'allow') return undefined;
      peers.push({ kind: 'invalid', span });
    }
  }
  return peers;
}

/** A rule's list of port matchers under `key`, each item read by `readOne`. Undefined: the list is absent, every port. */
function readPortList(c: BuildContext, rule: Node, key: string, readOne: (node: Node, span: SourceSpan, out: PortMatcher[]) => void): PortMatcher[] | undefined {
  const list = entry(c.ctx, rule, key);
  if (list === undefined) return undefined;
  const out: PortMatcher[] = [];
  for (const node of items(c.ctx, list.value)) readOne(node, spanOf(c.ctx, node), out);
  return out;
}

/** v1alpha1 ports: portNumber {protocol, port}, portRange {protocol, start, end}, namedPort. */
function readV1alpha1Ports(c: BuildContext, rule: Node): PortMatcher[] | undefined {
  const { ctx } = c;
  return readPortList(c, rule, 'ports', (node, span, out) => {
    const number = get(ctx, node, 'portNumber');
    const range = get(ctx, node, 'portRange');
    const named = get(ctx, node, 'namedPort');
    if (number !== undefined) out.push(portRange(c, protocolOf(c, get(ctx, number, 'protocol')), get(ctx, number, 'port'), get(ctx, number, 'port'), span));
    else if (range !== undefined) out.push(portRange(c, protocolOf(c, get(ctx, range, 'protocol')), get(ctx, range, 'start'), get(ctx, range, 'end'), span));
    else if (named !== undefined) appendNamedPort(c, named, span, out);
    else out.push(invalidPort(c, span, 'A port needs portNumber, portRange or namedPort.'));
  });
}

/** v1alpha2 protocols: tcp/udp/sctp with destinationPort (number or range), or destinationNamedPort. */
function readProtocols(c: BuildContext, rule: Node): PortMatcher[] | undefined {
  const { ctx } = c;
  return readPortList(c, rule, 'protocols', (node, span, out) => {
    const named = get(ctx, node, 'destinationNamedPort');
    const key = (['tcp', 'udp', 'sctp'] as const).find((p) => get(ctx, node, p) !== undefined);
    if (named !== undefined) appendNamedPort(c, named, span, out);
    else if (key === undefined) out.push(invalidPort(c, span, 'A protocol needs tcp, udp, sctp or destinationNamedPort.'));
    else {
      const protocol = key.toUpperCase() as Protocol;
      const port = get(ctx, node, key, 'destinationPort');
      const range = get(ctx, port, 'range');
      if (port === undefined) out.push({ kind: 'all', protocol, span });
      else if (range !== undefined) out.push(portRange(c, protocol, get(ctx, range, 'start'), get(ctx, range, 'end'), span));
      else out.push(portRange(c, protocol, get(ctx, port, 'number'), get(ctx, port, 'number'), span));
    }
  });
}

function protocolOf(c: BuildContext, node: Node | undefined): Protocol | undefined {
  if (node === undefined) return 'TCP';
  const written = text(c.ctx, node);
  if ((PROTOCOLS as readonly (string | undefined)[]).includes(written)) return written as Protocol;
  c.findings.push(finding('port-protocol-invalid', spanOf(c.ctx, node), `Protocol ${JSON.stringify(written ?? null)} is not TCP, UDP or SCTP.`));
  return undefined;
}

function portRange(c: BuildContext, protocol: Protocol | undefined, fromNode: Node | undefined, toNode: Node | undefined, span: SourceSpan): PortMatcher {
  if (protocol === undefined) return { kind: 'invalid', span };
  const from = integer(c.ctx, fromNode);
  const to = integer(c.ctx, toNode);
  if (from === undefined || to === undefined || from < 1 || to > 65535 || from > to) {
    c.findings.push(finding('port-invalid', spanOf(c.ctx, from === undefined ? fromNode : toNode, span), 'A port is a number from 1 to 65535, and a range runs from its start up to its end.'));
    return { kind: 'invalid', span };
  }
  return { kind: 'range', protocol, from, to, span };
}

/** A named port matches the destination's container port of that name, whatever its protocol. */
function appendNamedPort(c: BuildContext, node: Node, span: SourceSpan, out: PortMatcher[]): void {
  const name = text(c.ctx, node);
  if (name === undefined || !isValidPortName(name)) {
    out.push(invalidPort(c, spanOf(c.ctx, node, span), `${JSON.stringify(name ?? null)} is not a port name (at most 15 lowercase letters, digits and dashes).`));
    return;
  }
  for (const protocol of PROTOCOLS) out.push({ kind: 'named', protocol, name, span: spanOf(c.ctx, node) });
}

function invalidPort(c: BuildContext, span: SourceSpan, says: string): PortMatcher {
  c.findings.push(finding('port-invalid', span, says));
  return { kind: 'invalid', span };
}
