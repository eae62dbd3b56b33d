/**
 * Counts for code lenses, hovers and the status bar: who reaches a workload,
 * whom it reaches, who reaches a Service. Matrices are computed once per
 * analysis and per port, and only when first asked for; after an edit that
 * kept the pod classes, by patching the last analysis's matrices.
 */
import { Bitset } from './bitset.js';
import type { Analysis } from './index.js';
import { patchPays, type Reachability } from './reachability.js';
import { decidedInOrder } from './externalDecision.js';
import { FlowDecider } from './flowDecision.js';
import type { Direction, PodGroup, PolicyModel, PolicyRule, Protocol, ServiceModel } from './model.js';
import { serviceEndpoints } from './services.js';

export interface PodSet {
  /** Pods, replicas counted. */
  readonly pods: number;
  readonly groups: readonly PodGroup[];
}

/** A matrix as computed for one reachability, with its column view once asked for. */
interface Computed {
  readonly reach: Reachability;
  readonly rows: Bitset[];
  columns?: Bitset[];
  /** When patched from an earlier matrix: how many classes had their row and column worked out again. */
  readonly patched?: number;
}

export class ReachSummary {
  /** Matrices by query ('' for any port), computed for this analysis. */
  private readonly computed = new Map<string, Computed>();
  /** Those of earlier analyses over the same classes, to bring up to date rather than compute afresh. */
  private readonly earlier: ReadonlyMap<string, Computed>;

  /**
   * `previous`: the summary of the analysis before an edit. While the pod
   * classes are the same, its matrices are patched (the rows and columns of
   * the classes whose rules changed) instead of computed again.
   */
  constructor(
    readonly analysis: Analysis,
    previous?: ReachSummary,
  ) {
    const sameClasses = previous !== undefined && previous.reach.classes === this.reach.classes;
    this.earlier = sameClasses ? new Map([...previous.earlier, ...previous.computed]) : new Map();
    if (sameClasses) this.classPods = previous.classPods;
  }

  private get reach(): Reachability {
    return this.analysis.reachability;
  }

  private entry(port?: number, protocol?: Protocol): Computed {
    const key = port === undefined ? '' : `${port}/${protocol ?? 'TCP'}`;
    let entry = this.computed.get(key);
    if (entry === undefined) {
      const query = port === undefined ? {} : { port, protocol: protocol ?? 'TCP' };
      const before = this.earlier.get(key);
      if (before === undefined) entry = { reach: this.reach, rows: this.reach.classMatrix(query) };
      else {
        const { rows, changed } = this.reach.classMatrixSince(query, before.reach, before.rows);
        entry = { reach: this.reach, rows, patched: changed.count() };
        if (before.columns !== undefined) entry.columns = patchColumns(before.columns, rows, changed);
      }
      this.computed.set(key, entry);
    }
    return entry;
  }

  /** How the any-port matrix came about: the number of classes worked out again when patched, undefined when computed whole. */
  patchedClasses(): number | undefined {
    return this.entry().patched;
  }

  private matrix(port?: number, protocol?: Protocol): Bitset[] {
    return this.entry(port, protocol).rows;
  }

  /** Column view of the any-port matrix: who reaches each class. */
  private incoming(): Bitset[] {
    const entry = this.entry();
    return (entry.columns ??= columnsOf(entry.rows));
  }

  /** The pods of some classes, leaving out one group (a workload does not count itself). */
  podsOf(classes: Bitset, except?: PodGroup): PodSet {
    let pods = classes.weightedCount(this.podsPerClass());
    if (except !== undefined && classes.has(this.reach.classOf(except))) pods -= except.replicas;
    // Lenses want the count alone, over thousands of pods; the list is made only for those who read it.
    let groups: PodGroup[] | undefined;
    const reach = this.reach;
    return {
      pods,
      get groups() {
        return (groups ??= [...classes.members()].flatMap((c) => reach.classes[c]!.groups).filter((g) => g !== except));
      },
    };
  }

  private podsPerClass(): number[] {
    return (this.classPods ??= this.reach.classes.map((c) => c.groups.reduce((n, g) => n + g.replicas, 0)));
  }

  private classPods: number[] | undefined;

  /**
   * Pods in some classes other than one pod of `one`: a count, without listing
   * anyone (code lenses ask for thousands). A pod always reaches itself, so it
   * is never counted; the other replicas of its workload are, when the
   * policies let replicas reach one another (its class is in the set).
   */
  private countOf(set: Bitset, one: PodGroup): number {
    const n = set.weightedCount(this.podsPerClass());
    return set.has(this.reach.classOf(one)) ? n - 1 : n;
  }

  /** How many pods other than one of the group's can reach it (on some port). */
  reachableFromCount(group: PodGroup): number {
    return this.countOf(this.incoming()[this.reach.classOf(group)]!, group);
  }

  /** How many pods other than one of the group's it can reach (on some port). */
  canReachCount(group: PodGroup): number {
    return this.countOf(this.matrix()[this.reach.classOf(group)]!, group);
  }

