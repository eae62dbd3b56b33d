/**
 * Policies in plain English, for hovers, the graph and the CLI:
 * "Pods app=db in prod: this policy allows ingress of TCP 5432 from pods app=api in namespaces team=payments."
 */
import { describeSelector, isEmptySelector } from './labels.js';
import type { PeerMatcher, PolicyModel, PolicyRule, PortMatcher } from './model.js';

/** "prod", "all namespaces", "namespaces team=a": where a policy picks its pods. */
export function describeTargetNamespaces(policy: PolicyModel): string {
  const targets = policy.targetNamespaces;
  if (targets === undefined) return policy.namespace;
  if (isEmptySelector(targets)) return 'all namespaces';
  return `namespaces ${describeSelector(targets)}`;
}

function describePods(policy: PolicyModel): string {
  const where = describeTargetNamespaces(policy);
  return isEmptySelector(policy.podSelector) ? `All pods in ${where}` : `Pods ${describeSelector(policy.podSelector)} in ${where}`;
}

export function describePeer(policy: PolicyModel, peer: PeerMatcher): string {
  switch (peer.kind) {
    case 'invalid':
      return 'nothing (an invalid peer)';
    case 'external':
      return `${peer.what} (not modelled)`;
    case 'ipBlock':
      if (peer.outsideCluster && peer.cidr.bits === 0 && peer.except.length === 0) return `any IPv${peer.cidr.family} address outside the cluster`;
      return `addresses ${peer.cidr.toString()}${peer.except.length > 0 ? ` except ${peer.except.map((e) => e.toString()).join(', ')}` : ''}${peer.outsideCluster ? ' outside the cluster' : ''}`;
    case 'pods': {
      const pods = peer.podSelector === undefined || isEmptySelector(peer.podSelector) ? 'all pods' : `pods ${describeSelector(peer.podSelector)}`;
      if (peer.namespaceSelector === undefined) return `${pods} in ${policy.namespace}`;
      if (isEmptySelector(peer.namespaceSelector)) return `${pods} in all namespaces`;
      return `${pods} in namespaces ${describeSelector(peer.namespaceSelector)}`;
    }
  }
}

export function describePort(m: PortMatcher): string {
  switch (m.kind) {
    case 'invalid':
      return 'no port (invalid)';
    case 'all':
      return `any ${m.protocol} port`;
    case 'range':
      return m.from === m.to ? `${m.protocol} ${m.from}` : `${m.protocol} ${m.from}-${m.to}`;
    case 'named': {
      const except = (m.except ?? []).map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));
      return `${m.protocol} port "${m.name}"${except.length === 0 ? '' : ` unless it is ${except.join(' or ')}`}`;
    }
  }
}

/** A rule's ports and peers: "TCP 80 from pods app=web in shop". */
export function describeRule(policy: PolicyModel, rule: PolicyRule): string {
  const ports = rule.ports === undefined ? 'any traffic' : rule.ports.map(describePort).join(' or ');
  const dir = rule.direction === 'ingress' ? 'from' : 'to';
  const peers = rule.peers === undefined ? 'anywhere' : rule.peers.length === 0 ? 'nobody (an empty rule)' : rule.peers.map((p) => describePeer(policy, p)).join(' or ');
  // Tiered kinds (AdminNetworkPolicy, ...) name their action where the rule is listed (actionWord), so only ordered policies say it here.
  const action = rule.action === undefined || policy.place === undefined ? '' : `${ACTION_WORDS[rule.action]}: `;
  return `${action}${ports} ${dir} ${peers}${l7Note(rule)}`;
}

/** How an ordered policy's rule (Calico) is introduced; rules of other kinds only allow and say nothing. */
const ACTION_WORDS: Record<NonNullable<PolicyRule['action']>, string> = { allow: 'Allow', deny: 'Deny', pass: 'Pass to the next tier', log: 'Log, then go on' };

/** " (L7-filtered: HTTP)": the rule also filters requests, which Netlens does not decide. */
export function l7Note(rule: PolicyRule): string {
  return rule.l7 === undefined ? '' : ` (L7-filtered: ${rule.l7.join(', ')}; decided here at L4)`;
}

/** The action as the kind writes it: Accept for ClusterNetworkPolicy, Allow for AdminNetworkPolicy. */
export function actionWord(policy: PolicyModel, rule: PolicyRule): string {
  const action = rule.action ?? 'allow';
  if (action === 'allow') return policy.kind === 'ClusterNetworkPolicy' ? 'Accept' : 'Allow';
  return action === 'deny' ? 'Deny' : 'Pass';
}

/** "ClusterNetworkPolicy guard ingress rule 1 (no-slytherin-in)": a tiered rule named for messages. */
export function tieredRuleName(policy: PolicyModel, rule: PolicyRule): string {
  return `${policy.kind ?? 'NetworkPolicy'} ${policy.id} ${rule.direction} rule ${rule.index + 1}${rule.name === undefined ? '' : ` (${rule.name})`}`;
}

