/**
 * Counts for code lenses, hovers and the status bar: who reaches a workload,
 * whom it reaches, who reaches a Service. Matrices are computed once per
 * analysis and per port, and only when first asked for.
 */
import { Bitset } from './bitset.js';
import type { Analysis } from './index.js';
import { decidedInOrder } from './externalDecision.js';
import { FlowDecider } from './flowDecision.js';
import type { Direction, PodGroup, PolicyModel, PolicyRule, Protocol, ServiceModel } from './model.js';
import { serviceEndpoints } from './services.js';

export interface PodSet {
  /** Pods, replicas counted. */
  readonly pods: number;
  readonly groups: readonly PodGroup[];
}

export class ReachSummary {
  private anyPort: Bitset[] | undefined;
  private readonly perPort = new Map<string, Bitset[]>();
  private columns: Bitset[] | undefined;

  constructor(readonly analysis: Analysis) {}

  private get reach() {
    return this.analysis.reachability;
  }

  private matrix(port?: number, protocol?: Protocol): Bitset[] {
    if (port === undefined) return (this.anyPort ??= this.reach.classMatrix({}));
    const key = `${port}/${protocol ?? 'TCP'}`;
    let m = this.perPort.get(key);
    if (m === undefined) this.perPort.set(key, (m = this.reach.classMatrix({ port, protocol: protocol ?? 'TCP' })));
    return m;
  }

  /** Column view of the any-port matrix: who reaches each class. */
  private incoming(): Bitset[] {
    if (this.columns === undefined) {
      const n = this.reach.classes.length;
      const cols = this.reach.classes.map(() => new Bitset(n));
      this.matrix().forEach((row, s) => {
        for (const d of row.members()) cols[d]!.add(s);
      });
      this.columns = cols;
    }
    return this.columns;
  }

  /** The pods of some classes, leaving out one group (a workload does not count itself). */
  podsOf(classes: Iterable<number>, except?: PodGroup): PodSet {
    const groups = [...classes].flatMap((c) => this.reach.classes[c]!.groups).filter((g) => g !== except);
    return { pods: groups.reduce((n, g) => n + g.replicas, 0), groups };
  }

  private classPods: number[] | undefined;

  /**
   * Pods in some classes other than one pod of `one`: a count, without listing
   * anyone (code lenses ask for thousands). A pod always reaches itself, so it
   * is never counted; the other replicas of its workload are, when the
   * policies let replicas reach one another (its class is in the set).
   */
  private countOf(set: Bitset, one: PodGroup): number {
    this.classPods ??= this.reach.classes.map((c) => c.groups.reduce((n, g) => n + g.replicas, 0));
    let n = 0;
    for (const c of set.members()) n += this.classPods[c]!;
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
    return this.podsOf(this.incoming()[this.reach.classOf(group)]!.members(), group);
  }

  canReach(group: PodGroup): PodSet {
    return this.podsOf(this.matrix()[this.reach.classOf(group)]!.members(), group);
  }

  selectedBy(policy: PolicyModel): PodSet {
    return this.podsOf(this.reach.selectedClasses(policy).members());
  }

  /** Pods that some ingress rule of the policy admits (on some port). */
  ingressAllowedFrom(policy: PolicyModel): PodSet {
    return this.decidesAlone(policy, 'ingress') ? this.admittedBy(policy, policy.ingress) : this.podsOf(this.decider().admittedBy(policy, 'ingress').members());
  }

  /** Pods that some egress rule of the policy lets its pods send to (on some port). */
  egressAllowedTo(policy: PolicyModel): PodSet {
    return this.decidesAlone(policy, 'egress') ? this.admittedBy(policy, policy.egress) : this.podsOf(this.decider().admittedBy(policy, 'egress').members());
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
    return this.podsOf(admitted.members());
  }

  /** Pods that reach at least one endpoint of the Service on one of its target ports. */
  serviceReachableFrom(service: ServiceModel): PodSet {
    const sources = new Bitset(this.reach.classes.length);
    for (const endpoint of serviceEndpoints(service, this.analysis.workspace.podGroups)) {
      const d = this.reach.classOf(endpoint.group);
      for (const p of endpoint.ports) {
        if (p.containerPort === undefined) continue;
        this.matrix(p.containerPort, p.servicePort.protocol).forEach((row, s) => {
          if (row.has(d)) sources.add(s);
        });
      }
    }
    return this.podsOf(sources.members());
  }

  policiesSelecting(group: PodGroup): { ingress: PolicyModel[]; egress: PolicyModel[] } {
    const c = this.reach.classOf(group);
    const ws = this.analysis.workspace;
    const selecting = ws.policies.filter((p) => this.reach.selectedClasses(p).has(c));
    return { ingress: selecting.filter((p) => p.affectsIngress), egress: selecting.filter((p) => p.affectsEgress) };
  }
}
