/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2) →
 * PolicyModel, so that matrix, explain, lenses, hovers and the graph read them
 * as they read NetworkPolicy. What differs from NetworkPolicy is settled here,
 * once (facts from the Cilium policy language reference):
 * - endpointSelector picks pods of the policy's namespace for a CNP, of every
 *   namespace for a CCNP; nodeSelector (host policies) is not modelled.
 * - fromEndpoints/toEndpoints without the `io.kubernetes.pod.namespace` label
 *   default to the policy's namespace for a CNP, to every namespace for a
 *   CCNP; `k8s:`/`any:` label prefixes are the label sources Cilium matches.
 * - an empty rule `{}` admits nothing (the opposite of NetworkPolicy); a rule
 *   with only toPorts admits every peer on those ports.
 * - a rule section (ingress, ingressDeny; egress, egressDeny) present, even
 *   empty, puts the selected pods in default deny for that direction, unless
 *   enableDefaultDeny says otherwise.
 * - world is 0.0.0.0/0 and ::/0, cluster is every pod, all is both; other
 *   entities (host, remote-node, kube-apiserver, ...) are peers outside the
 *   model, admitting no pod.
 * - world and CIDR peers never match a pod, whatever its IP: world is "all
 *   endpoints outside of the cluster", and CIDR rules describe "external
 *   services if the remote peer is not an endpoint" (Cilium's layer 3 policy
 *   documentation); pods are matched by labels only.
 * - L7 rules (http, kafka, dns, l7proto) and toFQDNs are decided at L4 and the
 *   rule is flagged L7-filtered.
 */
import type { Node } from 'yaml';
import { parsePrefix, RangeSet } from './cidr.js';
import { buildIPBlock, type PolicyHeader } from './buildPolicy.js';
import { makeSelector, parseSelector, type Selector, type SelectorRequirement } from './labels.js';
import { PROTOCOLS, type Direction, type IPBlockPeer, type PeerMatcher, type PolicyModel, type PolicyRule, type PortMatcher, type Protocol } from './model.js';
import { finding, type Finding } from './rules.js';
import type { SourceSpan } from './source.js';
import { entry, get, isNullNode, items, scalar, spanOf, text, type NodeContext } from './yamlNodes.js';

export const CILIUM_POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;
export const CILIUM_API_VERSION = 'cilium.io/v2';

type Scope = 'namespace' | 'cluster';

