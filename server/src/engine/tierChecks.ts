/**
 * Findings about cluster-wide tiered policies (AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy, ClusterNetworkPolicy), judged in the order the
 * tiers are evaluated (tiers.ts): rules an earlier rule shadows, policies of
 * one tier and priority that disagree about the same pods, and Pass rules
 * with no NetworkPolicy to pass to.
 */
import { actionWord, describeTierPlace } from './describe.js';
import { inEvaluationOrder } from './matching.js';
import type { PolicyModel, PolicyRule, PortMatcher } from './model.js';
import { ruleCovers } from './policyChecks.js';
import type { Reachability } from './reachability.js';
import { finding, type Finding } from './rules.js';

interface TieredEntry {
  readonly policy: PolicyModel;
  readonly rule: PolicyRule;
}

export function tierFindings(reach: Reachability): Finding[] {
  const tiered = reach.workspace.policies.filter((p) => p.tier !== undefined && (p.tieredRules ?? []).length > 0);
  if (tiered.length === 0) return [];
  const entries = tiered.flatMap((policy) => policy.tieredRules!.map((rule) => ({ policy, rule }))).sort(inEvaluationOrder);
  const shadows = shadowsOf(reach, entries);
  // A shadowed Pass passes nothing: one finding for it, not two.
  const live = entries.filter((e) => !shadows.some((s) => s.later.rule === e.rule));
  return [...shadowFindings(shadows), ...overlapFindings(reach, tiered), ...passFindings(reach, live)];
}

/** "admin Deny at priority 10" (a BaselineAdminNetworkPolicy has no priority). */
function actionAt(e: TieredEntry): string {
  return `${e.policy.tier!.tier} ${actionWord(e.policy, e.rule)} ${e.policy.kind === 'BaselineAdminNetworkPolicy' ? 'of the baseline policy' : `at priority ${e.policy.tier!.priority}`}`;
}

interface Shadow {
  readonly later: TieredEntry;
  readonly by: TieredEntry;
}

/**
 * A rule is shadowed when a rule with another action, evaluated before it,
 * for pods that include all of its own, matches all its traffic: earlier in the same policy, at a
 * lower priority of the same tier, or an admin Allow or Deny over a baseline
 * rule. Equal priorities are left to overlapFindings: their order is undefined.
 */
function shadowsOf(reach: Reachability, entries: readonly TieredEntry[]): Shadow[] {
  const out: Shadow[] = [];
  entries.forEach((later, i) => {
    const selected = reach.selectedClasses(later.policy);
    if (selected.isEmpty || later.rule.peers?.length === 0) return;
    const by = entries.slice(0, i).find((earlier) => {
      // A rule behind one with the same action is redundant, not wrong: the traffic gets the verdict it asks for.
      if (earlier.rule.direction !== later.rule.direction || earlier.rule.action === later.rule.action) return false;
      const a = earlier.policy.tier!;
      const b = later.policy.tier!;
      const before = earlier.policy === later.policy || (a.tier === b.tier ? a.priority < b.priority : earlier.rule.action !== 'pass');
      if (!before) return false;
      const covers = earlier.policy === later.policy || !selected.hasAnyOutside(reach.selectedClasses(earlier.policy));
      return covers && ruleCovers(earlier.rule, later.rule);
    });
    if (by !== undefined) out.push({ later, by });
  });
  return out;
}

const ruleName = (e: TieredEntry) => `${e.rule.direction} rule ${e.rule.index + 1}`;

/**
 * Inside one policy, one finding per shadowed rule: each is fixed on its own,
 * by moving it up. Across policies, one finding per pair, on the first rule
 * shadowed, with the others as related locations: what a reader acts on is
 * "policy A hides these rules of policy B" (reprioritise or drop one of the
 * two), and alternative files meant to be applied one at a time (a
 * conformance suite's) would otherwise give a finding for every rule they share.
 */
