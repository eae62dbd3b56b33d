/**
 * The upstream NetworkPolicy semantics, one pod (or address) at a time. This is
 * the obviously-correct reading of the spec: `explain` uses it to say why, and
 * tests compare the fast bitset evaluator in reachability.ts against it.
 */
import type { IPAddress } from './cidr.js';
import { podSelectorMatches, type EndpointContext } from './calicoLabels.js';
import { selectorMatches, type Labels } from './labels.js';
import type { PeerMatcher, PodGroup, PolicyModel, PolicyRule, PortMatcher, Protocol } from './model.js';
import { resolveNamedMatcher } from './ports.js';
import { compareTieredRules, type TieredRule } from './tiers.js';

/** One end of a connection: a pod of a group, or an address outside the workspace's pods. */
export type Endpoint = { readonly kind: 'pod'; readonly group: PodGroup } | { readonly kind: 'external'; readonly ip: IPAddress };

export type NamespaceLabels = (namespace: string) => Labels;

/** ServiceAccount labels by "namespace/name" (WorkspaceModel.serviceAccounts). */
export type ServiceAccountLabels = ReadonlyMap<string, Labels>;

const NO_ACCOUNTS: ServiceAccountLabels = new Map();

/** What a selector reading Calico's endpoint labels sees: the namespace's and the service account's labels. */
export function endpointContext(namespaceLabels: NamespaceLabels, accounts: ServiceAccountLabels): EndpointContext {
  return { namespaceLabels, serviceAccountLabels: (namespace, name) => accounts.get(`${namespace}/${name}`) };
}

/**
 * Policies apply to pods in the pod network; host-network pods are the node's
 * traffic. A cluster-wide policy picks pods in the namespaces its
 * targetNamespaces selects.
 */
export function policySelects(policy: PolicyModel, group: PodGroup, namespaceLabels: NamespaceLabels, accounts: ServiceAccountLabels = NO_ACCOUNTS): boolean {
  if (group.hostNetwork || !podSelectorMatches(policy.podSelector, group, endpointContext(namespaceLabels, accounts))) return false;
  return policy.targetNamespaces === undefined ? group.namespace === policy.namespace : selectorMatches(policy.targetNamespaces, namespaceLabels(group.namespace));
}

export function peerMatches(policy: PolicyModel, peer: PeerMatcher, endpoint: Endpoint, namespaceLabels: NamespaceLabels, accounts: ServiceAccountLabels = NO_ACCOUNTS): boolean {
  switch (peer.kind) {
    case 'invalid':
    case 'external':
      return false;
    case 'ipBlock': {
      if (peer.outsideCluster && endpoint.kind === 'pod') return false;
      const ips = endpoint.kind === 'pod' ? endpoint.group.ips : [endpoint.ip];
      return ips.some((ip) => ip.family === peer.addresses.family && peer.addresses.contains(ip));
    }
    case 'pods': {
      if (endpoint.kind !== 'pod' || endpoint.group.hostNetwork) return false;
      const g = endpoint.group;
      const inNamespace =
        peer.namespaceSelector === undefined ? g.namespace === policy.namespace : selectorMatches(peer.namespaceSelector, namespaceLabels(g.namespace));
      return inNamespace && (peer.podSelector === undefined || podSelectorMatches(peer.podSelector, g, endpointContext(namespaceLabels, accounts)));
    }
  }
}

/** Named ports are looked up on the destination pod, for ingress and egress alike. */
export function portMatches(matcher: PortMatcher, port: number, protocol: Protocol, destination: Endpoint): boolean {
  switch (matcher.kind) {
    case 'invalid':
      return false;
    case 'all':
      return matcher.protocol === protocol;
    case 'range':
      return matcher.protocol === protocol && matcher.from <= port && port <= matcher.to;
    case 'named':
      return (
        matcher.protocol === protocol && destination.kind === 'pod' && resolveNamedMatcher(destination.group.ports, matcher, protocol)?.port === port
      );
  }
}

export function ruleAllows(
  policy: PolicyModel,
  rule: PolicyRule,
  peer: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: Protocol,
  namespaceLabels: NamespaceLabels,
  accounts: ServiceAccountLabels = NO_ACCOUNTS,
): boolean {
  const peerOk = rule.peers === undefined || rule.peers.some((p) => peerMatches(policy, p, peer, namespaceLabels, accounts));
  const portOk = rule.ports === undefined || rule.ports.some((m) => portMatches(m, port, protocol, destination));
  return peerOk && portOk;
}

/** What a cluster-wide rule does in tiers.ts: its kinds know Allow, Deny and Pass (Log is Calico's, whose rules are never tiered). */
export function tierActionOf(rule: PolicyRule): TieredRule['action'] {
  return rule.action === 'deny' || rule.action === 'pass' ? rule.action : 'allow';
}

/** A cluster-wide policy's rule as tiers.ts orders it; ties between policies break on kind and name, only to be deterministic. */
export function asTieredRule(policy: PolicyModel, rule: PolicyRule): TieredRule {
  return {
    tier: policy.tier?.tier ?? 'admin',
    priority: policy.tier?.priority ?? 0,
    action: tierActionOf(rule),
    policyId: `${policy.kind ?? 'NetworkPolicy'}/${policy.id}`,
    ruleIndex: rule.index,
  };
}

/** Admin rules before baseline rules, each tier in evaluation order (tiers.ts). */
export function inEvaluationOrder(a: { policy: PolicyModel; rule: PolicyRule }, b: { policy: PolicyModel; rule: PolicyRule }): number {
  const ta = asTieredRule(a.policy, a.rule);
  const tb = asTieredRule(b.policy, b.rule);
  if (ta.tier !== tb.tier) return ta.tier === 'admin' ? -1 : 1;
  return compareTieredRules(ta, tb);
}

/** The tiered rules of a direction of every cluster-wide policy whose subject is the pod, in evaluation order. */
export function tieredRulesFor(
  policies: readonly PolicyModel[],
  group: PodGroup,
  direction: 'ingress' | 'egress',
  namespaceLabels: NamespaceLabels,
): Array<{ readonly policy: PolicyModel; readonly rule: PolicyRule }> {
  const out: Array<{ policy: PolicyModel; rule: PolicyRule }> = [];
  for (const policy of policies) {
    if (policy.tieredRules === undefined || !policySelects(policy, group, namespaceLabels)) continue;
    for (const rule of policy.tieredRules) if (rule.direction === direction) out.push({ policy, rule });
  }
  return out.sort(inEvaluationOrder);
}
