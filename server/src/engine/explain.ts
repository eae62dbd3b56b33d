/**
 * Why one connection is allowed or denied: which policies isolate each side
 * and which rules let it through. One explanation feeds hover, graph and CLI.
 */
import type { PolicyModel, PolicyRule, Protocol } from './model.js';
import { asTieredRule, policySelects, ruleAllows, tieredRulesFor, type Endpoint, type NamespaceLabels, type ServiceAccountLabels } from './matching.js';
import { BOOLEAN_ALGEBRA, decideOrdered, orderTiers, type TierTable } from './orderedPolicies.js';
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

/** What ordered kinds (Calico) need besides the policies: the Tier objects and the ServiceAccounts' labels (WorkspaceModel has both). */
export interface OrderingContext {
  readonly tiers?: TierTable;
  readonly serviceAccounts?: ServiceAccountLabels;
}

export function explainTraffic(
  policies: readonly PolicyModel[],
  source: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: Protocol,
  namespaceLabels: NamespaceLabels,
  ordering: OrderingContext = {},
): TrafficVerdict {
  const egress = side(policies, 'egress', source, destination, destination, port, protocol, namespaceLabels, ordering);
  const ingress = side(policies, 'ingress', destination, source, destination, port, protocol, namespaceLabels, ordering);
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
  ordering: OrderingContext,
): SideVerdict {
  const accounts = ordering.serviceAccounts ?? new Map();
  if (subject.kind !== 'pod') return { isolated: false, isolatingPolicies: [], allowedBy: [], deniedBy: [], allowed: true };
  const isolatingPolicies: PolicyModel[] = [];
  const allowedBy: RuleRef[] = [];
  const deniedBy: RuleRef[] = [];
  for (const policy of policies) {
    if (!policySelects(policy, subject.group, namespaceLabels, accounts)) continue;
    if (direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress) isolatingPolicies.push(policy);
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels, accounts)) allowedBy.push({ policy, rule });
    }
    for (const rule of policy.denyRules ?? []) {
      if (rule.direction === direction && ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels, accounts)) deniedBy.push({ policy, rule });
    }
  }
  const isolated = isolatingPolicies.length > 0;
  // The namespaced step: an ordered evaluation where an ordered policy (Calico) applies, else NetworkPolicy's union of allows.
  const verdict = isolatingPolicies.some((p) => p.place !== undefined)
    ? orderedSide(isolatingPolicies, direction, ordering.tiers, (policy, rule) => ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels, accounts), deniedBy)
    : { isolated, isolatingPolicies, allowedBy: isolated ? allowedBy : [], deniedBy, allowed: deniedBy.length === 0 && (!isolated || allowedBy.length > 0), passedOn: !isolated && deniedBy.length === 0 };
  const tiered = tieredRulesFor(policies, subject.group, direction, namespaceLabels).filter(({ policy, rule }) =>
    ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels, accounts),
  );
  const { passedOn, ...namespaced } = verdict;
  if (tiered.length === 0) return namespaced;
  const byRule = new Map(tiered.map((r) => [asTieredRule(r.policy, r.rule), r]));
  // Traffic the namespaced step passes on (no policy selects the pod, or Calico passed it out of its last tier) meets the baseline tier.
  const decision = decideDirection([...byRule.keys()], passedOn ? { selected: false } : { selected: true, allowed: namespaced.allowed });
  return decision.decidedBy === 'rule' ? { ...namespaced, allowed: decision.allowed, decidedBy: byRule.get(decision.rule)! } : { ...namespaced, allowed: decision.allowed };
}

/** One side where an ordered policy applies: the first rule that matches in tier and policy order decides (orderedPolicies.ts). */
function orderedSide(
  isolatingPolicies: readonly PolicyModel[],
  direction: 'ingress' | 'egress',
  tiers: TierTable | undefined,
  matches: (policy: PolicyModel, rule: PolicyRule) => boolean,
  deniedBy: readonly RuleRef[],
): SideVerdict & { readonly passedOn: boolean } {
  const decision = decideOrdered(orderTiers(isolatingPolicies, tiers ?? new Map()), direction, true, BOOLEAN_ALGEBRA, matches);
  const allowedByOrder = decision.decisions.filter((d) => d.action === 'allow').map(({ policy, rule }) => ({ policy, rule }));
  const deniedByOrder = decision.decisions.filter((d) => d.action === 'deny').map(({ policy, rule }) => ({ policy, rule }));
  return {
    isolated: true,
    isolatingPolicies,
    allowedBy: allowedByOrder,
    deniedBy: [...deniedByOrder, ...deniedBy],
    allowed: decision.allowed && deniedBy.length === 0,
    passedOn: decision.passedOut && deniedBy.length === 0,
  };
}
