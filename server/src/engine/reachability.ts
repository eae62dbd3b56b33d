/**
 * Fast whole-workspace reachability. Pods that share namespace, labels, IPs,
 * container ports and host-network mode are indistinguishable to every policy,
 * so they form one class and are evaluated once. Selectors are evaluated once
 * per (namespace, selector) and kept as bitsets over classes; a matrix is then
 * a few bitset ORs per class and one bit test per cell.
 */
import { KeptSelection, listEdit } from './keptLists.js';
import { appendAll } from './findingCap.js';
import { Bitset } from './bitset.js';
import { groupBySelectingPolicies, addGroup, regroup, removeGroup, type PolicyGroup, type PolicyTarget } from './policyGroups.js';
import { ClassRulesTable, hasSay, type ClassRules, type RuleOfPolicy } from './classRules.js';
import { EVERYTHING_KEY, selectorMatches, type Labels, type Selector } from './labels.js';
import { LabelIndex } from './labelIndex.js';
import type { PeerMatcher, PodGroup, PodPeer, PolicyModel, PolicyRule, Protocol } from './model.js';
import { podSelectorMatches, type EndpointContext } from './calicoLabels.js';
import { decideOrdered, type OrderedTier, type SetAlgebra as OrderedAlgebra } from './orderedPolicies.js';
import { inEvaluationOrder, tierActionOf } from './matching.js';
import { resolveNamedMatcher } from './ports.js';
import { composeTiers, type SetAlgebra, type TierStep } from './tiers.js';
import { EMPTY_LINE, intersectLines, subtractLines, lineRanges, ruleLineAtPortless, unionLines, wholeLine, type PortLine } from './portRanges.js';
import type { WorkspaceModel } from './workspace.js';

export interface PodClass {
  readonly index: number;
  /** A member to read the shared properties from. */
  readonly sample: PodGroup;
  readonly groups: PodGroup[];
}

export interface PortQuery {
  /** Undefined: any port the destination declares (or any port at all when it declares none). */
  readonly port?: number;
  /** Undefined with a port: TCP. Undefined without a port: any protocol. */
  readonly protocol?: Protocol;
}

export type { RuleOfPolicy } from './classRules.js';

const EMPTY_LABELS: Labels = new Map();
const NO_RULES: RuleOfPolicy[] = [];

