/**
 * Ordered policy evaluation, as Calico does it (Tier resource reference, "How
 * policy is evaluated"): each tier that holds a policy applying to the
 * endpoint processes the traffic, tiers by their order (smallest first, no
 * order last), policies inside a tier by their order (smallest first, no
 * order last, ties by name), rules in written order. The first rule that
 * matches decides: Allow and Deny are final, Pass skips the rest of the tier,
 * Log goes on. A tier that applies but decides nothing drops the traffic (or
 * passes it, with defaultAction: Pass); traffic passed out of the last tier
 * meets the endpoint's profiles, which on Kubernetes allow.
 *
 * A NetworkPolicy (or a Cilium policy: no order of its own) takes part as an
 * order-1000 policy of the default tier whose rules allow: Calico's converter
 * "insert[s] all the NetworkPolicy Policies at order 1000.0"
 * (projectcalico/calico libcalico-go/lib/backend/k8s/conversion/conversion.go,
 * K8sNetworkPolicyToCalico). The default tier comes last ("the default (last)
 * Tier", same reference).
 *
 * The evaluation is written once over an abstract set of what is still
 * undecided, so that the bitset evaluator (sets of pod classes), the one-pod
 * explain (a boolean) and the any-port evaluator (sets of ports) share it.
 */
import type { Direction, PolicyModel, PolicyPlace, PolicyRule } from './model.js';

export const DEFAULT_TIER = 'default';
/** Where a policy with no place of its own sits: a Kubernetes NetworkPolicy converted by Calico. */
export const NETWORK_POLICY_PLACE: PolicyPlace = { tier: DEFAULT_TIER, order: 1000 };

export interface TierSettings {
  /** Undefined: after every tier with an order. */
  readonly order: number | undefined;
  readonly defaultAction: 'deny' | 'pass';
}

export type TierTable = ReadonlyMap<string, TierSettings>;

export interface OrderedTier {
  readonly name: string;
  readonly defaultAction: 'deny' | 'pass';
  readonly policies: readonly PolicyModel[];
}

export function placeOf(policy: PolicyModel): PolicyPlace {
  return policy.place ?? NETWORK_POLICY_PLACE;
}

const orderKey = (order: number | undefined) => order ?? Number.POSITIVE_INFINITY;

function tierRank(name: string, tiers: TierTable): [number, number] {
  const settings = tiers.get(name);
  // The default tier is last unless a Tier object gives it an order.
  if (settings === undefined || settings.order === undefined) return [Number.POSITIVE_INFINITY, name === DEFAULT_TIER ? 1 : 0];
  return [settings.order, 0];
}

/** The policies applying to an endpoint in one direction, grouped by tier and sorted in evaluation order. */
export function orderTiers(policies: readonly PolicyModel[], tiers: TierTable): OrderedTier[] {
  const byTier = new Map<string, PolicyModel[]>();
  for (const p of policies) {
    const tier = placeOf(p).tier;
    const list = byTier.get(tier);
    if (list === undefined) byTier.set(tier, [p]);
    else list.push(p);
  }
  const names = [...byTier.keys()].sort((a, b) => {
    const [ra, rb] = [tierRank(a, tiers), tierRank(b, tiers)];
    return ra[0] - rb[0] || ra[1] - rb[1] || (a < b ? -1 : a > b ? 1 : 0);
  });
  return names.map((name) => ({
    name,
    defaultAction: tiers.get(name)?.defaultAction ?? 'deny',
    policies: byTier.get(name)!.sort((a, b) => orderKey(placeOf(a).order) - orderKey(placeOf(b).order) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  }));
}

/** A policy's rules of one direction in evaluation order, with their actions (those of non-ordered kinds allow). */
export function rulesInOrder(policy: PolicyModel, direction: Direction): ReadonlyArray<{ rule: PolicyRule; action: NonNullable<PolicyRule['action']> }> {
  if (policy.orderedRules !== undefined) return policy.orderedRules.filter((r) => r.direction === direction).map((rule) => ({ rule, action: rule.action ?? 'allow' }));
  return (direction === 'ingress' ? policy.ingress : policy.egress).map((rule) => ({ rule, action: 'allow' as const }));
}

/** The set operations the evaluation needs; S is what "some of the traffic" is for the caller. */
export interface SetAlgebra<S> {
  readonly empty: S;
  isEmpty(s: S): boolean;
  union(a: S, b: S): S;
  intersect(a: S, b: S): S;
  minus(a: S, b: S): S;
}

export interface OrderedDecision<S> {
  /** What the tiers allow, including what they pass out of the last tier (passedOut). */
  readonly allowed: S;
  /** Traffic passed out of the last tier: the profiles allow it, unless a later step (a baseline tier, tiers.ts) decides it. */
  readonly passedOut: S;
  /** Each rule that decided some of the traffic, with what it decided, in evaluation order. */
  readonly decisions: ReadonlyArray<{ readonly policy: PolicyModel; readonly rule: PolicyRule; readonly action: 'allow' | 'deny' | 'pass'; readonly matched: S }>;
  /** Traffic a tier dropped because no rule of it decided. */
  readonly droppedAtEndOfTier: ReadonlyArray<{ readonly tier: string; readonly dropped: S }>;
}

/**
 * Decides `traffic` in one direction of one endpoint, given the tiers of the
 * policies applying there; matches(policy, rule) is the traffic a rule's
 * peers and ports match.
 */
export function decideOrdered<S>(
  tiers: readonly OrderedTier[],
  direction: Direction,
  traffic: S,
  algebra: SetAlgebra<S>,
  matches: (policy: PolicyModel, rule: PolicyRule) => S,
): OrderedDecision<S> {
  const decisions: Array<OrderedDecision<S>['decisions'][number]> = [];
  const droppedAtEndOfTier: Array<{ tier: string; dropped: S }> = [];
  let pending = traffic;
  let allowed = algebra.empty;
  for (const tier of tiers) {
    let undecided = pending;
    let passed = algebra.empty;
    for (const policy of tier.policies) {
      for (const { rule, action } of rulesInOrder(policy, direction)) {
        if (algebra.isEmpty(undecided)) break;
        if (action === 'log') continue;
        const matched = algebra.intersect(undecided, matches(policy, rule));
        if (algebra.isEmpty(matched)) continue;
        decisions.push({ policy, rule, action, matched });
        undecided = algebra.minus(undecided, matched);
        if (action === 'allow') allowed = algebra.union(allowed, matched);
        else if (action === 'pass') passed = algebra.union(passed, matched);
      }
    }
    if (tier.defaultAction === 'pass') pending = algebra.union(passed, undecided);
    else {
      if (!algebra.isEmpty(undecided)) droppedAtEndOfTier.push({ tier: tier.name, dropped: undecided });
      pending = passed;
    }
  }
  // Passed out of the last tier: the profiles Calico gives Kubernetes namespaces allow.
  return { allowed: algebra.union(allowed, pending), passedOut: pending, decisions, droppedAtEndOfTier };
}

export const BOOLEAN_ALGEBRA: SetAlgebra<boolean> = {
  empty: false,
  isEmpty: (s) => !s,
  union: (a, b) => a || b,
  intersect: (a, b) => a && b,
  minus: (a, b) => a && !b,
};