/** The namespace label Cilium gives every pod, and the prefix under which it copies its namespace's labels. */
const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Entities Cilium defines that stand for no pod and no address of the workspace. */
const OUTSIDE_ENTITIES = new Set(['host', 'remote-node', 'kube-apiserver', 'ingress', 'init', 'health', 'unmanaged', 'none']);
const L3_KEYS: Record<Direction, readonly string[]> = {
  ingress: ['fromEndpoints', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromNodes', 'fromGroups'],
  egress: ['toEndpoints', 'toEntities', 'toCIDR', 'toCIDRSet', 'toNodes', 'toGroups', 'toServices', 'toFQDNs'],
};
const L7_KINDS: Record<string, string> = { http: 'HTTP', kafka: 'Kafka', dns: 'DNS', l7proto: 'L7 protocol' };

interface CiliumContext {
  readonly ctx: NodeContext;
  readonly scope: Scope;
  readonly namespace: string;
  readonly findings: Finding[];
}

/** One PolicyModel per rule: `spec`, then each of `specs`. Host policies (nodeSelector) yield none. */
export function buildCiliumPolicies(ctx: NodeContext, root: Node, kind: string, header: PolicyHeader, findings: Finding[]): PolicyModel[] {
  const scope: Scope = kind === 'CiliumClusterwideNetworkPolicy' ? 'cluster' : 'namespace';
  const namespace = scope === 'cluster' ? '' : header.namespace;
  const c: CiliumContext = { ctx, scope, namespace, findings };
  const spec = get(ctx, root, 'spec');
  const specs = items(ctx, get(ctx, root, 'specs'));
  const rules = [...(spec === undefined || isNullNode(ctx, spec) ? [] : [spec]), ...specs];
  if (rules.length === 0) {
    findings.push(finding('object-invalid', header.nameSpan, { says: `This ${kind} has neither spec nor specs, so it selects nothing.`, next: 'Add a spec with an endpointSelector.' }));
    return [];
  }
  const baseId = scope === 'cluster' ? header.name : `${header.namespace}/${header.name}`;
  const out: PolicyModel[] = [];
  rules.forEach((node, i) => {
    const id = spec !== undefined && i === 0 ? baseId : `${baseId} specs[${spec === undefined ? i : i - 1}]`;
    const model = buildRuleSet(c, node, kind, { ...header, namespace }, id);
    if (model !== undefined) out.push(model);
  });
  return out;
}

function buildRuleSet(c: CiliumContext, spec: Node, kind: string, header: PolicyHeader, id: string): PolicyModel | undefined {
  const { ctx, findings } = c;
  const endpointEntry = entry(ctx, spec, 'endpointSelector');
  const nodeEntry = entry(ctx, spec, 'nodeSelector');
  if (endpointEntry === undefined) {
    if (nodeEntry !== undefined) {
      findings.push(
        finding(
          'cilium-host-policy-not-modelled',
          spanOf(ctx, nodeEntry.keyNode),
          'This is a host policy (nodeSelector): it applies to nodes, which Netlens does not model, so it changes no pod-to-pod verdict here.',
        ),
      );
    } else findings.push(finding('object-invalid', spanOf(ctx, spec), { says: 'A Cilium rule needs an endpointSelector or a nodeSelector.', next: 'Add endpointSelector: {} to select every pod.' }));
    return undefined;
  }
  const selected = splitSelector(c, parseSelector(ctx, endpointEntry.value, findings), 'endpointSelector');
  const ingressEntry = entry(ctx, spec, 'ingress');
  const egressEntry = entry(ctx, spec, 'egress');
  const ingressDenyEntry = entry(ctx, spec, 'ingressDeny');
  const egressDenyEntry = entry(ctx, spec, 'egressDeny');
  const defaultDeny = entry(ctx, spec, 'enableDefaultDeny')?.value;
  const flag = (direction: Direction, sections: boolean): boolean => {
    const value = scalar(ctx, get(ctx, defaultDeny, direction));
    return typeof value === 'boolean' ? value : sections;
  };
  const rules = (e: { value: Node | undefined } | undefined, direction: Direction, deny: boolean) =>
    items(ctx, e?.value).map((n, i) => buildCiliumRule(c, n, direction, i, deny));
  const denyRules = [...rules(ingressDenyEntry, 'ingress', true), ...rules(egressDenyEntry, 'egress', true)];
  const egressKey = egressEntry?.keyNode ?? egressDenyEntry?.keyNode;
  return {
    id,
    namespace: header.namespace,
    name: header.name,
    kind,
    podSelector: selected.pods,
    selectorField: 'endpointSelector',
    enforcedBy: 'cilium',
    ...(selected.namespaces === undefined ? {} : { targetNamespaces: selected.namespaces }),
    affectsIngress: flag('ingress', ingressEntry !== undefined || ingressDenyEntry !== undefined),
    affectsEgress: flag('egress', egressEntry !== undefined || egressDenyEntry !== undefined),
    ingress: rules(ingressEntry, 'ingress', false),
    egress: rules(egressEntry, 'egress', false),
    ...(denyRules.length === 0 ? {} : { denyRules }),
    ignoredRules: [],
    policyTypesSpan: undefined,
    addPolicyTypeFixes: {},
    span: header.span,
    nameSpan: header.nameSpan,
    ...(header.namespaceSpan === undefined ? {} : { namespaceSpan: header.namespaceSpan }),
    egressSpan: spanOf(ctx, egressKey ?? endpointEntry.keyNode),
    addDnsEgressFix: undefined,
  };
}

/**
 * A Cilium endpoint selector split into what it asks of the pod and what it
 * asks of the pod's namespace. Undefined namespaces: the policy's namespace.
 */
interface SplitSelector {
  readonly pods: Selector;
  readonly namespaces: Selector | undefined;
  /** `reserved:` labels: identities such as host or world, not pods. */
  readonly reserved: readonly string[];
}

function stripSource(key: string): string {
  const m = /^(k8s|any):(.*)$/.exec(key);
  return m ? m[2]! : key;
}

function splitSelector(c: CiliumContext, selector: Selector, where: 'endpointSelector' | 'peer'): SplitSelector {
  const podRequirements: SelectorRequirement[] = [];
  const namespaceRequirements: SelectorRequirement[] = [];
  const reserved: string[] = [];
  let namesNamespace = false;
  for (const r of selector.requirements) {
    const key = stripSource(r.key);
    if (key.startsWith('reserved:')) reserved.push(key.slice('reserved:'.length));
    else if (key === POD_NAMESPACE_LABEL) {
      namespaceRequirements.push({ ...r, key: NAMESPACE_NAME_LABEL });
      namesNamespace = true;
    } else if (key.startsWith(NAMESPACE_LABELS_PREFIX)) {
      if (c.scope === 'cluster') namespaceRequirements.push({ ...r, key: key.slice(NAMESPACE_LABELS_PREFIX.length) });
      else if (r.keySpan !== undefined) {
        c.findings.push(
          finding('cilium-namespace-labels-ignored', r.keySpan, `Cilium ignores ${NAMESPACE_LABELS_PREFIX}* in a CiliumNetworkPolicy (only a CiliumClusterwideNetworkPolicy can use it), so this requirement does not narrow the selection.`),
        );
      }
    } else podRequirements.push({ ...r, key });
  }
  const pods = makeSelector(podRequirements, selector.valid, selector.span);
  if (c.scope === 'cluster') return { pods, namespaces: makeSelector(namespaceRequirements, selector.valid, selector.span), reserved };
  if (namespaceRequirements.length === 0) return { pods, namespaces: undefined, reserved };
  // A CNP's endpointSelector always stays in the policy's namespace; a peer names namespaces outright.
  const own: SelectorRequirement[] = where === 'endpointSelector' || !namesNamespace ? [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [c.namespace] }] : [];
  return { pods, namespaces: makeSelector([...own, ...namespaceRequirements], selector.valid, selector.span), reserved };
}