/** "the admin tier at priority 10". */
export function describeTierPlace(policy: PolicyModel): string {
  return policy.tier === undefined ? 'the NetworkPolicy tier' : policy.tier.tier === 'admin' ? `the admin tier at priority ${policy.tier.priority}` : `the baseline tier${policy.kind === 'BaselineAdminNetworkPolicy' ? '' : ` at priority ${policy.tier.priority}`}`;
}

/** Where a policy's rules decide: "the admin tier at priority 10", "Calico tier security at order 100", "the NetworkPolicy tier". */
export function describeDecidingPlace(policy: PolicyModel): string {
  if (policy.place !== undefined) return `Calico tier ${policy.place.tier} ${policy.place.order === undefined ? 'with no order' : `at order ${policy.place.order}`}`;
  if (policy.tier !== undefined) return describeTierPlace(policy);
  // Cilium's policies decide where NetworkPolicy does: beside it, between the admin and the baseline tier.
  return policy.kind === undefined ? 'the NetworkPolicy tier' : `the NetworkPolicy tier (${policy.kind})`;
}

function describeTiered(policy: PolicyModel): string {
  const rules = policy.tieredRules ?? [];
  const written = rules.map((r) => `${actionWord(policy, r)} ${r.direction} of ${describeRule(policy, r)}`);
  const order =
    policy.tier?.tier === 'baseline'
      ? 'Baseline rules decide only for pods no NetworkPolicy selects in that direction, and what an admin rule has not decided.'
      : 'Admin rules come before every NetworkPolicy: lowest priority first, rules in written order, the first match decides; Pass hands the traffic to NetworkPolicy.';
  return `${describePods(policy)} (${policy.kind} in ${describeTierPlace(policy)}): ${written.length === 0 ? 'no rules, so it affects no traffic' : written.join('; ')}. ${order}`;
}

function describeDirection(policy: PolicyModel, direction: 'ingress' | 'egress'): string {
  if (policy.orderedRules !== undefined) {
    // An ordered policy: every rule in order, each with its action, as the first that matches decides.
    const ordered = policy.orderedRules.filter((r) => r.direction === direction);
    if (ordered.length === 0) return `has no ${direction} rules (in its tier it decides nothing for ${direction})`;
    return `checks ${direction} in order, the first rule that matches deciding: ${ordered.map((r) => describeRule(policy, r)).join('; ')}`;
  }
  const rules = direction === 'ingress' ? policy.ingress : policy.egress;
  if (rules.length === 0) return `allows no ${direction} (it only isolates them for ${direction})`;
  return `allows ${direction} of ${rules.map((r) => describeRule(policy, r)).join('; ')}`;
}

function describeDenials(policy: PolicyModel, direction: 'ingress' | 'egress'): string | undefined {
  const rules = (policy.denyRules ?? []).filter((r) => r.direction === direction);
  return rules.length === 0 ? undefined : `denies ${direction} of ${rules.map((r) => describeRule(policy, r)).join('; ')}`;
}

/**
 * What the policy adds, then how policies combine: a policy only ever adds
 * allowed traffic for the pods it selects; being selected is what isolates
 * them, and then only what some policy allows gets through.
 */
export function describePolicy(policy: PolicyModel): string {
  if (policy.tier !== undefined) return describeTiered(policy);
  const parts: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const affects = direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    if (affects) parts.push(describeDirection(policy, direction));
    else if (rules.length > 0) parts.push(`${describeDirection(policy, direction)} without isolating them for ${direction} (enableDefaultDeny is false)`);
    const denials = describeDenials(policy, direction);
    if (denials !== undefined) parts.push(denials);
  }
  if (parts.length === 0) return `${describePods(policy)}: this policy affects no traffic.`;
  if (policy.place !== undefined) {
    const order = policy.place.order === undefined ? 'with no order (after every ordered policy)' : `at order ${policy.place.order}`;
    return (
      `${describePods(policy)}: this policy ${parts.join(', and ')}. It sits in tier ${policy.place.tier} ${order}; ` +
      'tiers and policies are evaluated in order and the first rule that matches decides, so an earlier Deny takes away what a later policy (a NetworkPolicy sits at order 1000 of the default tier) would allow.'
    );
  }
  if (policy.denyRules !== undefined) {
    return `${describePods(policy)}: this policy ${parts.join(', and ')}. Its deny rules win over whatever any policy allows; its allow rules add to what other policies allow.`;
  }
  const verbs = policy.affectsIngress && policy.affectsEgress ? 'accept and send' : policy.affectsIngress ? 'accept' : 'send';
  return (
    `${describePods(policy)}: this policy ${parts.join(', and ')}. ` +
    `Policies add up: the pods it selects ${verbs} whatever any policy selecting them allows, and nothing that none allows; this policy never takes away what another allows.`
  );
}
