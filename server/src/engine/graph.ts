/**
 * The reachability graph: what the graph panel draws, computed here so the
 * webview only lays it out. Workloads grouped in namespaces, external address
 * blocks that policies name, and "anywhere" for rules that admit every peer;
 * flows aggregated per workload pair with the ports they are allowed on and
 * the rules that allow them.
 */
import { Bitset } from './bitset.js';
import { describePort } from './describe.js';
import { decidedInOrder, describeAddresses, ExternalDecider } from './externalDecision.js';
import { DEFAULT_FLOW, FlowDecider, type FlowDecision } from './flowDecision.js';
import { PROTOCOLS, type Direction, type IPBlockPeer, type PodGroup, type PolicyModel, type PolicyRule, type Protocol, type ServiceModel } from './model.js';
import { resolveNamedMatcher } from './ports.js';
import { patchPays, type Reachability, type RuleOfPolicy } from './reachability.js';
import { serviceEndpoints } from './services.js';
import type { SourceSpan } from './source.js';

export interface GraphNamespace {
  readonly id: string;
  readonly name: string;
  readonly span: SourceSpan | undefined;
}

export interface GraphWorkload {
  readonly id: string;
  /** The id of its namespace's box. */
  readonly namespaceId: string;
  readonly group: PodGroup;
  readonly isolatedIngress: boolean;
  readonly isolatedEgress: boolean;
  /** Policies whose podSelector picks this workload. */
  readonly policies: readonly PolicyModel[];
  /** Services this workload is an endpoint of. */
  readonly services: readonly ServiceModel[];
}

export interface GraphExternal {
  readonly id: string;
  readonly kind: 'cidr' | 'any';
  readonly label: string;
}

export interface GraphFlow {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** "TCP 8080", "UDP 53", "TCP 1-65535", "any port". */
  readonly ports: readonly string[];
  /**
   * True when a policy rule decides it at one end on some port; false for
   * traffic the default allow lets through at both ends: no policy has a say,
   * or every tier that has one passes it on.
   */
  readonly explicit: boolean;
  /** The rules that decided to let it through (flowDecision.ts): a tier's rule, a Calico policy's first match, or NetworkPolicy's allows. */
  readonly rules: readonly RuleOfPolicy[];
  /** The ends where the default allow decided, on some of the ports (absent: neither). */
  readonly byDefault?: readonly Direction[];
  /** Application-layer filters of the rules that let it through: decided at L4, filtered further by the CNI. */
  readonly l7?: readonly string[];
  /** Set on flows that stand for every workload pair between two namespaces. */
  readonly aggregated?: boolean;
  /**
   * Set on explicit flows that rules admitting every peer allow, on every
   * port and at both ends (or an end no policy isolates): "open to all
   * ingress", "egress anywhere". The graph shows those as badges on the
   * nodes rather than as one edge from every pod.
   */
  readonly allowAll?: boolean;
}

export interface ReachabilityGraph {
  readonly namespaces: readonly GraphNamespace[];
  readonly workloads: readonly GraphWorkload[];
  readonly externals: readonly GraphExternal[];
  readonly flows: readonly GraphFlow[];
}

export const ANY_NODE_ID = 'any';

/** The id a namespace box would like; UniqueIds hands out the real one. */
const namespaceNodeId = (name: string): string => `ns:${name}`;
/**
 * The id a workload would like: kind is part of it, since a Deployment and a
 * StatefulSet may share a name. Not unique on its own (the same Deployment
 * declared in two files, names that contain `/`): UniqueIds settles that.
 */
const workloadIdWanted = (g: PodGroup): string => `w:${g.kind}:${g.id}`;

/**
 * Hands out ids that are distinct by construction. The webview (cytoscape)
 * refuses a graph in which two elements, node or edge, share an id, and
 * names come from the workspace: they may repeat, or contain `->`, `/`, `#`.
 * An id already taken gets the first free `#2`, `#3`… suffix, so the first
 * claimant keeps the readable id and every later one still gets its own.
 */
class UniqueIds {
  private readonly taken = new Set<string>();
  /** The last suffix tried per wanted id: many copies of one name stay linear. */
  private readonly lastSuffix = new Map<string, number>();

  take(wanted: string): string {
    let id = wanted;
    let n = this.lastSuffix.get(wanted) ?? 1;
    while (this.taken.has(id)) id = `${wanted}#${++n}`;
    if (n > 1) this.lastSuffix.set(wanted, n);
    this.taken.add(id);
    return id;
  }
}

