/**
 * The rules that decide a pod class's own side of a connection: those of the
 * policies selecting it, which are its policy group's (policyGroups.ts). They
 * are kept from one analysis to the next. While a group's policies are the
 * same objects (and the Calico tier table says the same), the next
 * reachability gets the same ClassRules object. That identity is how later
 * work tells that nothing about a class changed: stranded-Service verdicts
 * and patched lens matrices. Cluster-wide tiered rules are not part of it
 * (reachability keeps those per class).
 */
import type { PolicyModel, PolicyRule } from './model.js';
import { orderTiers, type OrderedTier, type TierTable } from './orderedPolicies.js';

export interface RuleOfPolicy {
  readonly policy: PolicyModel;
  readonly rule: PolicyRule;
}

export interface ClassRules {
  /** The policies selecting the classes that have any say over them, in workspace order. */
  readonly policies: readonly PolicyModel[];
  readonly isolatedIngress: boolean;
  readonly isolatedEgress: boolean;
  /** Rules of a direction a policy does not isolate still count where another policy isolates the class. */
  readonly ingress: readonly RuleOfPolicy[];
  readonly egress: readonly RuleOfPolicy[];
  /** Deny rules apply whether or not the class is isolated, and win over every allow. */
  readonly ingressDeny: readonly RuleOfPolicy[];
  readonly egressDeny: readonly RuleOfPolicy[];
  /**
   * Where an ordered policy (Calico) applies in a direction, every policy
   * applying there in evaluation order (orderedPolicies.ts); the verdict then
   * comes from it instead of the union of allow rules.
   */
  readonly ingressTiers: readonly OrderedTier[] | undefined;
  readonly egressTiers: readonly OrderedTier[] | undefined;
}

interface PolicyRules {
  readonly ingress: readonly RuleOfPolicy[];
  readonly egress: readonly RuleOfPolicy[];
  readonly ingressDeny: readonly RuleOfPolicy[];
  readonly egressDeny: readonly RuleOfPolicy[];
}

/** A policy that isolates nothing and has no rules changes no verdict. */
export function hasSay(policy: PolicyModel): boolean {
  return policy.affectsIngress || policy.affectsEgress || policy.ingress.length > 0 || policy.egress.length > 0 || (policy.denyRules ?? []).length > 0;
}

/** A number per policy object, for keys that name a list of policies by identity. */
const policyNumbers = new WeakMap<PolicyModel, number>();
let nextPolicyNumber = 0;

function numberOf(policy: PolicyModel): number {
  let n = policyNumbers.get(policy);
  if (n === undefined) policyNumbers.set(policy, (n = nextPolicyNumber++));
  return n;
}

function sameTierTable(a: TierTable, b: TierTable): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [name, settings] of a) {
    const other = b.get(name);
    if (other === undefined || other.order !== settings.order || other.defaultAction !== settings.defaultAction) return false;
  }
  return true;
}

function keyOf(policies: readonly PolicyModel[]): string {
  let key = '';
  for (const p of policies) key += `${numberOf(p)},`;
  return key;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The ClassRules of one analysis, handing on those of the last one that still hold. */
export class ClassRulesTable {
  /** Every ClassRules this analysis uses. */
  private readonly used: ClassRules[] = [];
  /** The same by the numbers of their policies: made only when a later analysis looks one up that way. */
  private keyed: Map<string, ClassRules> | undefined;
  /** One RuleOfPolicy per rule, shared by every group the policy is part of, and by the tables after this one. */
  private readonly ofPolicy: WeakMap<PolicyModel, PolicyRules>;
  /** The last analysis's table while this one is being filled (see done), when the Tier objects say the same. */
  private earlier: ClassRulesTable | undefined;

  constructor(
    private readonly tiers: TierTable,
    previous?: ClassRulesTable,
  ) {
    this.ofPolicy = previous?.ofPolicy ?? new WeakMap();
    // The ordered tiers follow the Tier objects' order and default action: with other ones, nothing is handed on.
    this.earlier = previous !== undefined && sameTierTable(previous.tiers, tiers) ? previous : undefined;
  }

  /**
   * The rules of classes selected by exactly these policies (in workspace
   * order, each with a say). `last`: what the same classes had in the last
   * analysis, handed on when its policies are these. When they are not, an
   * edit changed one of them, and another group of the last analysis will
   * hardly have had these policies: not worth making the lookup by key
   * (a new object only costs a patch that does more than it needs).
   */
  rulesOf(policies: readonly PolicyModel[], last?: ClassRules): ClassRules {
    let rules: ClassRules | undefined;
    if (last !== undefined) rules = this.earlier !== undefined && sameItems(last.policies, policies) ? last : undefined;
    else rules = this.earlier?.byKey().get(keyOf(policies));
    rules ??= this.build(policies);
    this.used.push(rules);
    return rules;
  }

  /**
   * `last` handed on as it is, for a caller that knows its policies are the
   * same objects (none of them is in the stretch of the policy list an edit
   * replaced): rulesOf without comparing them, when the tiers allow it.
   */
  keep(last: ClassRules, policies: () => readonly PolicyModel[]): ClassRules {
    if (this.earlier === undefined) return this.rulesOf(policies(), last);
    this.used.push(last);
    return last;
  }

  /** Called once every group has its rules: the last table is no longer needed (and is not kept alive). */
  done(): void {
    this.earlier = undefined;
  }

  private byKey(): ReadonlyMap<string, ClassRules> {
    return (this.keyed ??= new Map(this.used.map((r) => [keyOf(r.policies), r])));
  }

  private build(policies: readonly PolicyModel[]): ClassRules {
    const ingress: RuleOfPolicy[] = [];
    const egress: RuleOfPolicy[] = [];
    const ingressDeny: RuleOfPolicy[] = [];
    const egressDeny: RuleOfPolicy[] = [];
    let isolatedIngress = false;
    let isolatedEgress = false;
    for (const policy of policies) {
      const own = this.policyRules(policy);
      isolatedIngress ||= policy.affectsIngress;
      isolatedEgress ||= policy.affectsEgress;
      for (const r of own.ingress) ingress.push(r);
      for (const r of own.egress) egress.push(r);
      for (const r of own.ingressDeny) ingressDeny.push(r);
      for (const r of own.egressDeny) egressDeny.push(r);
    }
    const tiersOf = (applying: readonly PolicyModel[]) => (applying.some((p) => p.place !== undefined) ? orderTiers(applying, this.tiers) : undefined);
    return {
      policies,
      isolatedIngress,
      isolatedEgress,
      ingress,
      egress,
      ingressDeny,
      egressDeny,
      ingressTiers: tiersOf(policies.filter((p) => p.affectsIngress)),
      egressTiers: tiersOf(policies.filter((p) => p.affectsEgress)),
    };
  }

  private policyRules(policy: PolicyModel): PolicyRules {
    let rules = this.ofPolicy.get(policy);
    if (rules === undefined) {
      const deny = policy.denyRules ?? [];
      const of = (list: readonly PolicyRule[]) => list.map((rule) => ({ policy, rule }));
      rules = {
        ingress: of(policy.ingress),
        egress: of(policy.egress),
        ingressDeny: of(deny.filter((rule) => rule.direction === 'ingress')),
        egressDeny: of(deny.filter((rule) => rule.direction === 'egress')),
      };
      this.ofPolicy.set(policy, rules);
    }
    return rules;
  }
}
