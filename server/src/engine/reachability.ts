/**
 * Fast whole-workspace reachability. Pods that share namespace, labels, IPs,
 * container ports and host-network mode are indistinguishable to every policy,
 * so they form one class and are evaluated once. Selectors are evaluated once
 * per (namespace, selector) and kept as bitsets over classes; a matrix is then
 * a few bitset ORs per class and one bit test per cell.
 */
import { appendAll } from './findingCap.js';
import { Bitset } from './bitset.js';
import { selectorMatches, type Labels, type Selector } from './labels.js';
import type { PeerMatcher, PodGroup, PodPeer, PolicyModel, PolicyRule, Protocol } from './model.js';
import { resolveNamedPort } from './ports.js';
import { EMPTY_LINE, intersectLines, subtractLines, lineOf, lineRanges, ruleLineAtPortless, unionLines, wholeLine, type PortLine } from './portRanges.js';
import type { WorkspaceModel } from './workspace.js';
import { ClassRuleTable, type ClassRules, type RuleOfPolicy } from './classRules.js';

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

/**
 * Whether a group is one pod, so that its traffic to itself is a pod reaching
 * itself (always allowed) rather than replicas reaching each other. A
 * DaemonSet runs one pod per node: several, whatever its replica count says.
 */
export function standsForOnePod(group: PodGroup): boolean {
  return group.kind !== 'DaemonSet' && group.replicas === 1;
}

/** Pairs to visit: those into some destinations, or from some sources. */
interface PairFilter {
  readonly destinations?: Bitset;
  readonly sources?: Bitset;
}

type ConnectionVisit = (s: number, d: number, ports: ReadonlyArray<[Protocol, number, number]>) => void;

