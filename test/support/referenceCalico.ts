/**
 * A slow, literal reading of Calico policy evaluation for the property test,
 * written from Calico's references and sharing nothing with the engine: it
 * reads the generated cluster's structure (randomCalicoCluster.ts), never
 * the YAML, and evaluates selector trees, not selector text.
 *
 * For one connection and one side (the source's egress, the destination's
 * ingress): the policies that apply are those whose selector (and
 * namespaceSelector, serviceAccountSelector) picks the endpoint and whose
 * types include the direction. Tiers with such a policy are visited by order
 * (smallest first; no order after; the default tier last of those), their
 * policies by order (no order last; equal orders by id, Netlens's tie-break),
 * their rules as written: the first Allow or Deny decides, Pass leaves the
 * tier, Log goes on. A tier that decides nothing denies (or passes, with
 * defaultAction Pass); passing the last tier allows (the namespace profile).
 * A Kubernetes NetworkPolicy is an order-1000 policy of the default tier.
 */
import {
  CALICO_PORT_LIMIT,
  NAMESPACES,
  type RandomCalicoCluster,
  type RandomPeer,
  type RandomRule,
  type SelectorTree,
} from './randomCalicoCluster.js';

type Labels = Readonly<Record<string, string>>;

export interface Pod {
  readonly index: number;
  readonly namespace: string;
  readonly labels: Labels;
  readonly account: string;
  readonly port: { readonly containerPort: number; readonly protocol: string; readonly named: boolean };
  readonly ip: number | undefined;
}

export type Direction = 'ingress' | 'egress';
type Verdict = 'allow' | 'deny' | 'pass' | 'none';

interface Policy {
  readonly id: string;
  readonly tier: string;
  readonly order: number | undefined;
  selects(pod: Pod): boolean;
  applies(direction: Direction): boolean;
  /** The rules of a direction, each saying what it does with this connection ('none': no match, or Log). */
  verdicts(direction: Direction, peer: Pod, destination: Pod, port: number, protocol: string): Verdict[];
}

export function evaluateTree(t: SelectorTree, labels: Labels): boolean {
  const valueOf = (key: string) => (Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined);
  switch (t.op) {
    case 'all':
      return true;
    case 'has':
      return valueOf(t.key) !== undefined;
    case '==':
      return valueOf(t.key) === t.value;
    case '!=':
      return valueOf(t.key) !== t.value;
    case 'in': {
      const value = valueOf(t.key);
      return value !== undefined && t.values.includes(value);
    }
    case 'not in': {
      const value = valueOf(t.key);
      return value === undefined || !t.values.includes(value);
    }
    case '!':
      return !evaluateTree(t.operand, labels);
    case '&&':
      return evaluateTree(t.left, labels) && evaluateTree(t.right, labels);
    case '||':
      return evaluateTree(t.left, labels) || evaluateTree(t.right, labels);
  }
}

function cidrHolds(cidr: string, ip: number): boolean {
  const [base, bits] = cidr.split('/');
  const last = Number(base!.split('.')[3]);
  const size = 2 ** (32 - Number(bits));
  // Every generated net lies in 10.0.0.0/29 or is 0.0.0.0/0, and every pod address is 10.0.0.0-7.
  return Number(bits) === 0 || (base!.startsWith('10.0.0.') && Math.floor(last / size) === Math.floor(ip / size));
}

export class CalicoReference {
  readonly pods: readonly Pod[];
  private readonly policies: readonly Policy[];
  private readonly namespaceLabels: ReadonlyMap<string, Labels>;

  constructor(private readonly c: RandomCalicoCluster) {
    this.pods = c.pods.map((p, index) => ({ index, namespace: p.namespace, labels: p.labels, account: p.account, port: p.port, ip: p.ip }));
    this.namespaceLabels = new Map(NAMESPACES.map((name, i) => [name, { env: c.namespaceEnv[i]!, 'projectcalico.org/name': name }]));
    this.policies = [...c.policies.map((p, i) => this.calicoPolicy(p, i)), ...this.guardPolicy(), ...c.kubernetes.map((k, i) => this.kubernetesPolicy(k, i))];
  }

  /** What a pod selector sees: the pod's labels and the namespace Calico adds. */
  private endpointLabels(pod: Pod): Labels {
    return { ...pod.labels, 'projectcalico.org/namespace': pod.namespace };
  }

  private accountLabels(pod: Pod): Labels {
    return pod.account === 'finance' ? { team: 'finance', 'projectcalico.org/name': 'finance' } : { 'projectcalico.org/name': 'default' };
  }

