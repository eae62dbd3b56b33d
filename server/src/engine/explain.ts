/**
 * Why one connection is allowed or denied: which policies isolate each side
 * and which rules let it through. One explanation feeds hover, graph and CLI.
 */
import type { PolicyModel, PolicyRule, Protocol } from './model.js';
import { asTieredRule, policySelects, ruleAllows, tieredRulesFor, type Endpoint, type NamespaceLabels } from './matching.js';
import { standsForOnePod } from './reachability.js';
import { decideDirection } from './tiers.js';

export interface RuleRef {
  readonly policy: PolicyModel;
  readonly rule: PolicyRule;
}

export interface SideVerdict {
  /** Whether some policy of this direction selects the pod (false for external endpoints). */
  readonly isolated: boolean;
  readonly isolatingPolicies: readonly PolicyModel[];
  /** Rules that admit the connection; empty when not isolated. */
  readonly allowedBy: readonly RuleRef[];
  /** Deny rules that drop it: any one decides, over every allow. */
  readonly deniedBy: readonly RuleRef[];
  readonly allowed: boolean;
  /** The cluster-wide rule (AdminNetworkPolicy, ClusterNetworkPolicy, ...) that decided this side, when one did. */
  readonly decidedBy?: RuleRef;
}

export interface TrafficVerdict {
  readonly allowed: boolean;
  /** The source's egress side. */
  readonly egress: SideVerdict;
  /** The destination's ingress side. */
  readonly ingress: SideVerdict;
  /** Source and destination are the same single pod: allowed whatever the sides say. */
  readonly toItself: boolean;
}

export function explainTraffic(
  policies: readonly PolicyModel[],
  source: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: Protocol,
  namespaceLabels: NamespaceLabels,
): TrafficVerdict {
  const egress = side(policies, 'egress', source, destination, destination, port, protocol, namespaceLabels);
  const ingress = side(policies, 'ingress', destination, source, destination, port, protocol, namespaceLabels);
  // A pod cannot block access to itself (Kubernetes NetworkPolicy documentation).
  const toItself = source.kind === 'pod' && destination.kind === 'pod' && source.group === destination.group && standsForOnePod(source.group);
  return { allowed: toItself || (egress.allowed && ingress.allowed), egress, ingress, toItself };
}

function side(
  policies: readonly PolicyModel[],
  direction: 'ingress' | 'egress',
  subject: Endpoint,
  peer: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: Protocol,
  namespaceLabels: NamespaceLabels,
): SideVerdict {
  if (subject.kind !== 'pod') return { isolated: false, isolatingPolicies: [], allowedBy: [], deniedBy: [], allowed: true };
  const isolatingPolicies: PolicyModel[] = [];
  const allowedBy: RuleRef[] = [];
  const deniedBy: RuleRef[] = [];
  for (const policy of policies) {
    if (!policySelects(policy, subject.group, namespaceLabels)) continue;
    if (direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress) isolatingPolicies.push(policy);
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels)) allowedBy.push({ policy, rule });
    }
    for (const rule of policy.denyRules ?? []) {
      if (rule.direction === direction && ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels)) deniedBy.push({ policy, rule });
    }
  }
  const isolated = isolatingPolicies.length > 0;
  const verdict = { isolated, isolatingPolicies, allowedBy: isolated ? allowedBy : [], deniedBy, allowed: deniedBy.length === 0 && (!isolated || allowedBy.length > 0) };
  const tiered = tieredRulesFor(policies, subject.group, direction, namespaceLabels).filter(({ policy, rule }) =>
    ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels),
  );
  if (tiered.length === 0) return verdict;
  const byRule = new Map(tiered.map((r) => [asTieredRule(r.policy, r.rule), r]));
  const decision = decideDirection([...byRule.keys()], isolated || deniedBy.length > 0 ? { selected: true, allowed: verdict.allowed } : { selected: false });
  return decision.decidedBy === 'rule' ? { ...verdict, allowed: decision.allowed, decidedBy: byRule.get(decision.rule)! } : { ...verdict, allowed: decision.allowed };
}