function sameIndices(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

interface PortlessSides {
  readonly whole: PortLine;
  readonly egressIsolated: readonly PolicyGroup[];
  /** A group's ingress rules with the ports each admits at a portless destination (rules admitting none left out). */
  readonly ingress: (group: PolicyGroup) => ReadonlyArray<{ readonly peers: Bitset; readonly line: PortLine }>;
  /** Destinations a group's egress rules admit on some port. */
  readonly egressReach: (group: PolicyGroup) => Bitset;
}

/** Whether patching what was worked out for every class pays, given the classes to work out again: beyond a quarter of them, starting afresh costs less. */
export function patchPays(changed: Bitset): boolean {
  return changed.count() * 4 <= changed.size;
}

/** Pairs to visit: those into some destinations, or from some sources. */
export interface PairFilter {
  readonly destinations?: Bitset;
  readonly sources?: Bitset;
}

const BITSETS: SetAlgebra<Bitset> = { union: (a, b) => a.or(b), intersect: (a, b) => a.and(b), minus: (a, b) => a.andNot(b) };
const LINES: SetAlgebra<PortLine> = { union: (a, b) => unionLines([a, b]), intersect: intersectLines, minus: subtractLines };

/**
 * Whether a group is one pod, so that its traffic to itself is a pod reaching
 * itself (always allowed) rather than replicas reaching each other. A
 * DaemonSet runs one pod per node: several, whatever its replica count says.
 */
export function standsForOnePod(group: PodGroup): boolean {
  return group.kind !== 'DaemonSet' && group.replicas === 1;
}

type ConnectionVisit = (s: number, d: number, ports: ReadonlyArray<[Protocol, number, number]>) => void;

function classKey(g: PodGroup): string {
  const labels = [...g.labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const ports = g.ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`);
  const ips = g.ips.map((ip) => ip.toString()).sort();
  return JSON.stringify([g.namespace, labels, ports, ips, g.hostNetwork, g.serviceAccount ?? '']);
}

const hasTieredRules = (p: PolicyModel): boolean => p.tieredRules !== undefined && p.tieredRules.length > 0;
const isOrdered = (p: PolicyModel): boolean => p.place !== undefined;

/** Whether an ascending list of indices has one in [from, to). */
function someWithin(ascending: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ascending[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < ascending.length && ascending[lo]! < to;
}

/** Which ClassRules each class had in one analysis (Reachability.rulesTable). */
export interface ClassRulesSnapshot {
  readonly groupOf: Int32Array;
  readonly rules: readonly ClassRules[];
}

export class Reachability {
  readonly classes: PodClass[];
  private readonly classOfGroup: Map<PodGroup, number>;
  private readonly classesByNamespace: Map<string, number[]>;
  /** By namespace and selector text: valid as long as the classes and the namespaces' labels are. */
  private readonly selectorCache: Map<string, Bitset>;
  /** Sets per model object, shared with the reachability after an edit that keeps the classes; weak, so removed policies' sets go with them. */
  private readonly peerCache: WeakMap<PeerMatcher, Bitset>;
  private readonly ruleCache: WeakMap<PolicyRule, Bitset>;
  private readonly policyCache: WeakMap<PolicyModel, Bitset>;
  private readonly portlessLines: WeakMap<PolicyRule, PortLine>;
  private readonly isolatedIngress: Bitset;
  private readonly isolatedEgress: Bitset;
  /** Each group's rules, handed on from the last analysis for groups whose policies are the same. */
  private readonly classRules: ClassRulesTable;
  private readonly rulesOfGroup: ClassRules[];
  private readonly ingressRulesOf: Array<readonly RuleOfPolicy[]>;
  private readonly egressRulesOf: Array<readonly RuleOfPolicy[]>;
  /** Deny rules per class and direction: they apply whether or not the class is isolated, and win over every allow. */
  private readonly ingressDenyOf: Array<readonly RuleOfPolicy[]>;
  private readonly egressDenyOf: Array<readonly RuleOfPolicy[]>;
  /** Per class, the ordered (Calico) evaluation of a direction, where an ordered policy applies (ClassRules). */
  private readonly ingressTiers: Array<readonly OrderedTier[] | undefined>;
  private readonly egressTiers: Array<readonly OrderedTier[] | undefined>;
  private readonly endpointContext: EndpointContext;
  /** Classes with an ordered policy on egress. */
  private readonly egressOrdered: Bitset;
  /** Classes selected by the same policies share their rule lists; per-side work is done once per group. */
  private readonly groupOf: Int32Array;
  private readonly groups: PolicyGroup[];
  /** The distinct sets of classes the policies select, with their policies, in the order the groups were made from. */
  private readonly targets: readonly PolicyTarget[];
  /** Classes by namespaces and selector: policies with equal targets get the same set object, which is what groups them. */
  private readonly targetCache: Map<string, Bitset>;
  /** Per namespace, built on first use; valid as long as the classes are. */
  private readonly labelIndexes: Map<string, LabelIndex>;
  /** Rules of cluster-wide tiered policies whose subject is the class, in evaluation order. */
  private readonly ingressTieredOf: RuleOfPolicy[][];
  private readonly egressTieredOf: RuleOfPolicy[][];
  /** Whether any class has tiered rules: only then does a pair need the tier composition. */
  private readonly tiered: boolean;
  /** Whether any policy is ordered (Calico): patched matrices are not made then (classMatrixSince). */
  private readonly ordered: boolean;
  private readonly tieredPolicies: KeptSelection<PolicyModel>;
  private readonly orderedPolicies: KeptSelection<PolicyModel>;

  /**
   * `previous`: the reachability of the workspace before an edit that left
   * every pod group and namespace as it was (the same objects). Its classes
   * and selector sets still hold, and so do the sets of the policies that
   * are still there, and the rules of every group whose policies are.
   */
  constructor(
    readonly workspace: WorkspaceModel,
    previous?: Reachability,
  ) {
    if (previous === undefined) {
      this.classes = [];
      this.classOfGroup = new Map();
      this.classesByNamespace = new Map();
      this.selectorCache = new Map();
      this.targetCache = new Map();
      this.labelIndexes = new Map();
      this.peerCache = new WeakMap();
      this.ruleCache = new WeakMap();
      this.policyCache = new WeakMap();
      this.portlessLines = new WeakMap();
      this.buildClasses();
    } else {
      this.classes = previous.classes;
      this.classOfGroup = previous.classOfGroup;
      this.classesByNamespace = previous.classesByNamespace;
      this.selectorCache = previous.selectorCache;
      this.targetCache = previous.targetCache;
      this.labelIndexes = previous.labelIndexes;
      this.withIPs = previous.withIPs;
      this.peerCache = previous.peerCache;
      this.ruleCache = previous.ruleCache;
      this.policyCache = previous.policyCache;
      this.portlessLines = previous.portlessLines;
    }
    this.classRules = new ClassRulesTable(workspace.tiers, previous?.classRules);
    const n = this.classes.length;
    this.endpointContext = {
      namespaceLabels: this.namespaceLabels,
      serviceAccountLabels: (namespace, name) => workspace.serviceAccounts.get(`${namespace}/${name}`),
    };
    const { groupOf, groups, targets } = this.groupClasses(previous);
    this.groupOf = groupOf;
    this.groups = groups;
    this.targets = targets;
    // Groups handed on are the same classes as before: each one's last rules are handed on with it when its policies are the same.
    const lastRules = previous !== undefined && previous.groupOf === groupOf ? previous.rulesOfGroup : undefined;
    // The same groups over a policy list of the same length: a group none of whose policies lies in the
    // stretch an edit replaced has the same policies at the same indices, so its last rules hold as they are.
    const edit = lastRules !== undefined && groups === previous!.groups && previous!.workspace.policies.length === workspace.policies.length ? listEdit(previous!.workspace.policies, workspace.policies) : undefined;
    const policiesOf = (group: PolicyGroup) => group.policies.map((p) => this.workspace.policies[p]!);
    this.rulesOfGroup = this.groups.map((group) =>
      edit !== undefined && !someWithin(group.policies, edit.head, edit.nextEnd)
        ? this.classRules.keep(lastRules![group.index]!, () => policiesOf(group))
        : this.classRules.rulesOf(policiesOf(group), lastRules?.[group.index]),
    );
    this.classRules.done();
    // The same groups as the last analysis: the per-class lists and isolation are the last ones with the
    // members of the groups whose rules changed written over, instead of one pass over every class.
    const changed = lastRules !== undefined && lastRules.length === this.rulesOfGroup.length ? this.groups.filter((g) => this.rulesOfGroup[g.index] !== lastRules[g.index]) : undefined;
    const perClass = <T>(pick: (rules: ClassRules) => T, last: readonly T[] | undefined): T[] => {
      if (changed !== undefined && last !== undefined) {
        if (changed.length === 0) return last as T[];
        const out = last.slice();
        for (const g of changed) {
          const value = pick(this.rulesOfGroup[g.index]!);
          for (const c of g.members) out[c] = value;
        }
        return out;
      }
      const byGroup = this.rulesOfGroup.map(pick);
      const out = new Array<T>(n);
      for (let c = 0; c < n; c++) out[c] = byGroup[groupOf[c]!]!;
      return out;
    };
    this.ingressRulesOf = perClass((r) => r.ingress, previous?.ingressRulesOf);
    this.egressRulesOf = perClass((r) => r.egress, previous?.egressRulesOf);
    this.ingressDenyOf = perClass((r) => r.ingressDeny, previous?.ingressDenyOf);
    this.egressDenyOf = perClass((r) => r.egressDeny, previous?.egressDenyOf);
    this.ingressTiers = perClass((r) => r.ingressTiers, previous?.ingressTiers);
    this.egressTiers = perClass((r) => r.egressTiers, previous?.egressTiers);
    this.isolatedIngress = this.isolation((r) => r.isolatedIngress, changed, previous?.isolatedIngress);
    this.isolatedEgress = this.isolation((r) => r.isolatedEgress, changed, previous?.isolatedEgress);
    // Cluster-wide tiered rules stay per class: they are composed per pair in evaluation order, and few policies have them.
    // The policies with them (and the ordered ones) are carried from the last policy list, not looked for among every policy.
    this.tieredPolicies = previous?.tieredPolicies.next(workspace.policies, hasTieredRules) ?? KeptSelection.of(workspace.policies, hasTieredRules);
    this.orderedPolicies = previous?.orderedPolicies.next(workspace.policies, isOrdered) ?? KeptSelection.of(workspace.policies, isOrdered);
    const tiered = this.tieredPolicies.items.length > 0;
    // Without any, every class shares one empty list, which is never added to.
    this.ingressTieredOf = tiered ? this.classes.map(() => []) : new Array<RuleOfPolicy[]>(n).fill(NO_RULES);
    this.egressTieredOf = tiered ? this.classes.map(() => []) : new Array<RuleOfPolicy[]>(n).fill(NO_RULES);
    for (const policy of this.tieredPolicies.items) {
      if (policy.tieredRules === undefined || policy.tieredRules.length === 0) continue;
      const rules = policy.tieredRules.map((rule) => ({ policy, rule }));
      for (const c of this.selectedClasses(policy).members()) {
        for (const r of rules) (r.rule.direction === 'ingress' ? this.ingressTieredOf : this.egressTieredOf)[c]!.push(r);
      }
    }
    this.ordered = this.orderedPolicies.items.length > 0;
    this.egressOrdered = new Bitset(n);
    if (this.ordered) for (let c = 0; c < n; c++) if (this.egressTiers[c] !== undefined) this.egressOrdered.add(c);
    this.tiered = tiered;
    if (tiered) for (const list of [...this.ingressTieredOf, ...this.egressTieredOf]) list.sort(inEvaluationOrder);
  }

  /**
   * Groups the classes by the policies selecting them; policies selecting the
   * same classes are one target. When the targets are the same sets in the
   * same order as the previous reachability's, so are the groups.
   */
  private groupClasses(previous: Reachability | undefined): { groupOf: Int32Array; groups: PolicyGroup[]; targets: readonly PolicyTarget[] } {
    const list = (previous !== undefined ? this.targetsSince(previous) : undefined) ?? this.allTargets();
    const old = previous?.targets;
    if (old !== undefined && old.length === list.length && list.every((t, i) => t.classes === old[i]!.classes)) {
      // The same policy indices too (no policy added or removed before them): the very same groups.
      const samePolicies = list.every((t, i) => sameIndices(t.policies, old[i]!.policies));
      return { groupOf: previous!.groupOf, groups: samePolicies ? previous!.groups : regroup(previous!.groups, list), targets: list };
    }
    return { ...groupBySelectingPolicies(this.classes.length, list), targets: list };
  }

  /** Tiered policies are composed on their own (below), never as NetworkPolicy isolation. */
  private isTargetOf(policy: PolicyModel): boolean {
    return !hasTieredRules(policy) && hasSay(policy);
  }

  /** The distinct sets of classes the policies select, each with its policies' indices, in the order of their first policy. */
  private allTargets(): PolicyTarget[] {
    const targets = new Map<Bitset, number[]>();
    this.workspace.policies.forEach((policy, p) => {
      if (!this.isTargetOf(policy)) return;
      const classes = this.selectedClasses(policy);
      const list = targets.get(classes);
      if (list === undefined) targets.set(classes, [p]);
      else list.push(p);
    });
    return [...targets].map(([classes, policies]) => ({ classes, policies }));
  }

  /**
   * allTargets from the last reachability's, when the classes are the same and the policy list has the same
   * length: the policies outside the stretch an edit replaced are the same objects at the same indices, with the
   * same sets (the policy cache is shared), so only the stretch's policies are placed again.
   */
  private targetsSince(previous: Reachability): PolicyTarget[] | undefined {
    const last = previous.workspace.policies;
    const now = this.workspace.policies;
    if (last.length !== now.length) return undefined;
    const { head, nextEnd } = listEdit(last, now);
    const list: Array<{ classes: Bitset; policies: readonly number[] }> = [];
    // Only the targets that lost or gained a policy can change their place, by a change of their first policy.
    let moved = false;
    for (const t of previous.targets) {
      if (!someWithin(t.policies, head, nextEnd)) {
        list.push(t);
        continue;
      }
      const policies = t.policies.filter((p) => p < head || p >= nextEnd);
      moved ||= policies[0] !== t.policies[0];
      list.push({ classes: t.classes, policies });
    }
    // An edit's stretch is a policy or a few: finding their targets by looking through the list beats indexing it.
    let at: Map<Bitset, number> | undefined;
    const indexOf = (classes: Bitset): number | undefined => {
      if (nextEnd - head <= 8) {
        const i = list.findIndex((t) => t.classes === classes);
        return i === -1 ? undefined : i;
      }
      at ??= new Map(list.map((t, i) => [t.classes, i]));
      return at.get(classes);
    };
    const touched = new Set<number>();
    for (let p = head; p < nextEnd; p++) {
      const policy = now[p]!;
      if (!this.isTargetOf(policy)) continue;
      const classes = this.selectedClasses(policy);
      const i = indexOf(classes);
      if (i === undefined) {
        at?.set(classes, list.length);
        list.push({ classes, policies: [p] });
        moved = true;
      } else {
        const first = list[i]!.policies[0];
        list[i] = { classes, policies: [...list[i]!.policies, p] };
        touched.add(i);
        moved ||= first === undefined || p < first;
      }
    }
    for (const i of touched) list[i] = { classes: list[i]!.classes, policies: [...list[i]!.policies].sort((a, b) => a - b) };
    const kept = list.filter((t) => t.policies.length > 0);
    // Every policy is in one target: the first indices differ, and ordering by them is allTargets' order.
    return moved ? kept.sort((a, b) => a.policies[0]! - b.policies[0]!) : kept;
  }

  /**
   * The classes a direction isolates (a direction isolates whatever rules it has): the last set with the
   * members of the changed groups set again when the groups are the last ones, else from every group.
   * The result is never changed afterwards, so an unchanged set is shared with the last analysis.
   */
  private isolation(isolates: (rules: ClassRules) => boolean, changed: readonly PolicyGroup[] | undefined, last: Bitset | undefined): Bitset {
    if (changed !== undefined && last !== undefined && changed.length === 0) return last;
    const patch = changed !== undefined && last !== undefined;
    const set = patch ? last.copy() : new Bitset(this.classes.length);
    for (const group of patch ? changed : this.groups) {
      const on = isolates(this.rulesOfGroup[group.index]!);
      for (const c of group.members) {
        if (on) set.add(c);
        else set.delete(c);
      }
    }
    return set;
  }

  /** Each class's ClassRules as the group table holds them: kept by a caller to ask changedClassesSince later. */
  rulesTable(): ClassRulesSnapshot {
    return { groupOf: this.groupOf, rules: this.rulesOfGroup };
  }

  /** The classes whose ClassRules are not those of an earlier table of the same classes; by group when the groups are the same. */
  changedClassesSince(last: ClassRulesSnapshot): number[] {
    const changed: number[] = [];
    if (last.groupOf === this.groupOf && last.rules.length === this.rulesOfGroup.length) {
      for (const g of this.groups) if (this.rulesOfGroup[g.index] !== last.rules[g.index]) for (const c of g.members) changed.push(c);
      return changed;
    }
    for (let c = 0; c < this.classes.length; c++) if (this.rulesOfGroup[this.groupOf[c]!] !== last.rules[last.groupOf[c]!]) changed.push(c);
    return changed;
  }

  /** The policies deciding class c's own side and their rules: the same object as in the last analysis while none of them changed. */
  rulesOfClass(c: number): ClassRules {
    return this.rulesOfGroup[this.groupOf[c]!]!;
  }

  /** Whether cluster-wide tiered rules apply to some class; those are kept per class, outside ClassRules. */
  get hasTieredRules(): boolean {
    return this.tiered;
  }

  private buildClasses(): void {
    const byKey = new Map<string, PodClass>();
    for (const g of this.workspace.podGroups) {
      const key = classKey(g);
      let c = byKey.get(key);
      if (c === undefined) {
        c = { index: this.classes.length, sample: g, groups: [] };
        byKey.set(key, c);
        this.classes.push(c);
        const list = this.classesByNamespace.get(g.namespace) ?? [];
        list.push(c.index);
        this.classesByNamespace.set(g.namespace, list);
      }
      c.groups.push(g);
      this.classOfGroup.set(g, c.index);
    }
  }

  classOf(group: PodGroup): number {
    const c = this.classOfGroup.get(group);
    if (c === undefined) throw new Error(`pod group ${group.id} is not part of this workspace`);
    return c;
  }

  namespaceLabels = (namespace: string): Labels => this.workspace.namespaces.get(namespace)?.labels ?? EMPTY_LABELS;

  /** Classes a policy's podSelector picks (host-network pods are never selected). */
  selectedClasses(policy: PolicyModel): Bitset {
    let set = this.policyCache.get(policy);
    if (set === undefined) {
      const targets = policy.targetNamespaces;
      const namespaces = targets === undefined ? [policy.namespace] : this.namespacesMatching(targets);
      set = this.classesSelected(namespaces, policy.podSelector);
      this.policyCache.set(policy, set);
    }
    return set;
  }

  /** Classes a peer admits, judged as upstream does (see matching.ts). */
  peerClasses(policy: PolicyModel, peer: PeerMatcher): Bitset {
    let set = this.peerCache.get(peer);
    if (set !== undefined) return set;
    const n = this.classes.length;
    switch (peer.kind) {
      case 'invalid':
      case 'external':
        set = new Bitset(n);
        break;
      case 'ipBlock':
        set = Bitset.of(
          n,
          (peer.outsideCluster ? [] : this.classesWithIPs()).filter((c) => c.sample.ips.some((ip) => ip.family === peer.addresses.family && peer.addresses.contains(ip))).map((c) => c.index),
        );
        break;
      case 'pods':
        set = this.podPeerClasses(policy, peer);
        break;
    }
    this.peerCache.set(peer, set);
    return set;
  }

  private withIPs: PodClass[] | undefined;

  /** Only pods with a known IP can match an ipBlock; usually few of them. */
  private classesWithIPs(): PodClass[] {
    return (this.withIPs ??= this.classes.filter((c) => c.sample.ips.length > 0));
  }

  private podPeerClasses(policy: PolicyModel, peer: PodPeer): Bitset {
    const namespaces =
      peer.namespaceSelector === undefined
        ? [policy.namespace]
        : this.namespacesMatching(peer.namespaceSelector);
    return this.classesSelected(namespaces, peer.podSelector);
  }

  /** One set object per namespaces and selector, shared by every policy and peer that selects those pods. */
  private classesSelected(namespaces: string[], selector: Selector | undefined): Bitset {
    const key = `${namespaces.join('\u0000')}\u0001${selector?.key ?? EVERYTHING_KEY}`;
    let set = this.targetCache.get(key);
    if (set === undefined) this.targetCache.set(key, (set = this.selectInNamespaces(namespaces, selector)));
    return set;
  }

  private namespacesMatching(selector: Selector): string[] {
    return [...this.workspace.namespaces.values()].filter((ns) => selectorMatches(selector, ns.labels)).map((ns) => ns.name);
  }

  /** Classes of the namespaces a selector matches (undefined: every pod); host-network pods never match. */
  private selectInNamespaces(namespaces: string[], selector: Selector | undefined): Bitset {
    const selectorKey = selector?.key ?? EVERYTHING_KEY;
    const result = new Bitset(this.classes.length);
    for (const ns of namespaces) {
      const cacheKey = `${ns}\u0000${selectorKey}`;
      let set = this.selectorCache.get(cacheKey);
      if (set === undefined) {
        set = new Bitset(this.classes.length);
        // A Calico expression may read labels Calico adds (namespace, service account): the label index does not hold those.
        const candidates =
          selector === undefined || selector.expression !== undefined ? [this.classesByNamespace.get(ns) ?? []] : this.labelIndex(ns).candidates(selector);
        for (const list of candidates) {
          for (const c of list) {
            const sample = this.classes[c]!.sample;
            if (!sample.hostNetwork && (selector === undefined || podSelectorMatches(selector, sample, this.endpointContext))) set.add(c);
          }
        }
        this.selectorCache.set(cacheKey, set);
      }
      result.orWith(set);
    }
    return result;
  }

  private labelIndex(namespace: string): LabelIndex {
    let index = this.labelIndexes.get(namespace);
    if (index === undefined) {
      index = new LabelIndex(this.classesByNamespace.get(namespace) ?? [], (c) => this.classes[c]!.sample.labels);
      this.labelIndexes.set(namespace, index);
    }
    return index;
  }

  private everyClass: Bitset | undefined;

  /** Classes a rule's peers admit (all classes when from/to is empty); rules with the same peers often share one set. */
  ruleClasses(policy: PolicyModel, rule: PolicyRule): Bitset {
    let set = this.ruleCache.get(rule);
    if (set === undefined) {
      set = rule.peers === undefined ? (this.everyClass ??= Bitset.full(this.classes.length)) : Bitset.unionOf(this.classes.length, rule.peers.map((peer) => this.peerClasses(policy, peer)));
      this.ruleCache.set(rule, set);
    }
    return set;
  }

  /**
   * Whether some port of the rule can match at a destination class: an invalid
   * port (endPort below port) matches nothing, and a named port only where the
   * destination declares it. Lenses count a rule's peers only when it does.
   */
  ruleAdmitsSomePortAt(rule: PolicyRule, destination: number): boolean {
    if (rule.ports === undefined) return true;
    const declared = this.classes[destination]!.sample.ports;
    return rule.ports.some((m) => m.kind === 'all' || m.kind === 'range' || (m.kind === 'named' && resolveNamedMatcher(declared, m, m.protocol) !== undefined));
  }

  /** The rules, of every policy selecting class c, that apply in a direction. */
  rulesFor(c: number, direction: 'ingress' | 'egress'): ReadonlyArray<{ readonly policy: PolicyModel; readonly rule: PolicyRule }> {
    return (direction === 'ingress' ? this.ingressRulesOf : this.egressRulesOf)[c]!;
  }

  /** The cluster-wide tiered rules whose subject is class c, for a direction, in evaluation order. */
  tieredRulesFor(c: number, direction: 'ingress' | 'egress'): readonly RuleOfPolicy[] {
    return (direction === 'ingress' ? this.ingressTieredOf : this.egressTieredOf)[c]!;
  }

  /** The deny rules (Cilium) that apply to class c in a direction. */
  denyRulesFor(c: number, direction: 'ingress' | 'egress'): readonly RuleOfPolicy[] {
    return (direction === 'ingress' ? this.ingressDenyOf : this.egressDenyOf)[c]!;
  }

  /** Where an ordered policy (Calico) isolates class c in a direction: the isolating policies in evaluation order. */
  orderedTiersFor(c: number, direction: 'ingress' | 'egress'): readonly OrderedTier[] | undefined {
    return (direction === 'ingress' ? this.ingressTiers : this.egressTiers)[c];
  }

  isIsolated(c: number, direction: 'ingress' | 'egress'): boolean {
    return (direction === 'ingress' ? this.isolatedIngress : this.isolatedEgress).has(c);
  }

  /**
   * Whether some policy has a say over class c in a direction: it is isolated,
   * or deny rules or cluster-wide tiered rules apply to it. Only where none
   * does is every connection the default allow.
   */
  isGoverned(c: number, direction: 'ingress' | 'egress'): boolean {
    const ingress = direction === 'ingress';
    return this.isIsolated(c, direction) || (ingress ? this.ingressDenyOf : this.egressDenyOf)[c]!.length > 0 || (ingress ? this.ingressTieredOf : this.egressTieredOf)[c]!.length > 0;
  }

  /** Whether a rule's ports admit port/protocol at a destination class. */
  private rulePortAllows(rule: PolicyRule, port: number, protocol: Protocol, destination: number): boolean {
    if (rule.ports === undefined) return true;
    for (const m of rule.ports) {
      if (m.kind === 'invalid' || m.protocol !== protocol) continue;
      if (m.kind === 'all') return true;
      if (m.kind === 'range' && m.from <= port && port <= m.to) return true;
      if (m.kind === 'named' && resolveNamedMatcher(this.classes[destination]!.sample.ports, m, protocol)?.port === port) return true;
    }
    return false;
  }

  private ruleHasNamedPort(rule: PolicyRule): boolean {
    return rule.ports !== undefined && rule.ports.some((m) => m.kind === 'named');
  }

  /** Sources admitted into class d on port/protocol by d's ingress rules. */
  private ingressSources(d: number, port: number, protocol: Protocol): Bitset {
    const allowed = new Bitset(this.classes.length);
    for (const { policy, rule } of this.ingressRulesOf[d]!) {
      if (this.rulePortAllows(rule, port, protocol, d)) allowed.orWith(this.ruleClasses(policy, rule));
    }
    return allowed;
  }

  private readonly classAlgebra: OrderedAlgebra<Bitset> = {
    empty: new Bitset(0),
    isEmpty: (s) => s.isEmpty,
    union: (a, b) => {
      if (a.size === 0) return b;
      const r = a.and(a);
      r.orWith(b);
      return r;
    },
    intersect: (a, b) => (a.size === 0 || b.size === 0 ? this.classAlgebra.empty : a.and(b)),
    minus: (a, b) => {
      if (b.size === 0) return a;
      const r = a.and(a);
      r.andNotWith(b);
      return r;
    },
  };

  /** A set of the ordered evaluation as a fresh bitset of every class (its empty set has size 0). */
  private sized(b: Bitset): Bitset {
    return b.size === 0 ? new Bitset(this.classes.length) : b.and(b);
  }

  /** Sources an ordered evaluation (Calico tiers) lets into class d on port/protocol, and those it passes out of its last tier. */
  private orderedIngress(d: number, port: number, protocol: Protocol): { allowed: Bitset; passedOut: Bitset } {
    const decision = decideOrdered(this.ingressTiers[d]!, 'ingress', Bitset.full(this.classes.length), this.classAlgebra, (policy, rule) =>
      this.rulePortAllows(rule, port, protocol, d) ? this.ruleClasses(policy, rule) : this.classAlgebra.empty,
    );
    return { allowed: this.sized(decision.allowed), passedOut: this.sized(decision.passedOut) };
  }

  private orderedSources(d: number, port: number, protocol: Protocol): Bitset {
    return this.orderedIngress(d, port, protocol).allowed;
  }

  /** Destinations an ordered evaluation lets class s send to on port/protocol, and those it passes out of its last tier. */
  private orderedEgress(s: number, port: number, protocol: Protocol): { allowed: Bitset; passedOut: Bitset } {
    const decision = decideOrdered(this.egressTiers[s]!, 'egress', Bitset.full(this.classes.length), this.classAlgebra, (policy, rule) => {
      const peers = this.ruleClasses(policy, rule);
      if (!this.ruleHasNamedPort(rule)) return this.rulePortAllows(rule, port, protocol, 0) ? peers : this.classAlgebra.empty;
      return Bitset.of(this.classes.length, [...peers.members()].filter((d) => this.rulePortAllows(rule, port, protocol, d)));
    });
    return { allowed: this.sized(decision.allowed), passedOut: this.sized(decision.passedOut) };
  }

  private orderedDestinations(s: number, port: number, protocol: Protocol): Bitset {
    return this.orderedEgress(s, port, protocol).allowed;
  }

  /** Sources dropped into class d on port/protocol by d's ingress deny rules. */
  private deniedSources(d: number, port: number, protocol: Protocol): Bitset {
    const denied = new Bitset(this.classes.length);
    for (const { policy, rule } of this.ingressDenyOf[d]!) {
      if (this.rulePortAllows(rule, port, protocol, d)) denied.orWith(this.ruleClasses(policy, rule));
    }
    return denied;
  }

  /** Destinations that egress rules (of one class, or one group of classes) let send on port/protocol, or, given deny rules, those they drop. */
  private egressDestinations(port: number, protocol: Protocol, rules: readonly RuleOfPolicy[]): Bitset {
    const n = this.classes.length;
    const whole: Bitset[] = [];
    const named: RuleOfPolicy[] = [];
    for (const r of rules) {
      if (this.ruleHasNamedPort(r.rule)) named.push(r);
      else if (this.rulePortAllows(r.rule, port, protocol, 0)) whole.push(this.ruleClasses(r.policy, r.rule));
    }
    if (named.length === 0) return Bitset.unionOf(n, whole);
    const allowed = Bitset.unionOf(n, whole).copy();
    // A named port resolves differently per destination: test each admitted class.
    for (const { policy, rule } of named) {
      for (const d of this.ruleClasses(policy, rule).members()) if (!allowed.has(d) && this.rulePortAllows(rule, port, protocol, d)) allowed.add(d);
    }
    return allowed;
  }

  /**
   * A pair's allowed ports: [protocol, from, to], one port at a time where
   * the destination declares ports. `only` limits the pairs to some
   * destinations or some sources (a matrix brought up to date after an
   * edit).
   */
  private forEachAllowed(query: PortQuery, withPorts: boolean, visit: ConnectionVisit, omitDefault?: (d: number) => Bitset | undefined, only: PairFilter = {}): void {
    const n = this.classes.length;
    const byPort = new Map<string, { port: number; protocol: Protocol; destinations: number[] }>();
    const portless: number[] = [];
    const wantedSources = only.sources;
    // Groups with no wanted member would only add sources that are then taken away.
    const wantedGroup = (g: PolicyGroup) => wantedSources === undefined || g.members.some((c) => wantedSources.has(c));
    for (let d = 0; d < n; d++) {
      if (only.destinations !== undefined && !only.destinations.has(d)) continue;
      const declared = this.classes[d]!.sample.ports;
      if (query.port === undefined && declared.length === 0) {
        portless.push(d);
        continue;
      }
      const candidates: Array<[number, Protocol]> =
        query.port !== undefined
          ? [[query.port, query.protocol ?? 'TCP']]
          : declared.filter((p) => query.protocol === undefined || p.protocol === query.protocol).map((p) => [p.port, p.protocol]);
      for (const [port, protocol] of candidates) {
        const key = `${port}/${protocol}`;
        let entry = byPort.get(key);
        if (entry === undefined) byPort.set(key, (entry = { port, protocol, destinations: [] }));
        if (entry.destinations[entry.destinations.length - 1] !== d) entry.destinations.push(d);
      }
    }
    // Groups an ordered (Calico) policy applies to have no shared allowed set: their classes are decided one at a time below.
    const egressIsolated = this.groups.filter((g) => this.isolatedEgress.has(g.members[0]!) && this.egressTiers[g.members[0]!] === undefined && wantedGroup(g));
    const egressDenying = this.groups.filter((g) => this.egressDenyOf[g.members[0]!]!.length > 0 && wantedGroup(g));
    // Classes with cluster-wide tiered egress rules, or an ordered policy on egress: their side is decided one class at a time.
    const egressTiered = this.classes.map((c) => c.index).filter((s) => this.egressTieredOf[s]!.length > 0 || this.egressTiers[s] !== undefined);
    const ingressNamesPorts = this.perGroup((g) => this.ingressRulesOf[g.members[0]!]!.some(({ rule }) => this.ruleHasNamedPort(rule)));
    for (const { port, protocol, destinations } of byPort.values()) {
      // What one side allows depends only on its rules, so it is worked out once per group of classes.
      const egress = this.perGroup((g) => this.egressDestinations(port, protocol, this.egressRulesOf[g.members[0]!]!));
      const egressDenied = this.perGroup((g) => this.egressDestinations(port, protocol, this.egressDenyOf[g.members[0]!]!));
      const ingress = this.perGroup((g) => this.ingressSources(g.members[0]!, port, protocol));
      const egressDecided = new Map(
        egressTiered.map((s) => [s, this.egressTieredOf[s]!.length > 0 ? this.tieredEgressDestinations(s, port, protocol) : this.orderedDestinationsLessDenied(s, port, protocol)]),
      );
      const ports: Array<[Protocol, number, number]> = withPorts ? [[protocol, port, port]] : [];
      const admittedByEgress = this.egressAdmitting(Bitset.of(n, destinations), egressIsolated, egress);
      for (const d of destinations) {
        const group = this.groups[this.groupOf[d]!]!;
        let sources: Bitset;
        if (this.ingressTieredOf[d]!.length > 0) sources = this.tieredIngressSources(d, port, protocol, omitDefault);
        else if (this.ingressTiers[d] !== undefined) sources = this.orderedSourcesLessDenied(d, port, protocol);
        else {
          // A named port resolves per destination, so those rules are judged at d itself.
          sources = !this.isolatedIngress.has(d)
            ? this.openSources(d, omitDefault)
            : ingressNamesPorts(group)
              ? this.ingressSources(d, port, protocol)
              : ingress(group).copy();
          // Deny wins over any allow, on both sides.
          if (this.ingressDenyOf[d]!.length > 0) sources.andNotWith(this.deniedSources(d, port, protocol));
        }
        if (wantedSources !== undefined) sources.andWith(wantedSources);
        const beforeEgress = egressTiered.length > 0 ? sources.copy() : undefined;
        sources.andWith(admittedByEgress[d]!);
        for (const g of egressDenying) if (egressDenied(g).has(d)) removeGroup(sources, g);
        // A tiered or ordered source's egress is what its own evaluation decides, not the group filters above.
        for (const s of egressTiered) {
          if (beforeEgress!.has(s) && egressDecided.get(s)!.has(d)) sources.add(s);
          else sources.delete(s);
        }
        for (const s of sources.members()) visit(s, d, ports);
      }
    }
    if (portless.length === 0) return;
    if (this.tiered) {
      for (const d of portless) this.visitPortlessTiered(d, query.protocol, withPorts, visit, omitDefault, wantedSources);
      return;
    }
    const side = this.portlessSides(query.protocol);
    const admittedByEgress = this.egressAdmitting(Bitset.of(n, portless), side.egressIsolated.filter(wantedGroup), side.egressReach);
    for (const d of portless) {
      if (wantedSources !== undefined) admittedByEgress[d]!.andWith(wantedSources);
      this.visitPortless(d, side, admittedByEgress[d]!, withPorts, visit, omitDefault);
    }
  }

  /** Sources an ordered evaluation lets into d on port/protocol, less what d's deny rules drop. */
  private orderedSourcesLessDenied(d: number, port: number, protocol: Protocol): Bitset {
    const sources = this.orderedSources(d, port, protocol);
    if (this.ingressDenyOf[d]!.length > 0) sources.andNotWith(this.deniedSources(d, port, protocol));
    return sources;
  }

  /** Destinations an ordered evaluation lets s send to on port/protocol, less what s's deny rules drop. */
  private orderedDestinationsLessDenied(s: number, port: number, protocol: Protocol): Bitset {
    const destinations = this.orderedDestinations(s, port, protocol);
    if (this.egressDenyOf[s]!.length > 0) destinations.andNotWith(this.egressDestinations(port, protocol, this.egressDenyOf[s]!));
    return destinations;
  }

  /**
   * For each destination, the sources whose egress lets them send to it: every
   * class not isolated for egress, and each isolated group whose allowed set
   * holds it. Built from the groups' side (time in the pairs admitted, not
   * groups × destinations), so a destination costs one AND afterwards.
   */
  private egressAdmitting(destinations: Bitset, isolatedGroups: readonly PolicyGroup[], allowedOf: (group: PolicyGroup) => Bitset): Array<Bitset | undefined> {
    const open = Bitset.full(this.classes.length);
    open.andNotWith(this.isolatedEgress);
    // A class an ordered policy applies to on egress is decided on its own by the caller.
    open.orWith(this.egressOrdered);
    const admitted: Array<Bitset | undefined> = new Array(this.classes.length);
    for (const d of destinations.members()) admitted[d] = open.copy();
    // Groups allowed the same set object (the same peers) are added together, one pass over that set.
    const byAllowed = new Map<Bitset, PolicyGroup[]>();
    for (const g of isolatedGroups) {
      const allowed = allowedOf(g);
      const list = byAllowed.get(allowed);
      if (list === undefined) byAllowed.set(allowed, [g]);
      else list.push(g);
    }
    for (const [allowed, groups] of byAllowed) {
      const senders = new Bitset(this.classes.length);
      for (const g of groups) addGroup(senders, g);
      for (const d of allowed.and(destinations).members()) admitted[d]!.orWith(senders);
    }
    return admitted;
  }

  /** A function of a group, computed on first use. */
  private perGroup<T>(compute: (group: PolicyGroup) => T): (group: PolicyGroup) => T {
    const done: Array<{ value: T } | undefined> = new Array(this.groups.length);
    return (group) => (done[group.index] ??= { value: compute(group) }).value;
  }

  /** Sources into d on port/protocol through the tiers: admin rules, namespaced policy, baseline rules, the default allow. */
  private tieredIngressSources(d: number, port: number, protocol: Protocol, omitDefault: ((d: number) => Bitset | undefined) | undefined): Bitset {
    const n = this.classes.length;
    const none = new Bitset(n);
    const steps = this.ingressTieredOf[d]!.map((r) => this.step(r, this.rulePortAllows(r.rule, port, protocol, d) ? this.ruleClasses(r.policy, r.rule) : none));
    const selected = this.isolatedIngress.has(d);
    // Where Calico's tiers apply, their ordered evaluation is the NetworkPolicy step; what they pass out of the last tier goes on to the baseline tier.
    const ordered = this.ingressTiers[d] !== undefined ? this.orderedIngress(d, port, protocol) : undefined;
    const networkPolicy = {
      selected,
      allowed: ordered !== undefined ? ordered.allowed : selected ? this.ingressSources(d, port, protocol) : none,
      denied: this.ingressDenyOf[d]!.length > 0 ? this.deniedSources(d, port, protocol) : none,
      ...(ordered === undefined ? {} : { passedOn: ordered.passedOut }),
    };
    return composeTiers(BITSETS, Bitset.full(n), none, steps, networkPolicy, this.openSources(d, omitDefault));
  }

  /** Destinations s may send to on port/protocol through the tiers. */
  private tieredEgressDestinations(s: number, port: number, protocol: Protocol): Bitset {
    const n = this.classes.length;
    const none = new Bitset(n);
    const steps = this.egressTieredOf[s]!.map((r) => this.step(r, this.egressDestinations(port, protocol, [r])));
    const selected = this.isolatedEgress.has(s);
    const ordered = this.egressTiers[s] !== undefined ? this.orderedEgress(s, port, protocol) : undefined;
    const networkPolicy = {
      selected,
      allowed: ordered !== undefined ? ordered.allowed : selected ? this.egressDestinations(port, protocol, this.egressRulesOf[s]!) : none,
      ...(ordered === undefined ? {} : { passedOn: ordered.passedOut }),
      denied: this.egressDenyOf[s]!.length > 0 ? this.egressDestinations(port, protocol, this.egressDenyOf[s]!) : none,
    };
    const all = Bitset.full(n);
    return composeTiers(BITSETS, all, none, steps, networkPolicy, all);
  }

  private step<S>(r: RuleOfPolicy, matched: S): TierStep<S> {
    return { tier: r.policy.tier!.tier, action: tierActionOf(r.rule), matched };
  }

  /**
   * visitPortless when tiered rules exist: each pair's port line is what the
   * tiers let through on the destination's ingress and the source's egress.
   */
  private visitPortlessTiered(
    d: number,
    protocol: Protocol | undefined,
    withPorts: boolean,
    visit: ConnectionVisit,
    omitDefault: ((d: number) => Bitset | undefined) | undefined,
    wantedSources: Bitset | undefined,
  ): void {
    const whole = wholeLine(protocol);
    const omit = omitDefault?.(d);
    for (let s = 0; s < this.classes.length; s++) {
      if (wantedSources !== undefined && !wantedSources.has(s)) continue;
      const ingress = this.tieredPairLine(d, s, 'ingress', whole, omit?.has(s) === true);
      if (ingress.length === 0) continue;
      const line = intersectLines(ingress, this.tieredPairLine(s, d, 'egress', whole, false));
      if (line.length > 0) visit(s, d, withPorts ? lineRanges(line) : []);
    }
  }

  /** The ports of `whole` the subject's side lets through to or from the peer, at a destination that declares no ports. */
  private tieredPairLine(subject: number, peer: number, direction: 'ingress' | 'egress', whole: PortLine, omitted: boolean): PortLine {
    const ingress = direction === 'ingress';
    const admitting = (list: readonly RuleOfPolicy[]) =>
      intersectLines(unionLines(list.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(peer)).map(({ rule }) => this.lineAtPortless(rule))), whole);
    const selected = this.isIsolated(subject, direction);
    const orderedTiers = (ingress ? this.ingressTiers : this.egressTiers)[subject];
    const ordered = orderedTiers === undefined ? undefined : this.orderedLineDecision(orderedTiers, direction, whole, peer);
    const networkPolicy = {
      selected,
      allowed: ordered !== undefined ? ordered.allowed : selected ? admitting((ingress ? this.ingressRulesOf : this.egressRulesOf)[subject]!) : EMPTY_LINE,
      denied: admitting((ingress ? this.ingressDenyOf : this.egressDenyOf)[subject]!),
      ...(ordered === undefined ? {} : { passedOn: ordered.passedOut }),
    };
    const steps = (ingress ? this.ingressTieredOf : this.egressTieredOf)[subject]!.map((r) =>
      this.step(r, this.ruleClasses(r.policy, r.rule).has(peer) ? this.lineAtPortless(r.rule) : EMPTY_LINE),
    );
    return composeTiers(LINES, whole, EMPTY_LINE, steps, networkPolicy, omitted ? EMPTY_LINE : whole);
  }

  /** Every source into a destination no policy isolates, less those the caller does not want when no policy decides. */
  private openSources(d: number, omitDefault: ((d: number) => Bitset | undefined) | undefined): Bitset {
    const sources = Bitset.full(this.classes.length);
    const omit = omitDefault?.(d);
    if (omit !== undefined) sources.andNotWith(omit);
    return sources;
  }

  private lineAtPortless(rule: PolicyRule): PortLine {
    let line = this.portlessLines.get(rule);
    if (line === undefined) this.portlessLines.set(rule, (line = ruleLineAtPortless(rule)));
    return line;
  }

  /** What each group's own side allows at destinations that declare no ports, within one protocol or all of them. */
  private portlessSides(protocol: Protocol | undefined): PortlessSides {
    const whole = wholeLine(protocol);
    const within = (line: PortLine) => (protocol === undefined ? line : intersectLines(line, whole));
    return {
      whole,
      egressIsolated: this.groups.filter((g) => this.isolatedEgress.has(g.members[0]!) && this.egressTiers[g.members[0]!] === undefined),
      ingress: this.perGroup((g) =>
        this.ingressRulesOf[g.members[0]!]!.map(({ policy, rule }) => ({ peers: this.ruleClasses(policy, rule), line: within(this.lineAtPortless(rule)) })).filter((r) => r.line.length > 0),
      ),
      egressReach: this.perGroup((g) =>
        Bitset.unionOf(
          this.classes.length,
          this.egressRulesOf[g.members[0]!]!.filter(({ rule }) => within(this.lineAtPortless(rule)).length > 0).map(({ policy, rule }) => this.ruleClasses(policy, rule)),
        ),
      ),
    };
  }

  /**
   * A destination that declares no ports can be reached on any port: what
   * a pair may use is the intersection of what d's ingress rules admitting
   * s allow and what s's egress rules admitting d allow, as port intervals.
   * Sources whose egress rules admit d on no port at all are dropped first
   * (admittedByEgress), so the intervals are only worked out for pairs that
   * both sides' peers admit.
   */
  private visitPortless(d: number, side: PortlessSides, admittedByEgress: Bitset, withPorts: boolean, visit: ConnectionVisit, omitDefault: ((d: number) => Bitset | undefined) | undefined): void {
    const { whole } = side;
    const ingressTiers = this.ingressTiers[d];
    const ingress = ingressTiers === undefined && this.isolatedIngress.has(d) ? side.ingress(this.groups[this.groupOf[d]!]!) : undefined;
    let sources: Bitset;
    if (ingress === undefined) sources = this.openSources(d, omitDefault);
    else {
      sources = new Bitset(this.classes.length);
      for (const r of ingress) sources.orWith(r.peers);
    }
    if (ingressTiers !== undefined) sources = Bitset.full(this.classes.length);
    sources.andWith(admittedByEgress);
    for (const s of sources.members()) {
      let line =
        ingressTiers !== undefined
          ? this.orderedLine(ingressTiers, 'ingress', whole, s)
          : ingress === undefined
            ? whole
            : unionLines(ingress.filter((r) => r.peers.has(s)).map((r) => r.line));
      const egressTiers = this.egressTiers[s];
      if (egressTiers !== undefined) line = intersectLines(line, this.orderedLine(egressTiers, 'egress', whole, d));
      else if (this.isolatedEgress.has(s)) {
        const lines = this.egressRulesOf[s]!.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(d)).map(({ rule }) => this.lineAtPortless(rule));
        line = lines.length === 0 ? EMPTY_LINE : intersectLines(line, unionLines(lines));
      }
      const denied = [
        ...this.ingressDenyOf[d]!.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(s)),
        ...this.egressDenyOf[s]!.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(d)),
      ].map(({ rule }) => this.lineAtPortless(rule));
      if (denied.length > 0 && line.length > 0) line = subtractLines(line, unionLines(denied));
      if (line.length > 0) visit(s, d, withPorts ? lineRanges(line) : []);
    }
  }

  /** The ports (within `whole`) an ordered evaluation allows between a class and one peer class. */
  private orderedLine(tiers: readonly OrderedTier[], direction: 'ingress' | 'egress', whole: PortLine, peer: number): PortLine {
    return this.orderedLineDecision(tiers, direction, whole, peer).allowed;
  }

  /** The same, with the ports passed out of the last tier. */
  private orderedLineDecision(tiers: readonly OrderedTier[], direction: 'ingress' | 'egress', whole: PortLine, peer: number): { allowed: PortLine; passedOut: PortLine } {
    const lines: OrderedAlgebra<PortLine> = {
      empty: EMPTY_LINE,
      isEmpty: (l) => l.length === 0,
      union: (a, b) => unionLines([a, b]),
      intersect: intersectLines,
      minus: subtractLines,
    };
    return decideOrdered(tiers, direction, whole, lines, (policy, rule) => (this.ruleClasses(policy, rule).has(peer) ? this.lineAtPortless(rule) : EMPTY_LINE));
  }

  /** Class-level matrix: row s holds the classes s can reach on some candidate port. */
  classMatrix(query: PortQuery = {}): Bitset[] {
    const rows = this.classes.map(() => new Bitset(this.classes.length));
    this.forEachAllowed(query, false, (s, d) => rows[s]!.add(d));
    return rows;
  }

  /**
   * The classes whose own side may decide differently from `previous`'s
   * (their ClassRules changed), when both have the same classes; undefined
   * where no class can be trusted to decide as before: other classes, or
   * tiered or ordered policies before or after, which are decided per class
   * outside ClassRules identity.
   */
  classesChangedSince(previous: Reachability): Bitset | undefined {
    if (previous.classes !== this.classes || this.tiered || this.ordered || previous.tiered || previous.ordered) return undefined;
    const changed = new Bitset(this.classes.length);
    for (let c = 0; c < this.classes.length; c++) if (this.rulesOfClass(c) !== previous.rulesOfClass(c)) changed.add(c);
    return changed;
  }

  /**
   * The class matrix of the reachability before an edit that kept the
   * classes (`before`, computed by `previous` for the same query), brought up
   * to date: only the rows and columns of the classes whose ClassRules
   * changed are worked out again. Tiered and ordered policies are left out
   * of ClassRules identity or decided per class, so with any of them, before
   * or after, the matrix is computed whole.
   */
  classMatrixSince(query: PortQuery, previous: Reachability, before: readonly Bitset[]): { rows: Bitset[]; changed: Bitset } {
    if (previous.classes !== this.classes) throw new Error('classMatrixSince: the classes are not those of the previous reachability');
    const n = this.classes.length;
    const whole = () => ({ rows: this.classMatrix(query), changed: Bitset.full(n) });
    const changed = this.classesChangedSince(previous);
    if (changed === undefined || !patchPays(changed)) return whole();
    const rows = before.map((row, s) => {
      if (changed.has(s)) return new Bitset(n);
      const copy = row.copy();
      copy.andNotWith(changed);
      return copy;
    });
    if (!changed.isEmpty) {
      const set = (s: number, d: number) => rows[s]!.add(d);
      this.forEachAllowed(query, false, set, undefined, { destinations: changed });
      this.forEachAllowed(query, false, set, undefined, { sources: changed });
    }
    return { rows, changed };
  }

  /**
   * Every allowed connection between classes with the ports it is allowed
   * on: source class → destination class → [protocol, from, to][]; single
   * ports where the destination declares ports, merged intervals where it
   * declares none. omitDefault(d) names sources to leave out when no policy
   * isolates either side (the graph draws those per namespace). `only`
   * limits the pairs to those into some destinations and from some sources.
   */
  classConnections(omitDefault?: (d: number) => Bitset | undefined, only: PairFilter = {}): Map<number, Map<number, Array<[Protocol, number, number]>>> {
    const result = new Map<number, Map<number, Array<[Protocol, number, number]>>>();
    this.forEachAllowed(
      {},
      true,
      (s, d, ports) => {
        let row = result.get(s);
        if (row === undefined) result.set(s, (row = new Map()));
        const list = row.get(d);
        if (list === undefined) row.set(d, [...ports]);
        else appendAll(list, ports);
      },
      omitDefault,
      only,
    );
    return result;
  }

  /** The matrix the CLI prints: one row and column per pod group, in workspace order. */
  groupMatrix(query: PortQuery = {}): { groups: readonly PodGroup[]; allowed: boolean[][] } {
    const rows = this.classMatrix(query);
    const groups = this.workspace.podGroups;
    // Groups of one class have one row: built once per class from its allowed classes, copied for the class's other groups.
    const groupsOfClass = this.classes.map((): number[] => []);
    groups.forEach((g, j) => groupsOfClass[this.classOf(g)]!.push(j));
    const classRows = new Map<number, boolean[]>();
    const rowOf = (s: number): boolean[] => {
      const row = new Array<boolean>(groups.length).fill(false);
      for (const d of rows[s]!.members()) for (const j of groupsOfClass[d]!) row[j] = true;
      return row;
    };
    const allowed = groups.map((g, i) => {
      const s = this.classOf(g);
      let row: boolean[];
      if (groupsOfClass[s]!.length === 1) row = rowOf(s);
      else {
        let shared = classRows.get(s);
        if (shared === undefined) classRows.set(s, (shared = rowOf(s)));
        row = shared.slice();
      }
      // A pod cannot block traffic to itself; a workload's diagonal is between its replicas.
      if (standsForOnePod(g)) row[i] = true;
      return row;
    });
    return { groups, allowed };
  }
}