function shadowFindings(shadows: readonly Shadow[]): Finding[] {
  // By object, not by name: alternative files may define the same policy name differently.
  const byPair = new Map<PolicyModel, Map<PolicyModel | Shadow, Shadow[]>>();
  for (const s of shadows) {
    let byShadowing = byPair.get(s.later.policy);
    if (byShadowing === undefined) byPair.set(s.later.policy, (byShadowing = new Map()));
    const key = s.by.policy === s.later.policy ? s : s.by.policy;
    const list = byShadowing.get(key);
    if (list === undefined) byShadowing.set(key, [s]);
    else list.push(s);
  }
  return [...byPair.values()].flatMap((byShadowing) => [...byShadowing.values()]).map(([first, ...more]) => {
    const { later, by } = first!;
    const elsewhere = by.policy.nameSpan.file === later.policy.nameSpan.file ? '' : `, in ${by.policy.nameSpan.file.replace(/^.*[\\/]/, '')}`;
    const where = `${by.policy.id} ${ruleName(by)}${elsewhere}`;
    const others = more.length === 0 ? '' : ` So ${more.length === 1 ? 'is' : 'are'} ${more.map((m) => ruleName(m.later)).join(', ')} of ${later.policy.id}, by rules of ${by.policy.id}.`;
    return finding('tier-rule-shadowed', later.rule.span, `This ${actionAt(later)} is shadowed by the ${actionAt(by)} (${where}) for the same traffic: it never decides anything.${others}`, [
      { span: by.rule.span, message: 'the rule evaluated first' },
      ...more.flatMap((m) => [
        { span: m.later.rule.span, message: `also shadowed: ${later.policy.id} ${ruleName(m.later)}` },
        ...(m.by.rule === by.rule ? [] : [{ span: m.by.rule.span, message: `evaluated first for ${ruleName(m.later)}` }]),
      ]),
    ]);
  });
}

/** Whether two port lists can match a common port (undefined: every port). */
function portsMayMeet(a: readonly PortMatcher[] | undefined, b: readonly PortMatcher[] | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return a.some((x) =>
    b.some((y) => {
      if (x.kind === 'invalid' || y.kind === 'invalid' || x.protocol !== y.protocol) return false;
      // A named port's number is per pod: it may meet anything of its protocol.
      if (x.kind !== 'range' || y.kind !== 'range') return true;
      return x.from <= y.to && y.from <= x.to;
    }),
  );
}

/** Policies of one tier and priority whose rules for shared pods and peers take different actions. */
function overlapFindings(reach: Reachability, tiered: readonly PolicyModel[]): Finding[] {
  const out: Finding[] = [];
  tiered.forEach((p, i) => {
    for (const q of tiered.slice(0, i)) {
      if (p.tier!.tier !== q.tier!.tier || p.tier!.priority !== q.tier!.priority) continue;
      // One object defined twice is object-defined-twice's finding, not an ordering question.
      if (p.kind === q.kind && p.id === q.id) continue;
      if (reach.selectedClasses(p).and(reach.selectedClasses(q)).isEmpty) continue;
      const clash = p.tieredRules!.find((r) =>
        q.tieredRules!.some(
          (s) => s.direction === r.direction && s.action !== r.action && portsMayMeet(r.ports, s.ports) && !reach.ruleClasses(p, r).and(reach.ruleClasses(q, s)).isEmpty,
        ),
      );
      if (clash === undefined) continue;
      out.push(
        finding(
          'tier-priority-overlap',
          p.nameSpan,
          `${p.kind} ${p.id} and ${q.kind} ${q.id} are both in ${describeTierPlace(p)} and act differently on traffic of the same pods: the API leaves the order of equal priorities undefined, so either may decide.`,
          [{ span: q.nameSpan, message: `${q.kind} ${q.id}, same tier and priority` }],
        ),
      );
      break;
    }
  });
  return out;
}

/** Admin Pass rules whose subject pods no NetworkPolicy selects in that direction. */
function passFindings(reach: Reachability, entries: readonly TieredEntry[]): Finding[] {
  const out: Finding[] = [];
  for (const { policy, rule } of entries) {
    if (rule.action !== 'pass' || policy.tier!.tier !== 'admin') continue;
    const selected = [...reach.selectedClasses(policy).members()];
    if (selected.length === 0 || selected.some((c) => reach.isIsolated(c, rule.direction))) continue;
    out.push(
      finding(
        'pass-without-network-policy',
        rule.span,
        `No NetworkPolicy selects the pods of this Pass for ${rule.direction}: what it passes on is decided by the baseline tier, or else allowed.`,
      ),
    );
  }
  return out;
}
