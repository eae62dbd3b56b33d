/**
 * Which policies apply to each pod class, and so which rules it is judged by
 * and whether it is isolated in each direction. After an edit that kept the
 * classes, only the classes that an added or removed policy selects get new
 * lists; every other class keeps its ClassRules object, which is how later
 * checks (stranded Services) tell that nothing about that class changed.
 */
import { Bitset } from './bitset.js';
import type { PolicyModel, PolicyRule } from './model.js';

export interface RuleOfPolicy {
  readonly policy: PolicyModel;
  readonly rule: PolicyRule;
}

export interface ClassRules {
  /** The policies selecting the class that have any say over it, in workspace order. */
  readonly policies: readonly PolicyModel[];
  readonly isolatedIngress: boolean;
  readonly isolatedEgress: boolean;
  /** Rules of a direction a policy does not isolate still count where another policy isolates the class. */
  readonly ingress: readonly RuleOfPolicy[];
  readonly egress: readonly RuleOfPolicy[];
  /** Deny rules apply whether or not the class is isolated, and win over every allow. */
  readonly ingressDeny: readonly RuleOfPolicy[];
  readonly egressDeny: readonly RuleOfPolicy[];
}

interface PolicyRules {
  readonly ingress: readonly RuleOfPolicy[];
  readonly egress: readonly RuleOfPolicy[];
  readonly ingressDeny: readonly RuleOfPolicy[];
  readonly egressDeny: readonly RuleOfPolicy[];
}

function copyOf(set: Bitset | undefined, size: number): Bitset {
  const copy = new Bitset(size);
  if (set !== undefined) copy.words.set(set.words);
  return copy;
}

const UNSELECTED: ClassRules = { policies: [], isolatedIngress: false, isolatedEgress: false, ingress: [], egress: [], ingressDeny: [], egressDeny: [] };

/** A policy that isolates nothing and has no rules changes no verdict. */
function hasSay(policy: PolicyModel): boolean {
  return policy.affectsIngress || policy.affectsEgress || policy.ingress.length > 0 || policy.egress.length > 0 || (policy.denyRules ?? []).length > 0;
}

export class ClassRuleTable {
  readonly byClass: readonly ClassRules[];
  readonly isolatedIngress: Bitset;
  readonly isolatedEgress: Bitset;
  /** One RuleOfPolicy per rule, shared by every class the policy selects, and by the tables after this one. */
  private readonly rulesOfPolicy: WeakMap<PolicyModel, PolicyRules>;

  /**
   * `previous`: the table for the same classes before an edit, with the
   * policies it was made from and their selected classes then.
   */
  constructor(
    policies: readonly PolicyModel[],
    classCount: number,
    selectedClasses: (policy: PolicyModel) => Bitset,
    previous?: { table: ClassRuleTable; policies: readonly PolicyModel[]; selectedClasses: (policy: PolicyModel) => Bitset },
  ) {
    this.rulesOfPolicy = previous?.table.rulesOfPolicy ?? new WeakMap();
    const patched = previous === undefined ? undefined : this.patch(policies, selectedClasses, previous);
    this.byClass = patched?.byClass ?? this.build(policies, classCount, selectedClasses);
    this.isolatedIngress = copyOf(previous?.table.isolatedIngress, classCount);
    this.isolatedEgress = copyOf(previous?.table.isolatedEgress, classCount);
    for (const c of patched?.affected ?? this.byClass.keys()) {
      const rules = this.byClass[c]!;
      if (rules.isolatedIngress) this.isolatedIngress.add(c);
      else this.isolatedIngress.delete(c);
      if (rules.isolatedEgress) this.isolatedEgress.add(c);
      else this.isolatedEgress.delete(c);
    }
  }

  private build(policies: readonly PolicyModel[], classCount: number, selectedClasses: (policy: PolicyModel) => Bitset): ClassRules[] {
    const lists: PolicyModel[][] = Array.from({ length: classCount }, () => []);
    for (const policy of policies) {
      if (!hasSay(policy)) continue;
      for (const c of selectedClasses(policy).members()) lists[c]!.push(policy);
    }
    return lists.map((list) => this.classRules(list));
  }

  /**
   * Only the classes an added or removed policy selects change; undefined
   * when the policies that stayed are not in the same order (then every
   * class is rebuilt, as their rule order follows the workspace's).
   */
  private patch(
    policies: readonly PolicyModel[],
    selectedClasses: (policy: PolicyModel) => Bitset,
    previous: { table: ClassRuleTable; policies: readonly PolicyModel[]; selectedClasses: (policy: PolicyModel) => Bitset },
  ): { byClass: ClassRules[]; affected: Iterable<number> } | undefined {
    const oldOrder = new Map(previous.policies.map((p, i) => [p, i]));
    const newOrder = new Map<PolicyModel, number>();
    const added: PolicyModel[] = [];
    let last = -1;
    policies.forEach((policy, i) => {
      newOrder.set(policy, i);
      const before = oldOrder.get(policy);
      if (before === undefined) added.push(policy);
      else if (before < last) last = Infinity;
      else last = before;
    });
    if (last === Infinity) return undefined;
    const removed = previous.policies.filter((p) => !newOrder.has(p));
    const byClass = previous.table.byClass.slice();
    const affected = new Set<number>();
    for (const p of removed) if (hasSay(p)) for (const c of previous.selectedClasses(p).members()) affected.add(c);
    const addedAt = new Map<number, PolicyModel[]>();
    for (const p of added) {
      if (!hasSay(p)) continue;
      for (const c of selectedClasses(p).members()) {
        affected.add(c);
        const list = addedAt.get(c);
        if (list === undefined) addedAt.set(c, [p]);
        else list.push(p);
      }
    }
    for (const c of affected) {
      const list = [...byClass[c]!.policies.filter((p) => newOrder.has(p)), ...(addedAt.get(c) ?? [])];
      list.sort((a, b) => newOrder.get(a)! - newOrder.get(b)!);
      byClass[c] = this.classRules(list);
    }
    return { byClass, affected };
  }

  private classRules(policies: readonly PolicyModel[]): ClassRules {
    if (policies.length === 0) return UNSELECTED;
    const ingress: RuleOfPolicy[] = [];
    const egress: RuleOfPolicy[] = [];
    const ingressDeny: RuleOfPolicy[] = [];
    const egressDeny: RuleOfPolicy[] = [];
    let isolatedIngress = false;
    let isolatedEgress = false;
    for (const policy of policies) {
      const rules = this.rulesOf(policy);
      isolatedIngress ||= policy.affectsIngress;
      isolatedEgress ||= policy.affectsEgress;
      for (const r of rules.ingress) ingress.push(r);
      for (const r of rules.egress) egress.push(r);
      for (const r of rules.ingressDeny) ingressDeny.push(r);
      for (const r of rules.egressDeny) egressDeny.push(r);
    }
    return { policies, isolatedIngress, isolatedEgress, ingress, egress, ingressDeny, egressDeny };
  }

  private rulesOf(policy: PolicyModel): PolicyRules {
    let rules = this.rulesOfPolicy.get(policy);
    if (rules === undefined) {
      const deny = policy.denyRules ?? [];
      const of = (list: readonly PolicyRule[]) => list.map((rule) => ({ policy, rule }));
      rules = {
        ingress: of(policy.ingress),
        egress: of(policy.egress),
        ingressDeny: of(deny.filter((rule) => rule.direction === 'ingress')),
        egressDeny: of(deny.filter((rule) => rule.direction === 'egress')),
      };
      this.rulesOfPolicy.set(policy, rules);
    }
    return rules;
  }
}
