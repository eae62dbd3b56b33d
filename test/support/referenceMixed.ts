/**
 * Calico beside AdminNetworkPolicy and BaselineAdminNetworkPolicy, composed
 * literally for the property test, from the API's Tier documentation and
 * Netlens's README ("Cluster-wide policies"), sharing nothing with the
 * engine. Per side (the source's egress, the destination's ingress):
 * 1. the admin policies that select the subject, lowest priority first,
 *    rules as written: the first that matches decides; Pass skips the rest
 *    of the admin tier;
 * 2. Calico's tiers (referenceCalico.ts, where a Kubernetes NetworkPolicy is
 *    an order-1000 policy of the default tier): a decision is final;
 * 3. what no Calico policy decided (none applies, or it was passed out of
 *    the last tier) meets the baseline policy the same way;
 * 4. anything still undecided is allowed.
 */
import { NAMESPACES } from './randomCalicoCluster.js';
import type { AdminPeer, AdminPolicy, AdminPort, AdminSubject, MatchLabels, RandomMixedCluster } from './randomAdminPolicies.js';
import { CalicoReference, type Direction, type Pod } from './referenceCalico.js';

type Labels = Readonly<Record<string, string>>;

const holds = (wanted: MatchLabels, labels: Labels) => Object.entries(wanted).every(([k, v]) => labels[k] === v);

export class MixedReference {
  private readonly calico: CalicoReference;
  private readonly namespaceLabels: ReadonlyMap<string, Labels>;
  private readonly admin: readonly AdminPolicy[];

  constructor(private readonly c: RandomMixedCluster) {
    this.calico = new CalicoReference(c);
    this.namespaceLabels = new Map(NAMESPACES.map((name, i) => [name, { env: c.namespaceEnv[i]!, 'kubernetes.io/metadata.name': name }]));
    this.admin = [...c.admin].sort((a, b) => a.priority - b.priority);
  }

  private podIn(selector: { readonly namespaces: MatchLabels; readonly pods?: MatchLabels }, pod: Pod): boolean {
    return holds(selector.namespaces, this.namespaceLabels.get(pod.namespace)!) && (selector.pods === undefined || holds(selector.pods, pod.labels));
  }

  private subjectHolds(subject: AdminSubject, pod: Pod): boolean {
    return 'namespaces' in subject ? this.podIn({ namespaces: subject.namespaces }, pod) : this.podIn(subject.pods, pod);
  }

  private peerHolds(peer: AdminPeer, pod: Pod): boolean {
    return 'namespaces' in peer ? this.podIn({ namespaces: peer.namespaces }, pod) : this.podIn(peer.pods, pod);
  }

  private portHolds(p: AdminPort, destination: Pod, port: number, protocol: string): boolean {
    switch (p.kind) {
      case 'number':
        return p.protocol === protocol && p.port === port;
      case 'range':
        return p.protocol === protocol && p.start <= port && port <= p.end;
      case 'named':
        return destination.port.named && destination.port.protocol === protocol && destination.port.containerPort === port;
    }
  }

  /** The first matching rule's action among these policies, in order; undefined when none matches. */
  private tierAction(policies: readonly AdminPolicy[], direction: Direction, subject: Pod, peer: Pod, destination: Pod, port: number, protocol: string): AdminPolicy['ingress'][number]['action'] | undefined {
    for (const policy of policies) {
      if (!this.subjectHolds(policy.subject, subject)) continue;
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        const peerOk = rule.peers.some((p) => this.peerHolds(p, peer));
        const portOk = rule.ports === undefined || rule.ports.some((p) => this.portHolds(p, destination, port, protocol));
        if (peerOk && portOk) return rule.action;
      }
    }
    return undefined;
  }

  private sideAllows(direction: Direction, subject: Pod, peer: Pod, destination: Pod, port: number, protocol: string): boolean {
    const admin = this.tierAction(this.admin, direction, subject, peer, destination, port, protocol);
    if (admin === 'Allow') return true;
    if (admin === 'Deny') return false;
    const calico = this.calico.sideVerdict(direction, subject, peer, destination, port, protocol);
    if (calico !== 'passed') return calico === 'allow';
    const baseline = this.tierAction(this.c.baseline === undefined ? [] : [this.c.baseline], direction, subject, peer, destination, port, protocol);
    return baseline !== 'Deny';
  }

  matrix(port: number, protocol: string): boolean[][] {
    const pods = this.calico.pods;
    return pods.map((s) => pods.map((d) => s === d || (this.sideAllows('egress', s, d, d, port, protocol) && this.sideAllows('ingress', d, s, d, port, protocol))));
  }
}