function classKey(g: PodGroup): string {
  const labels = [...g.labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const ports = g.ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`);
  const ips = g.ips.map((ip) => ip.toString()).sort();
  return JSON.stringify([g.namespace, labels, ports, ips, g.hostNetwork]);
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
  private readonly classRules: ClassRuleTable;

  /**
   * `previous`: the reachability of the workspace before an edit that left
   * every pod group and namespace as it was (the same objects). Its classes
   * and selector sets still hold, and so do the sets of the policies that
   * are still there; only the classes an added or removed policy selects
   * get their rules and isolation worked out again.
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
      this.withIPs = previous.withIPs;
      this.peerCache = previous.peerCache;
      this.ruleCache = previous.ruleCache;
      this.policyCache = previous.policyCache;
      this.portlessLines = previous.portlessLines;
    }
    const n = this.classes.length;
    const selected = (policy: PolicyModel) => this.selectedClasses(policy);
    this.classRules = new ClassRuleTable(
      workspace.policies,
      n,
      selected,
      previous && { table: previous.classRules, policies: previous.workspace.policies, selectedClasses: (policy) => previous.selectedClasses(policy) },
    );
  }

  private get isolatedIngress(): Bitset {
    return this.classRules.isolatedIngress;
  }

  private get isolatedEgress(): Bitset {
    return this.classRules.isolatedEgress;
  }

  /** The policies deciding class c and their rules: the same object as in the last analysis while none of them changed. */
  rulesOfClass(c: number): ClassRules {
    return this.classRules.byClass[c]!;
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
      set = this.selectInNamespaces(namespaces, policy.podSelector.key, (labels) => selectorMatches(policy.podSelector, labels));
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
          this.classesWithIPs().filter((c) => c.sample.ips.some((ip) => ip.family === peer.addresses.family && peer.addresses.contains(ip))).map((c) => c.index),
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
    const podSelector = peer.podSelector;
    return this.selectInNamespaces(namespaces, podSelector?.key ?? '{}', (labels) => podSelector === undefined || selectorMatches(podSelector, labels));
  }

  private namespacesMatching(selector: Selector): string[] {
    return [...this.workspace.namespaces.values()].filter((ns) => selectorMatches(selector, ns.labels)).map((ns) => ns.name);
  }

  private selectInNamespaces(namespaces: string[], selectorKey: string, matches: (labels: Labels) => boolean): Bitset {
    const result = new Bitset(this.classes.length);
    for (const ns of namespaces) {
      const cacheKey = `${ns}\u0000${selectorKey}`;
      let set = this.selectorCache.get(cacheKey);
      if (set === undefined) {
        set = new Bitset(this.classes.length);
        for (const c of this.classesByNamespace.get(ns) ?? []) {
          const sample = this.classes[c]!.sample;
          if (!sample.hostNetwork && matches(sample.labels)) set.add(c);
        }
        this.selectorCache.set(cacheKey, set);
      }
      result.orWith(set);
    }
    return result;
  }

  /** Classes a rule's peers admit (all classes when from/to is empty). */
  ruleClasses(policy: PolicyModel, rule: PolicyRule): Bitset {
    let set = this.ruleCache.get(rule);
    if (set === undefined) {
      if (rule.peers === undefined) set = Bitset.full(this.classes.length);
      else {
        set = new Bitset(this.classes.length);
        for (const peer of rule.peers) set.orWith(this.peerClasses(policy, peer));
      }
      this.ruleCache.set(rule, set);
    }
    return set;
  }

  /** The rules, of every policy selecting class c, that apply in a direction. */
  rulesFor(c: number, direction: 'ingress' | 'egress'): ReadonlyArray<{ readonly policy: PolicyModel; readonly rule: PolicyRule }> {
    return this.classRules.byClass[c]![direction];
  }

  isIsolated(c: number, direction: 'ingress' | 'egress'): boolean {
    return (direction === 'ingress' ? this.isolatedIngress : this.isolatedEgress).has(c);
  }

  /** Whether a rule's ports admit port/protocol at a destination class. */
  private rulePortAllows(rule: PolicyRule, port: number, protocol: Protocol, destination: number): boolean {
    if (rule.ports === undefined) return true;
    for (const m of rule.ports) {
      if (m.kind === 'invalid' || m.protocol !== protocol) continue;
      if (m.kind === 'all') return true;
      if (m.kind === 'range' && m.from <= port && port <= m.to) return true;
      if (m.kind === 'named' && resolveNamedPort(this.classes[destination]!.sample.ports, m.name, protocol)?.port === port) return true;
    }
    return false;
  }

  private ruleHasNamedPort(rule: PolicyRule): boolean {
    return rule.ports !== undefined && rule.ports.some((m) => m.kind === 'named');
  }

  /** Sources admitted into class d on port/protocol by d's ingress rules. */
  private ingressSources(d: number, port: number, protocol: Protocol): Bitset {
    const allowed = new Bitset(this.classes.length);
    for (const { policy, rule } of this.classRules.byClass[d]!.ingress) {
      if (this.rulePortAllows(rule, port, protocol, d)) allowed.orWith(this.ruleClasses(policy, rule));
    }
    return allowed;
  }

  /** Sources dropped into class d on port/protocol by d's ingress deny rules. */
  private deniedSources(d: number, port: number, protocol: Protocol): Bitset {
    const denied = new Bitset(this.classes.length);
    for (const { policy, rule } of this.classRules.byClass[d]!.ingressDeny) {
      if (this.rulePortAllows(rule, port, protocol, d)) denied.orWith(this.ruleClasses(policy, rule));
    }
    return denied;
  }

  /** Destinations class s may send to on port/protocol by its egress rules (or, given deny rules, those they drop). */
  private egressDestinations(s: number, port: number, protocol: Protocol, rules: readonly RuleOfPolicy[] = this.classRules.byClass[s]!.egress): Bitset {
    const n = this.classes.length;
    const allowed = new Bitset(n);
    for (const { policy, rule } of rules) {
      const peers = this.ruleClasses(policy, rule);
      if (!this.ruleHasNamedPort(rule)) {
        if (this.rulePortAllows(rule, port, protocol, 0)) allowed.orWith(peers);
        continue;
      }
      // A named port resolves differently per destination: test each admitted class.
      for (const d of peers.members()) if (!allowed.has(d) && this.rulePortAllows(rule, port, protocol, d)) allowed.add(d);
    }
    return allowed;
  }

  /**
   * A pair's allowed ports: [protocol, from, to], one port at a time where
   * the destination declares ports; `only` limits the pairs to some
   * destinations or some sources (a matrix brought up to date after an edit).
   */
  private forEachAllowed(query: PortQuery, withPorts: boolean, visit: ConnectionVisit, omitDefault?: (d: number) => Bitset | undefined, only: PairFilter = {}): void {
    const n = this.classes.length;
    const byPort = new Map<string, { port: number; protocol: Protocol; destinations: number[] }>();
    const portless: number[] = [];
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
    const wanted = (s: number) => only.sources === undefined || only.sources.has(s);
    const egressIsolated = [...this.isolatedEgress.members()].filter(wanted);
    const egressDenying = this.classes.map((c) => c.index).filter((s) => this.classRules.byClass[s]!.egressDeny.length > 0 && wanted(s));
    for (const { port, protocol, destinations } of byPort.values()) {
      const egress = new Map(egressIsolated.map((s) => [s, this.egressDestinations(s, port, protocol)]));
      const egressDenied = new Map(egressDenying.map((s) => [s, this.egressDestinations(s, port, protocol, this.classRules.byClass[s]!.egressDeny)]));
      const ports: Array<[Protocol, number, number]> = withPorts ? [[protocol, port, port]] : [];
      for (const d of destinations) {
        let sources = this.isolatedIngress.has(d) ? this.ingressSources(d, port, protocol) : this.openSources(d, omitDefault);
        if (only.sources !== undefined) sources = sources.and(only.sources);
        for (const s of egressIsolated) if (!egress.get(s)!.has(d)) sources.delete(s);
        // Deny wins over any allow, on both sides.
        if (this.classRules.byClass[d]!.ingressDeny.length > 0) sources.andNotWith(this.deniedSources(d, port, protocol));
        for (const s of egressDenying) if (egressDenied.get(s)!.has(d)) sources.delete(s);
        for (const s of sources.members()) visit(s, d, ports);
      }
    }
    for (const d of portless) this.visitPortless(d, query.protocol, withPorts, visit, omitDefault, only.sources);
  }

  /** Every source into a destination no policy isolates, less those the caller does not want when no policy decides. */
  private openSources(d: number, omitDefault: ((d: number) => Bitset | undefined) | undefined): Bitset {
    const sources = Bitset.full(this.classes.length);
    const omit = omitDefault?.(d);
    if (omit !== undefined) sources.andNotWith(omit);
    return sources;
  }

  private readonly portlessLines: WeakMap<PolicyRule, PortLine>;

  private lineAtPortless(rule: PolicyRule): PortLine {
    let line = this.portlessLines.get(rule);
    if (line === undefined) this.portlessLines.set(rule, (line = ruleLineAtPortless(rule)));
    return line;
  }

  /**
   * A destination that declares no ports can be reached on any port: what
   * a pair may use is the intersection of what d's ingress rules admitting
   * s allow and what s's egress rules admitting d allow, as port intervals.
   */
  private visitPortless(
    d: number,
    protocol: Protocol | undefined,
    withPorts: boolean,
    visit: ConnectionVisit,
    omitDefault: ((d: number) => Bitset | undefined) | undefined,
    onlySources: Bitset | undefined,
  ): void {
    const whole = wholeLine(protocol);
    const within = (line: PortLine) => (protocol === undefined ? line : intersectLines(line, whole));
    const ingress = this.isolatedIngress.has(d)
      ? this.classRules.byClass[d]!.ingress.map(({ policy, rule }) => ({ peers: this.ruleClasses(policy, rule), line: within(this.lineAtPortless(rule)) })).filter((r) => r.line.length > 0)
      : undefined;
    let sources: Bitset;
    if (ingress === undefined) sources = this.openSources(d, omitDefault);
    else {
      sources = new Bitset(this.classes.length);
      for (const r of ingress) sources.orWith(r.peers);
    }
    if (onlySources !== undefined) sources = sources.and(onlySources);
    for (const s of sources.members()) {
      let line = ingress === undefined ? whole : unionLines(ingress.filter((r) => r.peers.has(s)).map((r) => r.line));
      if (this.isolatedEgress.has(s)) {
        const lines = this.classRules.byClass[s]!.egress.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(d)).map(({ rule }) => this.lineAtPortless(rule));
        line = lines.length === 0 ? EMPTY_LINE : intersectLines(line, unionLines(lines));
      }
      const denied = [
        ...this.classRules.byClass[d]!.ingressDeny.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(s)),
        ...this.classRules.byClass[s]!.egressDeny.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(d)),
      ].map(({ rule }) => this.lineAtPortless(rule));
      if (denied.length > 0 && line.length > 0) line = subtractLines(line, unionLines(denied));
      if (line.length > 0) visit(s, d, withPorts ? lineRanges(line) : []);
    }
  }

  /** Class-level matrix: row s holds the classes s can reach on some candidate port. */
  classMatrix(query: PortQuery = {}): Bitset[] {
    const rows = this.classes.map(() => new Bitset(this.classes.length));
    this.forEachAllowed(query, false, (s, d) => rows[s]!.add(d));
    return rows;
  }

  /**
   * The class matrix of the reachability before an edit that kept the
   * classes (`before`, for the same query), brought up to date: only the
   * rows and columns of classes whose rules changed are worked out again.
   */
  classMatrixSince(query: PortQuery, previous: Reachability, before: readonly Bitset[]): { rows: Bitset[]; changed: Bitset } {
    if (previous.classes !== this.classes) throw new Error('classMatrixSince: the classes are not those of the previous reachability');
    const n = this.classes.length;
    const changed = Bitset.of(n, this.classes.map((c) => c.index).filter((c) => this.rulesOfClass(c) !== previous.rulesOfClass(c)));
    // Beyond a quarter of the classes, patching costs more than starting afresh.
    if (changed.count() * 4 > n) return { rows: this.classMatrix(query), changed: Bitset.full(n) };
    const rows = before.map((row, s) => {
      if (changed.has(s)) return new Bitset(n);
      const copy = new Bitset(n);
      copy.orWith(row);
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
   * isolates either side (the graph draws those per namespace).
   */
  classConnections(omitDefault?: (d: number) => Bitset | undefined): Map<number, Map<number, Array<[Protocol, number, number]>>> {
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
    );
    return result;
  }

  /**
   * The rules that allow s to reach d on some of the given ports (as
   * classConnections gives them): ordered by the first port each allows,
   * egress before ingress, each rule once.
   */
  rulesAllowingOn(s: number, d: number, ports: ReadonlyArray<readonly [Protocol, number, number]>): RuleOfPolicy[] {
    if (this.classes[d]!.sample.ports.length > 0) {
      const seen = new Set<PolicyRule>();
      const out: RuleOfPolicy[] = [];
      for (const [protocol, port] of ports) {
        const r = this.allowingRules(s, d, port, protocol);
        for (const x of [...r.egress, ...r.ingress]) {
          if (seen.has(x.rule)) continue;
          seen.add(x.rule);
          out.push(x);
        }
      }
      return out;
    }
    const allowed = unionLines(ports.map(([protocol, from, to]) => lineOf(protocol, from, to)));
    const ranked: Array<{ at: number; side: number; order: number; r: RuleOfPolicy }> = [];
    const rank = (list: readonly RuleOfPolicy[], peer: number, side: number) =>
      list.forEach((r, order) => {
        if (!this.ruleClasses(r.policy, r.rule).has(peer)) return;
        const common = intersectLines(this.lineAtPortless(r.rule), allowed);
        if (common.length > 0) ranked.push({ at: common[0]!, side, order, r });
      });
    if (this.isolatedEgress.has(s)) rank(this.classRules.byClass[s]!.egress, d, 0);
    if (this.isolatedIngress.has(d)) rank(this.classRules.byClass[d]!.ingress, s, 1);
    ranked.sort((a, b) => a.at - b.at || a.side - b.side || a.order - b.order);
    const first = new Map<PolicyRule, RuleOfPolicy>();
    for (const { r } of ranked) if (!first.has(r.rule)) first.set(r.rule, r);
    return [...first.values()];
  }

  /** The rules that allow class s to reach class d on port/protocol, per side; empty on a side that is not isolated. */
  allowingRules(s: number, d: number, port: number, protocol: Protocol): { ingress: RuleOfPolicy[]; egress: RuleOfPolicy[] } {
    const admits = (list: readonly RuleOfPolicy[], peer: number) =>
      list.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(peer) && this.rulePortAllows(rule, port, protocol, d));
    return {
      ingress: this.isolatedIngress.has(d) ? admits(this.classRules.byClass[d]!.ingress, s) : [],
      egress: this.isolatedEgress.has(s) ? admits(this.classRules.byClass[s]!.egress, d) : [],
    };
  }

  /** The matrix the CLI prints: one row and column per pod group, in workspace order. */
  groupMatrix(query: PortQuery = {}): { groups: readonly PodGroup[]; allowed: boolean[][] } {
    const rows = this.classMatrix(query);
    const groups = this.workspace.podGroups;
    const classIdx = groups.map((g) => this.classOf(g));
    // A pod cannot block traffic to itself; a workload's diagonal is between its replicas.
    const allowed = classIdx.map((s, i) => classIdx.map((d, j) => (i === j && standsForOnePod(groups[i]!)) || rows[s]!.has(d)));
    return { groups, allowed };
  }
}