function buildCiliumRule(c: CiliumContext, node: Node, direction: Direction, index: number, deny: boolean): PolicyRule {
  const { ctx } = c;
  const span = spanOf(ctx, node);
  const written = L3_KEYS[direction].filter((k) => items(ctx, get(ctx, node, k)).length > 0);
  const peers: PeerMatcher[] = [];
  for (const key of written) for (const item of items(ctx, get(ctx, node, key))) appendPeers(c, key, item, peers);
  for (const key of ['fromRequires', 'toRequires']) {
    const e = entry(ctx, node, key);
    if (e !== undefined) c.findings.push(finding('cilium-field-not-modelled', spanOf(ctx, e.keyNode), `${key} is not modelled (deprecated since Cilium 1.17): Netlens evaluates this rule without it.`));
  }
  const toPorts = items(ctx, get(ctx, node, 'toPorts'));
  const icmps = entry(ctx, node, 'icmps');
  const l7 = new Set<string>();
  if (direction === 'egress' && items(ctx, get(ctx, node, 'toFQDNs')).length > 0) l7.add('DNS names');
  let ports: PortMatcher[] | undefined;
  if (toPorts.length > 0) {
    ports = [];
    for (const tp of toPorts) {
      const portNodes = items(ctx, get(ctx, tp, 'ports'));
      if (portNodes.length === 0) for (const p of PROTOCOLS) ports.push({ kind: 'all', protocol: p, span: spanOf(ctx, tp) });
      for (const p of portNodes) ports.push(...buildCiliumPort(c, p));
      const l7Rules = get(ctx, tp, 'rules');
      for (const [key, label] of Object.entries(L7_KINDS)) if (entry(ctx, l7Rules, key) !== undefined) l7.add(label);
      if (entry(ctx, tp, 'serverNames') !== undefined) l7.add('TLS SNI');
    }
  } else if (icmps !== undefined) ports = []; // ICMP only: no TCP, UDP or SCTP port
  const rule: PolicyRule = {
    direction,
    index,
    // No L3 field: every peer when L4 is given, none for the empty rule.
    peers: written.length > 0 ? peers : toPorts.length > 0 || icmps !== undefined ? undefined : [],
    ports,
    span,
    ...(deny ? { deny: true } : {}),
    ...(l7.size > 0 && !deny ? { l7: [...l7] } : {}),
  };
  return rule;
}

function appendPeers(c: CiliumContext, key: string, item: Node, out: PeerMatcher[]): void {
  const { ctx, findings } = c;
  const span = spanOf(ctx, item);
  switch (key) {
    case 'fromEndpoints':
    case 'toEndpoints': {
      const split = splitSelector(c, parseSelector(ctx, item, findings), 'peer');
      if (split.reserved.length > 0) out.push({ kind: 'external', what: `identity reserved:${split.reserved.join(', reserved:')}`, span });
      else out.push({ kind: 'pods', namespaceSelector: split.namespaces, podSelector: split.pods, span });
      return;
    }
    case 'fromEntities':
    case 'toEntities': {
      const name = text(ctx, item) ?? '';
      if (name === 'world' || name === 'all') out.push(anywhere(4, span), anywhere(6, span));
      else if (name === 'world-ipv4') out.push(anywhere(4, span));
      else if (name === 'world-ipv6') out.push(anywhere(6, span));
      if (name === 'cluster' || name === 'all') out.push({ kind: 'pods', namespaceSelector: makeSelector([], true, span), podSelector: undefined, span });
      if (['world', 'all', 'world-ipv4', 'world-ipv6', 'cluster'].includes(name)) return;
      if (OUTSIDE_ENTITIES.has(name)) {
        out.push({ kind: 'external', what: `entity ${name}`, span });
        findings.push(finding('cilium-entity-not-modelled', span, `The entity ${name} is not a pod or an address Netlens models: this peer admits no pod of the workspace.`));
        return;
      }
      findings.push(finding('object-invalid', span, { says: `Unknown Cilium entity ${JSON.stringify(name)}.`, next: `Use one of world, cluster, all, ${[...OUTSIDE_ENTITIES].join(', ')}.` }));
      out.push({ kind: 'invalid', span });
      return;
    }
    case 'fromCIDR':
    case 'toCIDR':
      out.push(outsideCluster(buildIPBlock(ctx, item, span, findings, { cidrNode: item, exceptNode: undefined, bareAddress: true })));
      return;
    case 'fromCIDRSet':
    case 'toCIDRSet':
      if (get(ctx, item, 'cidr') === undefined) {
        out.push({ kind: 'external', what: 'a CIDR group', span });
        findings.push(finding('cilium-field-not-modelled', span, 'CIDR groups (cidrGroupRef, cidrGroupSelector) are not modelled: this peer admits no address here.'));
        return;
      }
      out.push(outsideCluster(buildIPBlock(ctx, item, span, findings, { cidrNode: get(ctx, item, 'cidr'), exceptNode: get(ctx, item, 'except'), bareAddress: true })));
      return;
    case 'toFQDNs': {
      const name = text(ctx, get(ctx, item, 'matchName')) ?? text(ctx, get(ctx, item, 'matchPattern')) ?? '?';
      out.push({ kind: 'external', what: `DNS name ${name}`, span });
      return;
    }
    default: {
      // toServices, fromNodes/toNodes, fromGroups/toGroups.
      out.push({ kind: 'external', what: key, span });
      findings.push(finding('cilium-field-not-modelled', span, `${key} is not modelled: this peer admits no pod of the workspace here.`));
    }
  }
}

