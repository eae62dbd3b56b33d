/**
 * Why one connection is allowed or denied: which policies isolate each side
 * and which rules let it through. One explanation feeds hover, graph and CLI.
 */
import type { PolicyModel, PolicyRule, Protocol } from './model.js';
import { policySelects, ruleAllows, tieredRulesFor, type Endpoint, type NamespaceLabels, type ServiceAccountLabels } from './matching.js';
import { orderTiers, type TierTable } from './orderedPolicies.js';
import { standsForOnePod } from './reachability.js';
import { decideSide, OPEN_SIDE, type RuleRef, type SideVerdict } from './sideDecision.js';

export type { RuleRef, SideVerdict } from './sideDecision.js';

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
  if (subject.kind !== 'pod') return OPEN_SIDE;
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
  const matches = (policy: PolicyModel, rule: PolicyRule) => ruleAllows(policy, rule, peer, destination, port, protocol, namespaceLabels, accounts);
  const tiered = tieredRulesFor(policies, subject.group, direction, namespaceLabels).filter(({ policy, rule }) => matches(policy, rule));
  const orderedTiers = isolatingPolicies.some((p) => p.place !== undefined) ? orderTiers(isolatingPolicies, ordering.tiers ?? new Map()) : undefined;
  return decideSide({ isolatingPolicies, allowedBy, deniedBy, orderedTiers, matches, tiered }, direction);
}
