/**
 * How one direction of one connection is decided, once the rules that match
 * it are known. Explain finds those rules one pod at a time (matching.ts), the
 * graph and the lenses per pod class (flowDecision.ts); both then come here,
 * so every view names the same deciding rule: the tiers of tiers.ts around
 * the namespaced step, which is Calico's ordered evaluation where an ordered
 * policy applies (orderedPolicies.ts) and NetworkPolicy's union of allows
 * otherwise, with deny rules of namespaced kinds (Cilium) over both.
 */
import type { Direction, PolicyModel, PolicyRule } from './model.js';
import { BOOLEAN_ALGEBRA, decideOrdered, type OrderedTier } from './orderedPolicies.js';
import { asTieredRule } from './matching.js';
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
  /** The default allow decided: no policy has a say here, or every step that had one passed the traffic on. */
  readonly byDefault: boolean;
}

/** What is known of one direction before deciding it: the policies over the pod and the rules that match the traffic. */
export interface SideFacts {
  /** Policies selecting the pod that isolate it in this direction. */
  readonly isolatingPolicies: readonly PolicyModel[];
  /** Matching allow rules of the policies selecting the pod (counted only where it is isolated). */
  readonly allowedBy: readonly RuleRef[];
  /** Matching deny rules of namespaced kinds (Cilium). */
  readonly deniedBy: readonly RuleRef[];
  /** Where an ordered policy (Calico) isolates the pod: the isolating policies in evaluation order. */
  readonly orderedTiers: readonly OrderedTier[] | undefined;
  /** Whether a rule of an ordered policy matches the traffic. */
  readonly matches: (policy: PolicyModel, rule: PolicyRule) => boolean;
  /** Matching rules of cluster-wide tiered policies whose subject is the pod. */
  readonly tiered: readonly RuleRef[];
}

/** A side no policy can have a say over (an address outside the pods). */
export const OPEN_SIDE: SideVerdict = { isolated: false, isolatingPolicies: [], allowedBy: [], deniedBy: [], allowed: true, byDefault: true };

export function decideSide(facts: SideFacts, direction: Direction): SideVerdict {
  const { isolatingPolicies, allowedBy, deniedBy } = facts;
  const isolated = isolatingPolicies.length > 0;
  // NetworkPolicy alone (the common case, thousands of times per graph): one object, no tier composition.
  if (facts.orderedTiers === undefined && facts.tiered.length === 0) {
    const allowed = deniedBy.length === 0 && (!isolated || allowedBy.length > 0);
    return { isolated, isolatingPolicies, allowedBy: isolated ? allowedBy : [], deniedBy, allowed, byDefault: !isolated && deniedBy.length === 0 };
  }
  const verdict =
    facts.orderedTiers !== undefined
      ? orderedSide(facts.orderedTiers, isolatingPolicies, direction, facts.matches, deniedBy)
      : { isolated, isolatingPolicies, allowedBy: isolated ? allowedBy : [], deniedBy, allowed: deniedBy.length === 0 && (!isolated || allowedBy.length > 0), passedOn: !isolated && deniedBy.length === 0 };
  const { passedOn, ...namespaced } = verdict;
  if (facts.tiered.length === 0) return { ...namespaced, byDefault: passedOn };
  const byRule = new Map(facts.tiered.map((r) => [asTieredRule(r.policy, r.rule), r]));
  // Traffic the namespaced step passes on (no policy selects the pod, or Calico passed it out of its last tier) meets the baseline tier.
  const decision = decideDirection([...byRule.keys()], passedOn ? { selected: false } : { selected: true, allowed: namespaced.allowed });
  if (decision.decidedBy === 'rule') return { ...namespaced, allowed: decision.allowed, decidedBy: byRule.get(decision.rule)!, byDefault: false };
  return { ...namespaced, allowed: decision.allowed, byDefault: decision.decidedBy === 'default' };
}

/** The rules that let an allowed side through: the tiered rule that decided, else the namespaced allows; none where the default decided. */
export function decidingAllows(side: SideVerdict): readonly RuleRef[] {
  if (!side.allowed || side.byDefault) return [];
  return side.decidedBy !== undefined ? [side.decidedBy] : side.allowedBy;
}

/** One side where an ordered policy applies: the first rule that matches in tier and policy order decides (orderedPolicies.ts). */
function orderedSide(
  tiers: readonly OrderedTier[],
  isolatingPolicies: readonly PolicyModel[],
  direction: Direction,
  matches: (policy: PolicyModel, rule: PolicyRule) => boolean,
  deniedBy: readonly RuleRef[],
): Omit<SideVerdict, 'byDefault'> & { readonly passedOn: boolean } {
  const decision = decideOrdered(tiers, direction, true, BOOLEAN_ALGEBRA, matches);
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