function anywhere(family: 4 | 6, span: SourceSpan): IPBlockPeer {
  const parsed = parsePrefix(family === 4 ? '0.0.0.0/0' : '::/0');
  if (!parsed.ok) throw new Error(parsed.error);
  return { kind: 'ipBlock', cidr: parsed.value, cidrSpan: span, except: [], addresses: RangeSet.fromPrefix(parsed.value), outsideCluster: true, span };
}

function outsideCluster(peer: PeerMatcher): PeerMatcher {
  return peer.kind === 'ipBlock' ? { ...peer, outsideCluster: true } : peer;
}

/** One toPorts port: Cilium writes ports as strings; protocol ANY (or none) is every protocol; port 0 or none is every port. */
function buildCiliumPort(c: CiliumContext, node: Node): PortMatcher[] {
  const { ctx, findings } = c;
  const span = spanOf(ctx, node);
  const protocolNode = get(ctx, node, 'protocol');
  const protocolText = (text(ctx, protocolNode) ?? '').toUpperCase();
  let protocols: readonly Protocol[];
  if (protocolText === '' || protocolText === 'ANY') protocols = PROTOCOLS;
  else if ((PROTOCOLS as readonly string[]).includes(protocolText)) protocols = [protocolText as Protocol];
  else {
    // ICMP and the like are not decided by Netlens; the port then admits no TCP, UDP or SCTP.
    findings.push(finding('port-protocol-invalid', spanOf(ctx, protocolNode ?? node), `Protocol ${JSON.stringify(text(ctx, protocolNode))} is not one Netlens decides: use TCP, UDP, SCTP or ANY.`));
    return [{ kind: 'invalid', span }];
  }
  const portNode = get(ctx, node, 'port');
  const raw = portNode === undefined || isNullNode(ctx, portNode) ? '0' : String(scalar(ctx, portNode) ?? '');
  const endPort = scalar(ctx, get(ctx, node, 'endPort'));
  if (/^[0-9]+$/.test(raw)) {
    const port = Number(raw);
    if (port > 65535) {
      findings.push(finding('port-invalid', spanOf(ctx, portNode ?? node), `port ${port} is out of range: ports are 0-65535 (0 means every port).`));
      return [{ kind: 'invalid', span }];
    }
    if (port === 0) return protocols.map((protocol) => ({ kind: 'all', protocol, span }));
    let to = port;
    if (typeof endPort === 'number' && endPort !== 0) {
      if (!Number.isInteger(endPort) || endPort < port || endPort > 65535) {
        findings.push(finding('end-port-invalid', spanOf(ctx, get(ctx, node, 'endPort')), `endPort ${endPort} must be a port from ${port} to 65535.`));
        return [{ kind: 'invalid', span }];
      }
      to = endPort;
    }
    return protocols.map((protocol) => ({ kind: 'range', protocol, from: port, to, span }));
  }
  if (/^[a-z0-9-]{1,15}$/.test(raw) && /[a-z]/.test(raw)) return protocols.map((protocol) => ({ kind: 'named', protocol, name: raw, span: spanOf(ctx, portNode) }));
  findings.push(finding('port-invalid', spanOf(ctx, portNode ?? node), `port ${JSON.stringify(raw)} is neither a port number nor a port name.`));
  return [{ kind: 'invalid', span }];
}