  private calicoPolicy(p: RandomCalicoCluster['policies'][number], i: number): Policy {
    const name = p.tier === 'default' ? `c${i}` : `${p.tier}.c${i}`;
    const types = p.types ?? (p.egress.length > 0 && p.ingress.length === 0 ? ['Egress'] : p.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
    const self = this;
    return {
      id: p.global ? name : `${p.namespace}/${name}`,
      tier: p.tier,
      order: p.order,
      selects(pod) {
        if (!p.global && pod.namespace !== p.namespace) return false;
        if (p.global && p.namespaceSelector && !evaluateTree(p.namespaceSelector, self.namespaceLabels.get(pod.namespace)!)) return false;
        if (p.accountSelector && !evaluateTree(p.accountSelector, self.accountLabels(pod))) return false;
        return p.selector === undefined || evaluateTree(p.selector, self.endpointLabels(pod));
      },
      applies: (direction) => types.includes(direction === 'ingress' ? 'Ingress' : 'Egress'),
      verdicts: (direction, peer, destination, port, protocol) =>
        (direction === 'ingress' ? p.ingress : p.egress).map((r) => (self.ruleMatches(r, p.global ? undefined : p.namespace, peer, destination, port, protocol) ? self.actionOf(r) : 'none')),
    };
  }

  private actionOf(r: RandomRule): Verdict {
    return r.action === 'Allow' ? 'allow' : r.action === 'Deny' ? 'deny' : r.action === 'Pass' ? 'pass' : 'none';
  }

  private ruleMatches(r: RandomRule, policyNamespace: string | undefined, peer: Pod, destination: Pod, port: number, protocol: string): boolean {
    if (r.protocol !== undefined && r.protocol !== protocol) return false;
    if (r.notProtocol !== undefined && r.notProtocol === protocol) return false;
    if (r.peer !== undefined && !this.peerMatches(r.peer, policyNamespace, peer)) return false;
    const portHolds = (v: number | string) => {
      if (typeof v === 'number') return v === port;
      if (v.includes(':')) {
        const [a, b] = v.split(':').map(Number);
        return a! <= port && port <= b!;
      }
      return destination.port.named && destination.port.protocol === protocol && destination.port.containerPort === port;
    };
    if (r.ports.length > 0 && !r.ports.some(portHolds)) return false;
    return !r.notPorts.some(portHolds);
  }

  private peerMatches(p: RandomPeer, policyNamespace: string | undefined, pod: Pod): boolean {
    const bySelector = p.selector !== undefined || p.notSelector !== undefined || p.namespaceSelector !== undefined || p.accounts !== undefined;
    if (bySelector) {
      // A rule selector without namespaceSelector looks in the policy's namespace (a GlobalNetworkPolicy: everywhere).
      if (p.namespaceSelector !== undefined) {
        if (!evaluateTree(p.namespaceSelector, this.namespaceLabels.get(pod.namespace)!)) return false;
      } else if (policyNamespace !== undefined && pod.namespace !== policyNamespace) return false;
      if (p.selector !== undefined && !evaluateTree(p.selector, this.endpointLabels(pod))) return false;
      if (p.notSelector !== undefined && evaluateTree(p.notSelector, this.endpointLabels(pod))) return false;
      return p.accounts === undefined || p.accounts.includes(pod.account);
    }
    // By address: a pod is matched by the address the workspace gives it, or not at all.
    if (pod.ip === undefined) return false;
    if (p.nets !== undefined && !p.nets.some((n) => cidrHolds(n, pod.ip!))) return false;
    return !(p.notNets ?? []).some((n) => cidrHolds(n, pod.ip!));
  }

  private guardPolicy(): Policy[] {
    const g = this.c.guard;
    if (g === undefined) return [];
    return [
      {
        id: 'guard',
        tier: 'default',
        order: g.order,
        selects: () => true,
        applies: (direction) => direction === 'ingress',
        verdicts: (_direction, peer, _destination, port, protocol) => [protocol === 'TCP' && port === g.port && evaluateTree(g.from, this.endpointLabels(peer)) ? 'deny' : 'none'],
      },
    ];
  }

  private kubernetesPolicy(k: RandomCalicoCluster['kubernetes'][number], i: number): Policy {
    return {
      id: `${k.namespace}/k${i}`,
      tier: 'default',
      order: 1000,
      selects: (pod) => pod.namespace === k.namespace && (k.app === undefined || pod.labels['app'] === k.app),
      applies: (direction) => direction === 'ingress',
      verdicts: (_direction, peer, _destination, port, protocol) => {
        const peerOk = k.from === undefined || (peer.namespace === k.namespace && peer.labels['app'] === k.from);
        const portOk = k.port === undefined || (protocol === 'TCP' && port === k.port);
        return [peerOk && portOk ? 'allow' : 'none'];
      },
    };
  }

  private tierRank(name: string): [number, number] {
    if (name === 'security') return [100, 0];
    return [Number.POSITIVE_INFINITY, name === 'default' ? 1 : 0];
  }

  /**
   * One side through Calico's tiers: decided ('allow', 'deny'), or 'passed'
   * when no policy applies or the traffic is passed out of the last tier
   * (the namespace profile allows it; a baseline tier would meet it first).
   */
  sideVerdict(direction: Direction, subject: Pod, peer: Pod, destination: Pod, port: number, protocol: string): 'allow' | 'deny' | 'passed' {
    const applying = this.policies.filter((p) => p.applies(direction) && p.selects(subject));
    const tiers = [...new Set(applying.map((p) => p.tier))].sort((a, b) => {
      const [ra, rb] = [this.tierRank(a), this.tierRank(b)];
      return ra[0] - rb[0] || ra[1] - rb[1] || (a < b ? -1 : 1);
    });
    const order = (p: Policy) => p.order ?? Number.POSITIVE_INFINITY;
    for (const tier of tiers) {
      const inTier = applying.filter((p) => p.tier === tier).sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : 1));
      let passed = false;
      search: for (const p of inTier) {
        for (const v of p.verdicts(direction, peer, destination, port, protocol)) {
          if (v === 'allow' || v === 'deny') return v;
          if (v === 'pass') {
            passed = true;
            break search;
          }
        }
      }
      const passes = tier === 'security' && this.c.securityDefault === 'Pass';
      if (!passed && !passes) return 'deny';
    }
    return 'passed';
  }

  allows(source: Pod, destination: Pod, port: number, protocol: string): boolean {
    if (source === destination) return true;
    return this.sideVerdict('egress', source, destination, destination, port, protocol) !== 'deny' && this.sideVerdict('ingress', destination, source, destination, port, protocol) !== 'deny';
  }

  matrix(port: number, protocol: string): boolean[][] {
    return this.pods.map((s) => this.pods.map((d) => this.allows(s, d, port, protocol)));
  }
}

export const CALICO_QUERY_PORTS = Array.from({ length: CALICO_PORT_LIMIT + 1 }, (_, i) => i + 1);
