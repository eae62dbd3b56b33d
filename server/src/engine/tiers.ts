/**
 * Ordered policy tiers: how one direction of one connection is decided when
 * cluster-wide policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
 * ClusterNetworkPolicy) sit beside namespaced NetworkPolicy.
 *
 * Kept apart from any one policy kind so that later kinds with deny rules and
 * ordered tiers (Cilium, Calico) reuse it: a normaliser turns each rule into a
 * TieredRule, the matcher finds the ones that match the traffic, and
 * decideDirection composes them in the documented order:
 *   1. admin tier, lowest priority first; within one policy, rules in written
 *      order. The first Allow/Deny decides; a Pass skips the rest of the tier.
 *      Equal priorities across policies: upstream leaves the order undefined
 *      (policy.networking.k8s.io ClusterNetworkPolicySpec.Priority), so the
 *      tie is broken by policy id only to be deterministic, and a diagnostic
 *      reports the overlap.
 *   2. NetworkPolicy tier: if any NetworkPolicy selects the pod for this
 *      direction, its verdict is final ("v1.NetworkPolicy always makes a final
 *      decision for selected pods"). Where a Calico policy applies, this step
 *      is Calico's ordered evaluation (orderedPolicies.ts, NetworkPolicy at
 *      order 1000 of the default tier); what it passes out of its last tier
 *      goes on to step 3.
 *   3. baseline tier, same ordering as admin; a Pass falls through.
 *   4. default: allowed.
 */

export type PolicyTier = 'admin' | 'networkpolicy' | 'baseline';
export type RuleAction = 'allow' | 'deny' | 'pass';

/** One rule of a cluster-wide policy that matches the traffic being decided. */
export interface TieredRule {
  readonly tier: Exclude<PolicyTier, 'networkpolicy'>;
  /** 0..1000, lower first. BaselineAdminNetworkPolicy has none: 0. */
  readonly priority: number;
  readonly action: RuleAction;
  readonly policyId: string;
  /** Position in the policy's ingress or egress list: earlier rules win. */
  readonly ruleIndex: number;
}

/** What namespaced NetworkPolicy says about this direction, if any selects the pod. */
export type NetworkPolicyVerdict = { readonly selected: false } | { readonly selected: true; readonly allowed: boolean };

export type DirectionDecision =
  | { readonly allowed: boolean; readonly decidedBy: 'rule'; readonly rule: TieredRule; readonly passed: readonly TieredRule[] }
  | { readonly allowed: boolean; readonly decidedBy: 'networkpolicy' | 'default'; readonly passed: readonly TieredRule[] };

export function compareTieredRules(a: TieredRule, b: TieredRule): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.policyId !== b.policyId) return a.policyId < b.policyId ? -1 : 1;
  return a.ruleIndex - b.ruleIndex;
}

/** First Allow/Deny of the tier, or the Pass that ended it, or nothing. */
function firstInTier(matching: readonly TieredRule[], tier: TieredRule['tier']): TieredRule | undefined {
  let first: TieredRule | undefined;
  for (const rule of matching) {
    if (rule.tier === tier && (first === undefined || compareTieredRules(rule, first) < 0)) first = rule;
  }
  return first;
}

/** Decides one direction from the cluster-wide rules that match the traffic and the NetworkPolicy verdict. */
export function decideDirection(matching: readonly TieredRule[], networkPolicy: NetworkPolicyVerdict): DirectionDecision {
  const passed: TieredRule[] = [];
  const admin = firstInTier(matching, 'admin');
  if (admin !== undefined) {
    if (admin.action !== 'pass') return { allowed: admin.action === 'allow', decidedBy: 'rule', rule: admin, passed };
    passed.push(admin);
  }
  if (networkPolicy.selected) return { allowed: networkPolicy.allowed, decidedBy: 'networkpolicy', passed };
  const baseline = firstInTier(matching, 'baseline');
  if (baseline !== undefined) {
    if (baseline.action !== 'pass') return { allowed: baseline.action === 'allow', decidedBy: 'rule', rule: baseline, passed };
    passed.push(baseline);
  }
  return { allowed: true, decidedBy: 'default', passed };
}

/**
 * The same order over sets of traffic at once (sources of a destination, or
 * destinations of a source, or a pair's port line): the fast evaluator's form
 * of decideDirection. Each step is one rule, in evaluation order (admin steps
 * sorted by compareTieredRules, then baseline steps), with the traffic it
 * matches.
 */
export interface SetAlgebra<S> {
  union(a: S, b: S): S;
  intersect(a: S, b: S): S;
  minus(a: S, b: S): S;
}

export interface TierStep<S> {
  readonly tier: TieredRule['tier'];
  readonly action: RuleAction;
  readonly matched: S;
}

/** What namespaced policy says of every traffic in the set: whether it selects the pod, what it admits, what its deny rules drop. */
export interface NetworkPolicySets<S> {
  readonly selected: boolean;
  readonly allowed: S;
  readonly denied: S;
  /**
   * Where the step is an ordered evaluation (Calico's tiers, orderedPolicies.ts):
   * what it passes out of its last tier, which goes on to the baseline tier;
   * it decides the rest. Absent: a selected pod's NetworkPolicy decides all.
   */
  readonly passedOn?: S;
}

/**
 * The allowed part of `all`. `open` is what the default allow lets through
 * (all of it, or less where the caller draws defaults elsewhere).
 */
export function composeTiers<S>(algebra: SetAlgebra<S>, all: S, empty: S, steps: readonly TierStep<S>[], networkPolicy: NetworkPolicySets<S>, open: S): S {
  const { union, intersect, minus } = algebra;
  let allowed = empty;
  let undecided = all;
  let passed = empty;
  let i = 0;
  for (; i < steps.length && steps[i]!.tier === 'admin'; i++) {
    const step = steps[i]!;
    const hit = intersect(step.matched, undecided);
    if (step.action === 'allow') allowed = union(allowed, hit);
    else if (step.action === 'pass') passed = union(passed, hit);
    undecided = minus(undecided, hit);
  }
  undecided = union(undecided, passed);
  // Deny rules of namespaced kinds (Cilium) drop what they match whether or not the pod is isolated.
  undecided = minus(undecided, networkPolicy.denied);
  if (networkPolicy.selected) {
    if (networkPolicy.passedOn === undefined) return union(allowed, intersect(undecided, networkPolicy.allowed));
    allowed = union(allowed, intersect(minus(undecided, networkPolicy.passedOn), networkPolicy.allowed));
    undecided = intersect(undecided, networkPolicy.passedOn);
  }
  passed = empty;
  for (; i < steps.length; i++) {
    const step = steps[i]!;
    const hit = intersect(step.matched, undecided);
    if (step.action === 'allow') allowed = union(allowed, hit);
    else if (step.action === 'pass') passed = union(passed, hit);
    undecided = minus(undecided, hit);
  }
  return union(allowed, intersect(union(undecided, passed), open));
}