/** Sorted, deduplicated port labels; a protocol's whole range reads as "all TCP ports". */
function portLabels(ranges: Array<[Protocol, number, number]>): string[] {
  const byProtocol = new Map<Protocol, Array<[number, number]>>();
  for (const [protocol, from, to] of ranges) {
    const list = byProtocol.get(protocol) ?? [];
    list.push([from, to]);
    byProtocol.set(protocol, list);
  }
  const labels: string[] = [];
  const whole = (list: Array<[number, number]> | undefined) => list !== undefined && mergedCovers(list);
  if (PROTOCOLS.every((p) => whole(byProtocol.get(p)))) return ['any port'];
  for (const [protocol, list] of [...byProtocol].sort((a, b) => a[0].localeCompare(b[0]))) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [from, to] of list) {
      const last = merged[merged.length - 1];
      if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    for (const [from, to] of merged) {
      labels.push(from === 1 && to === 65535 ? `all ${protocol} ports` : from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`);
    }
  }
  return labels;
}

/** Whether ranges together cover 1-65535. */
function mergedCovers(list: Array<[number, number]>): boolean {
  let next = 1;
  for (const [from, to] of [...list].sort((a, b) => a[0] - b[0])) {
    if (from > next) return false;
    next = Math.max(next, to + 1);
  }
  return next > 65535;
}

/** The ports a rule admits at one destination, for flows to and from external peers. */
function rulePortLabels(rule: PolicyRule, destination: PodGroup | undefined): string[] {
  if (rule.ports === undefined) return ['any port'];
  return rule.ports.map((m) => {
    if (m.kind === 'named' && destination !== undefined) {
      const resolved = resolveNamedMatcher(destination.ports, m, m.protocol);
      if (resolved !== undefined) return `${m.protocol} ${resolved.port} (${m.name})`;
    }
    return describePort(m);
  });
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

interface FlowBeingBuilt {
  source: string;
  target: string;
  /** Arrays, not sets: a flow has a few ports and filters, and a graph has up to a few hundred thousand flows. */
  ports: string[];
  explicit: boolean;
  allowAll: boolean;
  /** By rule: an aggregated flow is given the rules of every pair it stands for, mostly the same ones. */
  rules: Map<PolicyRule, RuleOfPolicy> | undefined;
  egressByDefault: boolean;
  ingressByDefault: boolean;
  l7: string[] | undefined;
  aggregated?: boolean;
}

/** What a flow says besides ports and rules: where the default decided, which L7 filters apply. */
interface FlowNotes {
  readonly byDefault?: readonly Direction[];
  readonly l7?: readonly string[];
}

function addEach<T>(list: T[], values: Iterable<T>): void {
  for (const v of values) if (!list.includes(v)) list.push(v);
}

class FlowSet {
  /** Source id, then target id: no separator that a name could contain. */
  private readonly bySource = new Map<string, Map<string, FlowBeingBuilt>>();

  add(source: string, target: string, ports: Iterable<string>, explicit: boolean, rules: Iterable<RuleOfPolicy>, aggregated = false, allowAll = false, notes: FlowNotes = {}): void {
    let row = this.bySource.get(source);
    if (row === undefined) this.bySource.set(source, (row = new Map()));
    let flow = row.get(target);
    if (flow === undefined) row.set(target, (flow = { source, target, ports: [], explicit, allowAll, rules: undefined, egressByDefault: false, ingressByDefault: false, l7: undefined, ...(aggregated ? { aggregated } : {}) }));
    addEach(flow.ports, ports);
    flow.explicit ||= explicit;
    flow.allowAll &&= allowAll;
    for (const r of rules) (flow.rules ??= new Map()).set(r.rule, r);
    for (const d of notes.byDefault ?? []) {
      if (d === 'egress') flow.egressByDefault = true;
      else flow.ingressByDefault = true;
    }
    if (notes.l7 !== undefined && notes.l7.length > 0) addEach((flow.l7 ??= []), notes.l7);
  }

  /** Edge ids come from the same UniqueIds as the node ids: cytoscape wants them distinct from those too. */
  toArray(ids: UniqueIds): GraphFlow[] {
    const out: GraphFlow[] = [];
    for (const row of this.bySource.values()) {
      for (const f of row.values()) {
        const byDefault = f.egressByDefault ? (f.ingressByDefault ? BOTH_ENDS : EGRESS_END) : f.ingressByDefault ? INGRESS_END : undefined;
        out.push({
          id: ids.take(`${f.source}->${f.target}`),
          source: f.source,
          target: f.target,
          ports: f.ports,
          explicit: f.explicit,
          rules: f.rules === undefined ? NO_RULES : [...f.rules.values()],
          ...(byDefault !== undefined ? { byDefault } : {}),
          ...(f.l7 !== undefined ? { l7: f.l7.sort() } : {}),
          ...(f.aggregated ? { aggregated: true } : {}),
          ...(f.explicit && f.allowAll ? { allowAll: true } : {}),
        });
      }
    }
    return out;
  }
}

/** Shared by every flow that names them: graph data is read, never changed. */
const BOTH_ENDS: readonly Direction[] = ['egress', 'ingress'];
const EGRESS_END: readonly Direction[] = ['egress'];
const INGRESS_END: readonly Direction[] = ['ingress'];
const NO_RULES: readonly RuleOfPolicy[] = [];

interface PairFlow {
  readonly labels: string[];
  readonly explicit: boolean;
  readonly rules: RuleOfPolicy[];
  readonly allowAll: boolean;
  readonly notes: FlowNotes;
  /** Flows with equal keys can be drawn as one. */
  readonly key: string;
}

/** The common flow of all the given pairs, when they all exist and agree. */
function common(list: Array<PairFlow | undefined>): PairFlow | undefined {
  const first = list[0];
  if (first === undefined || list.length < 2) return undefined;
  return list.every((f) => f !== undefined && f.key === first.key) ? first : undefined;
}

/**
 * Draws pair flows as few edges as exactly possible: when every workload of a
 * namespace reaches a workload the same way, one edge from the namespace;
 * likewise into a namespace; and namespace to namespace when both hold.
 * Policies that admit whole namespaces make this the common case, and it
 * keeps big graphs drawable.
 */
function aggregateFlows(pairs: Map<number, Map<number, PairFlow>>, members: Map<string, number[]>, workloads: readonly GraphWorkload[], namespaceId: (name: string) => string, flows: FlowSet): void {
  const union = (list: PairFlow[]) => list.flatMap((f) => f.rules);
  // A whole source namespace into one workload.
  const fromNamespace = new Map<string, Map<number, PairFlow[]>>();
  const namespaceOf = (i: number) => workloads[i]!.group.namespace;
  // Only a workload that every member of a namespace flows into can take the namespace's edge.
  const inflow = new Map<string, Map<number, number>>();
  for (const [i, row] of pairs) {
    const counts = inflow.get(namespaceOf(i)) ?? new Map<number, number>();
    inflow.set(namespaceOf(i), counts);
    for (const j of row.keys()) counts.set(j, (counts.get(j) ?? 0) + 1);
  }
  for (const [ns, sources] of members) {
    const full = [...(inflow.get(ns) ?? [])].filter(([, count]) => count === sources.length).map(([j]) => j);
    for (const j of full.sort((x, y) => x - y)) {
      // An edge from a namespace box to a workload inside it reads badly: those stay per pair.
      if (namespaceOf(j) === ns) continue;
      const flowsIn = sources.map((i) => pairs.get(i)?.get(j));
      if (common(flowsIn) === undefined) continue;
      let row = fromNamespace.get(ns);
      if (row === undefined) fromNamespace.set(ns, (row = new Map()));
      row.set(j, flowsIn as PairFlow[]);
      for (const i of sources) pairs.get(i)!.delete(j);
    }
  }
  // ...and into every workload of a destination namespace: namespace to namespace.
  for (const [a, row] of fromNamespace) {
    for (const [b, targets] of members) {
      const shared = a !== b && targets.length >= 2 && targets.every((j) => row.has(j)) ? common(targets.map((j) => row.get(j)![0])) : undefined;
      if (shared === undefined) continue;
      flows.add(namespaceId(a), namespaceId(b), shared.labels, shared.explicit, targets.flatMap((j) => union(row.get(j)!)), true, shared.allowAll, shared.notes);
      for (const j of targets) row.delete(j);
    }
    for (const [j, list] of row) flows.add(namespaceId(a), workloads[j]!.id, list[0]!.labels, list[0]!.explicit, union(list), true, list[0]!.allowAll, list[0]!.notes);
  }
  // One workload into a whole destination namespace.
  const namespaceOrder = new Map([...members.keys()].map((ns, k) => [ns, k]));
  for (const [i, row] of pairs) {
    const outflow = new Map<string, number>();
    for (const j of row.keys()) outflow.set(namespaceOf(j), (outflow.get(namespaceOf(j)) ?? 0) + 1);
    const full = [...outflow].filter(([ns, count]) => count === members.get(ns)!.length && ns !== namespaceOf(i)).map(([ns]) => ns);
    for (const ns of full.sort((x, y) => namespaceOrder.get(x)! - namespaceOrder.get(y)!)) {
      const targets = members.get(ns)!;
      const flowsOut = targets.map((j) => row.get(j));
      const shared = common(flowsOut);
      if (shared === undefined) continue;
      flows.add(workloads[i]!.id, namespaceId(ns), shared.labels, shared.explicit, union(flowsOut as PairFlow[]), true, shared.allowAll, shared.notes);
      for (const j of targets) row.delete(j);
    }
    for (const [j, flow] of row) flows.add(workloads[i]!.id, workloads[j]!.id, flow.labels, flow.explicit, flow.rules, false, flow.allowAll, flow.notes);
  }
}

/**
 * What one graph keeps for the next, as lenses keep their matrices
 * (classMatrixSince): the flow decided between each pair of pod classes, and
 * the default-allowed sources left to namespace edges per destination
 * namespace. After an edit that kept the classes, a pair is decided again
 * only where one of its classes' ClassRules changed, or where the sources left
 * to namespace edges changed at its destination; everything else is the
 * flow decided last time. Drawing the workload pairs and aggregating them
 * stays whole: that is where the graph's own shape comes from.
 */
export class GraphMemo {
  private reach: Reachability | undefined;
  private classFlows = new Map<number, Map<number, PairFlow>>();
  private omitted = new Map<string, Bitset>();
  /** How many classes had their pairs decided again by the last build (all of them when it started afresh). */
  lastDecided = 0;

  /** The class pairs to decide again, and the flows kept from the last build for all others. */
  start(reach: Reachability, omitted: Map<string, Bitset>): { kept: Map<number, Map<number, PairFlow>>; sources?: Bitset; destinations?: Bitset } {
    const previous = this.reach;
    const changed = previous === undefined ? undefined : reach.classesChangedSince(previous);
    const n = reach.classes.length;
    if (changed === undefined || !patchPays(changed)) {
      this.lastDecided = n;
      return { kept: new Map() };
    }
    // Where the sources drawn by namespace edges changed, every pair into that namespace is decided again.
    const moved = new Set<string>();
    for (const ns of new Set([...this.omitted.keys(), ...omitted.keys()])) {
      const before = this.omitted.get(ns);
      const now = omitted.get(ns);
      if (before === undefined || now === undefined || !before.equals(now)) moved.add(ns);
    }
    const destinations = changed.copy();
    if (moved.size > 0) for (const c of reach.classes) if (moved.has(c.sample.namespace)) destinations.add(c.index);
    const kept = new Map<number, Map<number, PairFlow>>();
    for (const [s, row] of this.classFlows) {
      if (changed.has(s)) continue;
      const copy = new Map<number, PairFlow>();
      for (const [d, flow] of row) if (!destinations.has(d)) copy.set(d, flow);
      if (copy.size > 0) kept.set(s, copy);
    }
    this.lastDecided = destinations.or(changed).count();
    return { kept, sources: changed, destinations };
  }

  keep(reach: Reachability, classFlows: Map<number, Map<number, PairFlow>>, omitted: Map<string, Bitset>): void {
    this.reach = reach;
    this.classFlows = classFlows;
    this.omitted = omitted;
  }
}

/** The flow between two classes, from what classConnections found allowed between them. */
function pairFlow(reach: Reachability, decider: FlowDecider, s: number, d: number, ports: Array<[Protocol, number, number]>): PairFlow {
  // The tiers and ordered policies decide per port: what decided is asked of the one side decision, for pairs a policy has a say over.
  const decision: FlowDecision = reach.isGoverned(s, 'egress') || reach.isGoverned(d, 'ingress') ? decider.flow(s, d, ports) : DEFAULT_FLOW;
  const explicit = decision.ruleDecided;
  const labels = portLabels(ports);
  // An end is open where the default decided or a rule admitting every peer did, on every port.
  const allowAll = explicit && decision.openAtBothEnds;
  const notes = { byDefault: decision.byDefault, l7: decision.l7 };
  const key = [explicit, allowAll, decision.byDefault.join(','), decision.l7.join(','), ...labels].join('\u0000');
  return { labels, explicit, rules: [...decision.rules], allowAll, notes, key };
}

/** `memo`: kept from the graph of the workspace before an edit (GraphMemo); without it the graph is worked out whole. */
export function buildGraph(reach: Reachability, memo?: GraphMemo): ReachabilityGraph {
  const ws = reach.workspace;
  const groups = ws.podGroups;
  const classOf = groups.map((g) => reach.classOf(g));

  const groupsOfClass = new Map<number, number[]>();
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    pushTo(groupsOfClass, classOf[i]!, i);
    pushTo(members, g.namespace, i);
  });

  // From each policy's selected classes to their groups: a pass per policy over every group would be policies × groups.
  const selecting = new Map<PodGroup, PolicyModel[]>();
  for (const policy of ws.policies) {
    for (const c of reach.selectedClasses(policy).members()) for (const i of groupsOfClass.get(c) ?? []) pushTo(selecting, groups[i]!, policy);
  }
  const backing = new Map<PodGroup, ServiceModel[]>();
  for (const service of ws.services) {
    for (const e of serviceEndpoints(service, groups)) {
      const list = backing.get(e.group) ?? [];
      if (!list.includes(service)) list.push(service);
      backing.set(e.group, list);
    }
  }

  const ids = new UniqueIds();
  const groupNamespaces = new Set(groups.map((g) => g.namespace));
  const namespaceNames = [...new Set([...ws.namespaces.keys(), ...groupNamespaces])].filter((name) => groupNamespaces.has(name));
  const namespaces: GraphNamespace[] = namespaceNames.map((name) => ({ id: ids.take(namespaceNodeId(name)), name, span: ws.namespaces.get(name)?.span }));
  const namespaceIds = new Map(namespaces.map((ns) => [ns.name, ns.id]));
  const namespaceId = (name: string): string => namespaceIds.get(name)!;
  const workloads: GraphWorkload[] = groups.map((g, i) => ({
    id: ids.take(workloadIdWanted(g)),
    namespaceId: namespaceId(g.namespace),
    group: g,
    isolatedIngress: reach.isIsolated(classOf[i]!, 'ingress'),
    isolatedEgress: reach.isIsolated(classOf[i]!, 'egress'),
    policies: selecting.get(g) ?? [],
    services: backing.get(g) ?? [],
  }));


  const flows = new FlowSet();

  // Default-allow flows between namespaces where every source pod is open for
  // egress and every destination pod open for ingress are drawn once, between
  // the namespaces, instead of once per workload pair.
  const closed = { ingress: new Set<string>(), egress: new Set<string>() };
  workloads.forEach((w, i) => {
    if (reach.isGoverned(classOf[i]!, 'ingress')) closed.ingress.add(w.group.namespace);
    if (reach.isGoverned(classOf[i]!, 'egress')) closed.egress.add(w.group.namespace);
  });
  const aggregatedPair = (from: string, to: string) => !closed.egress.has(from) && !closed.ingress.has(to) && (from !== to || (members.get(from)?.length ?? 0) > 1);
  for (const a of namespaceNames) for (const b of namespaceNames) if (aggregatedPair(a, b)) flows.add(namespaceId(a), namespaceId(b), ['any port'], false, [], true, false, DEFAULT_FLOW);

  // Sources whose default-allowed traffic into a namespace is drawn by those
  // namespace edges: left out of the pair computation, not computed and dropped.
  const openSources = new Map<string, Bitset>();
  const drawnByNamespace = (d: number): Bitset => {
    const to = reach.classes[d]!.sample.namespace;
    let set = openSources.get(to);
    if (set === undefined) {
      set = new Bitset(reach.classes.length);
      for (const c of reach.classes) if (!reach.isGoverned(c.index, 'egress') && aggregatedPair(c.sample.namespace, to)) set.add(c.index);
      openSources.set(to, set);
    }
    return set;
  };

  // Every other allowed workload pair, decided once per class pair (again only where the memo cannot vouch for the last decision).
  // The memo compares them per namespace with the last graph's: worked out for every destination namespace first.
  for (const c of reach.classes) drawnByNamespace(c.index);
  const omitted = openSources;
  const plan = memo?.start(reach, omitted) ?? { kept: new Map<number, Map<number, PairFlow>>() };
  const classFlows = plan.kept;
  const decider = new FlowDecider(reach);
  const decide = (connections: Map<number, Map<number, Array<[Protocol, number, number]>>>) => {
    for (const [s, row] of connections) {
      let flows = classFlows.get(s);
      if (flows === undefined) classFlows.set(s, (flows = new Map()));
      for (const [d, ports] of row) flows.set(d, pairFlow(reach, decider, s, d, ports));
    }
  };
  if (plan.destinations === undefined) decide(reach.classConnections(drawnByNamespace));
  else {
    // Into the destinations to decide again from every source, then from the changed sources into the rest: each pair once.
    decide(reach.classConnections(drawnByNamespace, { destinations: plan.destinations }));
    const rest = Bitset.full(reach.classes.length);
    rest.andNotWith(plan.destinations);
    if (!plan.sources!.isEmpty) decide(reach.classConnections(drawnByNamespace, { sources: plan.sources!, destinations: rest }));
  }
  memo?.keep(reach, classFlows, omitted);

  // In class order, so that a graph patched from the memo lists its flows as a fresh one does.
  const pairs = new Map<number, Map<number, PairFlow>>();
  const ascending = (a: number, b: number) => a - b;
  for (const s of [...classFlows.keys()].sort(ascending)) {
    const row = classFlows.get(s)!;
    for (const d of [...row.keys()].sort(ascending)) {
      const flow = row.get(d)!;
      const explicit = flow.explicit;
      for (const i of groupsOfClass.get(s) ?? []) {
        for (const j of groupsOfClass.get(d) ?? []) {
          if (i === j || (!explicit && aggregatedPair(groups[i]!.namespace, groups[j]!.namespace))) continue;
          let row = pairs.get(i);
          if (row === undefined) pairs.set(i, (row = new Map()));
          row.set(j, flow);
        }
      }
    }
  }
  aggregateFlows(pairs, members, workloads, namespaceId, flows);
  // Rules that name address blocks, or admit every peer, reach outside the workspace.
  // Keyed by what they stand for; ids from UniqueIds when first met.
  const externals = new Map<string, GraphExternal>();
  const external = (key: string, kind: GraphExternal['kind'], label: string): GraphExternal => {
    let node = externals.get(key);
    if (node === undefined) externals.set(key, (node = { id: ids.take(kind === 'any' ? ANY_NODE_ID : `cidr:${label}`), kind, label }));
    return node;
  };
  const blockNode = (peer: IPBlockPeer): GraphExternal => {
    // Drawn as applied: host bits cleared (a finding reports them elsewhere).
    const cidr = peer.cidr.canonical().toString();
    const label = peer.except.length === 0 ? cidr : `${cidr} except ${peer.except.map((e) => e.canonical().toString()).join(', ')}`;
    return external(label, 'cidr', label);
  };
  const externalsOf = (rule: PolicyRule): GraphExternal[] =>
    rule.peers === undefined ? [external('', 'any', 'anywhere')] : rule.peers.flatMap((peer) => (peer.kind === 'ipBlock' ? [blockNode(peer)] : []));
  const outside = new ExternalDecider(reach);
  // Where tiers, ordered policies or deny rules decide, a rule's block is drawn as what of it they let through.
  const decidedExternalsOf = (c: number, direction: 'ingress' | 'egress', rule: PolicyRule): GraphExternal[] =>
    outside.peersAllowed(c, direction, rule).map((allowed) => {
      if (allowed.whole) return allowed.peer === undefined ? external('', 'any', 'anywhere') : blockNode(allowed.peer);
      const label = describeAddresses(allowed.addresses).join(', ');
      return external(label, 'cidr', label);
    });
  for (const w of workloads) {
    if (w.group.hostNetwork) continue;
    const c = reach.classOf(w.group);
    for (const direction of ['ingress', 'egress'] as const) {
      const decided = decidedInOrder(reach, c, direction);
      for (const r of decided ? outside.candidateRules(c, direction) : reach.rulesFor(c, direction)) {
        for (const peer of decided ? decidedExternalsOf(c, direction, r.rule) : externalsOf(r.rule)) {
          // Egress rules' named ports resolve on the unknown destination: only numbers are known there.
          const labels = rulePortLabels(r.rule, direction === 'ingress' ? w.group : undefined);
          const allowAll = peer.kind === 'any';
          const notes = { l7: r.rule.l7 ?? [] };
          if (direction === 'ingress') flows.add(peer.id, w.id, labels, true, [r], false, allowAll, notes);
          else flows.add(w.id, peer.id, labels, true, [r], false, allowAll, notes);
        }
      }
    }
  }

  return { namespaces, workloads, externals: [...externals.values()], flows: flows.toArray(ids) };
}
