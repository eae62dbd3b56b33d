/**
 * Fast whole-workspace reachability. Pods that share namespace, labels, IPs,
 * container ports and host-network mode are indistinguishable to every policy,
 * so they form one class and are evaluated once. Selectors are evaluated once
 * per (namespace, selector) and kept as bitsets over classes; a matrix is then
 * a few bitset ORs per class and one bit test per cell.
 */
import { Bitset } from './bitset.js';
import { selectorMatches, type Labels } from './labels.js';
import type { PeerMatcher, PodGroup, PodPeer, PolicyModel, PolicyRule, Protocol } from './model.js';
import { PROTOCOLS } from './model.js';
import { resolveNamedPort } from './ports.js';
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

export interface RuleOfPolicy {
  readonly policy: PolicyModel;
  readonly rule: PolicyRule;
}

const EMPTY_LABELS: Labels = new Map();

/**
 * Whether a group is one pod, so that its traffic to itself is a pod reaching
 * itself (always allowed) rather than replicas reaching each other. A
 * DaemonSet runs one pod per node: several, whatever its replica count says.
 */
export function standsForOnePod(group: PodGroup): boolean {
  return group.kind !== 'DaemonSet' && group.replicas === 1;
}

function classKey(g: PodGroup): string {
  const labels = [...g.labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const ports = g.ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`);
  const ips = g.ips.map((ip) => ip.toString()).sort();
  return JSON.stringify([g.namespace, labels, ports, ips, g.hostNetwork]);
}

export class Reachability {
  readonly classes: PodClass[] = [];
  private readonly classOfGroup = new Map<PodGroup, number>();
  private readonly classesByNamespace = new Map<string, number[]>();
  private readonly selectorCache = new Map<string, Bitset>();
  private readonly peerCache = new Map<PeerMatcher, Bitset>();
  private readonly ruleCache = new Map<PolicyRule, Bitset>();
  private readonly policyCache = new Map<PolicyModel, Bitset>();
  private readonly isolatedIngress: Bitset;
  private readonly isolatedEgress: Bitset;
  private readonly ingressRulesOf: RuleOfPolicy[][];
  private readonly egressRulesOf: RuleOfPolicy[][];

  constructor(readonly workspace: WorkspaceModel) {
    const byKey = new Map<string, PodClass>();
    for (const g of workspace.podGroups) {
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
    const n = this.classes.length;
    this.isolatedIngress = new Bitset(n);
    this.isolatedEgress = new Bitset(n);
    this.ingressRulesOf = this.classes.map(() => []);
    this.egressRulesOf = this.classes.map(() => []);
    for (const policy of workspace.policies) {
      if (!policy.affectsIngress && !policy.affectsEgress) continue;
      for (const c of this.selectedClasses(policy).members()) {
        if (policy.affectsIngress) {
          this.isolatedIngress.add(c);
          for (const rule of policy.ingress) this.ingressRulesOf[c]!.push({ policy, rule });
        }
        if (policy.affectsEgress) {
          this.isolatedEgress.add(c);
          for (const rule of policy.egress) this.egressRulesOf[c]!.push({ policy, rule });
        }
      }
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
      set = this.selectInNamespaces([policy.namespace], policy.podSelector.key, (labels) => selectorMatches(policy.podSelector, labels));
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
        : [...this.workspace.namespaces.values()].filter((ns) => selectorMatches(peer.namespaceSelector!, ns.labels)).map((ns) => ns.name);
    const podSelector = peer.podSelector;
    return this.selectInNamespaces(namespaces, podSelector?.key ?? '{}', (labels) => podSelector === undefined || selectorMatches(podSelector, labels));
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
    return (direction === 'ingress' ? this.ingressRulesOf : this.egressRulesOf)[c]!;
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
    for (const { policy, rule } of this.ingressRulesOf[d]!) {
      if (this.rulePortAllows(rule, port, protocol, d)) allowed.orWith(this.ruleClasses(policy, rule));
    }
    return allowed;
  }

  /** Destinations class s may send to on port/protocol by its egress rules. */
  private egressDestinations(s: number, port: number, protocol: Protocol): Bitset {
    const n = this.classes.length;
    const allowed = new Bitset(n);
    for (const { policy, rule } of this.egressRulesOf[s]!) {
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

  /** Port/protocol pairs to try for "any port" at a destination class. */
  candidatePorts(d: number, protocol: Protocol | undefined): Array<[number, Protocol]> {
    const declared = this.classes[d]!.sample.ports.filter((p) => protocol === undefined || p.protocol === protocol);
    if (declared.length > 0) return declared.map((p) => [p.port, p.protocol]);
    if (this.classes[d]!.sample.ports.length > 0) return [];
    return this.representativePorts().filter(([, proto]) => protocol === undefined || proto === protocol);
  }

  private representatives: Array<[number, Protocol]> | undefined;

  /**
   * For a pod that declares no ports, "any port" must consider every port.
   * Verdicts only change at the edges of the numeric ranges policies mention,
   * so one port per elementary interval (per protocol) decides exactly.
   */
  private representativePorts(): Array<[number, Protocol]> {
    if (this.representatives !== undefined) return this.representatives;
    const edges = new Map<Protocol, Set<number>>(PROTOCOLS.map((p) => [p, new Set([1])]));
    for (const policy of this.workspace.policies) {
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const m of rule.ports ?? []) {
          if (m.kind !== 'range') continue;
          edges.get(m.protocol)!.add(m.from);
          if (m.to < 65535) edges.get(m.protocol)!.add(m.to + 1);
        }
      }
    }
    this.representatives = [];
    for (const [protocol, ports] of edges) for (const port of [...ports].sort((a, b) => a - b)) this.representatives.push([port, protocol]);
    return this.representatives;
  }

  /**
   * Visits every allowed (source class, destination class, port, protocol).
   * With a port the question is that port (TCP unless told otherwise);
   * without, any port the destination declares.
   */
  private forEachAllowed(query: PortQuery, visit: (s: number, d: number, port: number, protocol: Protocol) => void): void {
    const n = this.classes.length;
    const byPort = new Map<string, { port: number; protocol: Protocol; destinations: number[] }>();
    for (let d = 0; d < n; d++) {
      const candidates: Array<[number, Protocol]> = query.port !== undefined ? [[query.port, query.protocol ?? 'TCP']] : this.candidatePorts(d, query.protocol);
      for (const [port, protocol] of candidates) {
        const key = `${port}/${protocol}`;
        let entry = byPort.get(key);
        if (entry === undefined) byPort.set(key, (entry = { port, protocol, destinations: [] }));
        if (entry.destinations[entry.destinations.length - 1] !== d) entry.destinations.push(d);
      }
    }
    for (const { port, protocol, destinations } of byPort.values()) {
      const egress: Array<Bitset | undefined> = this.classes.map((_, s) => (this.isolatedEgress.has(s) ? this.egressDestinations(s, port, protocol) : undefined));
      for (const d of destinations) {
        const ingress = this.isolatedIngress.has(d) ? this.ingressSources(d, port, protocol) : undefined;
        for (let s = 0; s < n; s++) {
          if (ingress !== undefined && !ingress.has(s)) continue;
          const eg = egress[s];
          if (eg !== undefined && !eg.has(d)) continue;
          visit(s, d, port, protocol);
        }
      }
    }
  }

  /** Class-level matrix: row s holds the classes s can reach (see forEachAllowed). */
  classMatrix(query: PortQuery = {}): Bitset[] {
    const rows = this.classes.map(() => new Bitset(this.classes.length));
    this.forEachAllowed(query, (s, d) => rows[s]!.add(d));
    return rows;
  }

  /**
   * Every allowed connection between classes with the candidate ports it is
   * allowed on: source class → destination class → [port, protocol][].
   */
  classConnections(): Map<number, Map<number, Array<[number, Protocol]>>> {
    const result = new Map<number, Map<number, Array<[number, Protocol]>>>();
    this.forEachAllowed({}, (s, d, port, protocol) => {
      let row = result.get(s);
      if (row === undefined) result.set(s, (row = new Map()));
      const ports = row.get(d);
      if (ports === undefined) row.set(d, [[port, protocol]]);
      else ports.push([port, protocol]);
    });
    return result;
  }

  /**
   * For a port that candidatePorts chose to stand for a range (a destination
   * that declares no ports), the range it stands for; [port, port] otherwise.
   */
  representedRange(d: number, port: number, protocol: Protocol): [number, number] {
    if (this.classes[d]!.sample.ports.length > 0) return [port, port];
    const reps = this.representativePorts().filter(([, p]) => p === protocol).map(([n]) => n);
    const next = reps.find((n) => n > port);
    return [port, next === undefined ? 65535 : next - 1];
  }

  /** The rules that allow class s to reach class d on port/protocol, per side; empty on a side that is not isolated. */
  allowingRules(s: number, d: number, port: number, protocol: Protocol): { ingress: RuleOfPolicy[]; egress: RuleOfPolicy[] } {
    const admits = (list: RuleOfPolicy[], peer: number) =>
      list.filter(({ policy, rule }) => this.ruleClasses(policy, rule).has(peer) && this.rulePortAllows(rule, port, protocol, d));
    return {
      ingress: this.isolatedIngress.has(d) ? admits(this.ingressRulesOf[d]!, s) : [],
      egress: this.isolatedEgress.has(s) ? admits(this.egressRulesOf[s]!, d) : [],
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