  reachableFrom(group: PodGroup): PodSet {
    return this.podsOf(this.incoming()[this.reach.classOf(group)]!, group);
  }

  canReach(group: PodGroup): PodSet {
    return this.podsOf(this.matrix()[this.reach.classOf(group)]!, group);
  }

  selectedBy(policy: PolicyModel): PodSet {
    return this.podsOf(this.reach.selectedClasses(policy));
  }

  /** Pods that some ingress rule of the policy admits (on some port). */
  ingressAllowedFrom(policy: PolicyModel): PodSet {
    return this.decidesAlone(policy, 'ingress') ? this.admittedBy(policy, policy.ingress) : this.podsOf(this.decider().admittedBy(policy, 'ingress'));
  }

  /** Pods that some egress rule of the policy lets its pods send to (on some port). */
  egressAllowedTo(policy: PolicyModel): PodSet {
    return this.decidesAlone(policy, 'egress') ? this.admittedBy(policy, policy.egress) : this.podsOf(this.decider().admittedBy(policy, 'egress'));
  }

  private flowDecider: FlowDecider | undefined;

  private decider(): FlowDecider {
    return (this.flowDecider ??= new FlowDecider(this.reach));
  }

  /**
   * Whether the policy's allow rules admit their peers whatever else applies:
   * NetworkPolicy's union, where no ordered policy (Calico), deny rule
   * (Cilium) or cluster-wide tier has a say over the pods it selects. Elsewhere
   * an earlier Deny or Pass, or a tier above, can take peers away, and the
   * count is of the peers its own rules decide (flowDecision.ts), as the
   * matrix decides them.
   */
  private decidesAlone(policy: PolicyModel, direction: Direction): boolean {
    if (policy.place !== undefined) return false;
    for (const c of this.reach.selectedClasses(policy).members()) if (decidedInOrder(this.reach, c, direction)) return false;
    return true;
  }

  /**
   * A rule admits its peers only on a port that can match. A number or range
   * always can; a rule of named and invalid ports only where a name resolves:
   * for ingress at one of the policy's own pods, for egress at the peer.
   */
  private admittedBy(policy: PolicyModel, rules: readonly PolicyRule[]): PodSet {
    const admitted = new Bitset(this.reach.classes.length);
    for (const rule of rules) {
      const peers = this.reach.ruleClasses(policy, rule);
      if (rule.ports === undefined || rule.ports.some((m) => m.kind === 'all' || m.kind === 'range')) admitted.orWith(peers);
      else if (rule.direction === 'egress') {
        for (const d of peers.members()) if (this.reach.ruleAdmitsSomePortAt(rule, d)) admitted.add(d);
      } else if ([...this.reach.selectedClasses(policy).members()].some((d) => this.reach.ruleAdmitsSomePortAt(rule, d))) admitted.orWith(peers);
    }
    return this.podsOf(admitted);
  }

  /** Pods that reach at least one endpoint of the Service on one of its target ports. */
  serviceReachableFrom(service: ServiceModel): PodSet {
    const sources = new Bitset(this.reach.classes.length);
    for (const endpoint of serviceEndpoints(service, this.analysis.workspace.podGroups)) {
      const d = this.reach.classOf(endpoint.group);
      for (const p of endpoint.ports) {
        if (p.containerPort === undefined) continue;
        const rows = this.matrix(p.containerPort, p.servicePort.protocol);
        for (let s = 0; s < rows.length; s++) if (rows[s]!.has(d)) sources.add(s);
      }
    }
    return this.podsOf(sources);
  }

  policiesSelecting(group: PodGroup): { ingress: PolicyModel[]; egress: PolicyModel[] } {
    const c = this.reach.classOf(group);
    const ws = this.analysis.workspace;
    const selecting = ws.policies.filter((p) => this.reach.selectedClasses(p).has(c));
    return { ingress: selecting.filter((p) => p.affectsIngress), egress: selecting.filter((p) => p.affectsEgress) };
  }
}

function columnsOf(rows: readonly Bitset[]): Bitset[] {
  const n = rows.length;
  const columns = rows.map(() => new Bitset(n));
  rows.forEach((row, s) => {
    for (const d of row.members()) columns[d]!.add(s);
  });
  return columns;
}

/** The column view of a patched matrix: the changed classes' columns afresh, their bit in every other column set again. */
function patchColumns(before: readonly Bitset[], rows: readonly Bitset[], changed: Bitset): Bitset[] {
  const n = rows.length;
  if (!patchPays(changed)) return columnsOf(rows);
  const columns = before.map((column, d) => {
    const copy = new Bitset(n);
    if (!changed.has(d)) copy.orWith(column);
    return copy;
  });
  const changedClasses = [...changed.members()];
  for (const c of changedClasses) for (let s = 0; s < n; s++) if (rows[s]!.has(c)) columns[c]!.add(s);
  for (const s of changedClasses) {
    for (let d = 0; d < n; d++) {
      if (rows[s]!.has(d)) columns[d]!.add(s);
      else columns[d]!.delete(s);
    }
  }
  return columns;
}
