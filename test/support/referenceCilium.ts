/**
 * A slow, literal reading of Cilium's policy language for the property test,
 * written from the Cilium policy docs and sharing nothing with the engine:
 * it reads the generated structure (randomCiliumCluster.ts), not the YAML.
 *
 * - A CiliumNetworkPolicy selects pods of its namespace, a clusterwide one
 *   pods of any namespace; `k8s:` is the label source and is not part of
 *   the key; `k8s:io.kubernetes.pod.namespace` is the pod's namespace.
 * - A peer selector without that label means the policy's namespace (a
 *   clusterwide policy: every namespace).
 * - A rule section present (ingress or ingressDeny; egress or egressDeny),
 *   even empty, puts the selected pods in default deny for that direction,
 *   unless enableDefaultDeny says false; allow rules of every policy
 *   selecting the pod then count.
 * - An empty rule admits nothing; a rule with only toPorts admits every
 *   peer on those ports; the entities cluster and all are every pod, world
 *   is outside the cluster (no pod).
 * - Ports: protocol ANY or none is TCP, UDP and SCTP; port 0 is every port;
 *   endPort makes a range. A deny rule that matches wins over any allow.
 */
import { CILIUM_PORT_LIMIT, type RandomCiliumCluster, type RandomCiliumPolicy, type RandomCiliumRule, type RandomEndpointSelector } from './randomCiliumCluster.js';

interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

type Direction = 'ingress' | 'egress';

function selectorMatches(s: RandomEndpointSelector, pod: Pod): boolean {
  for (const [k, v] of Object.entries(s.labels)) if (pod.labels[k] !== v) return false;
  if (s.notIn !== undefined && pod.labels['tier'] === s.notIn) return false;
  return true;
}

function selects(p: RandomCiliumPolicy, pod: Pod): boolean {
  if (!p.clusterwide && pod.namespace !== p.namespace) return false;
  if (p.selector.namespace !== undefined && p.selector.namespace !== pod.namespace) return false;
  return selectorMatches(p.selector, pod);
}

function peerMatches(p: RandomCiliumPolicy, r: RandomCiliumRule, peer: Pod): boolean {
  const hasL3 = r.endpoints !== undefined || r.entities !== undefined;
  if (!hasL3) return r.ports !== undefined;
  if (r.entities?.some((e) => e === 'cluster' || e === 'all')) return true;
  return (r.endpoints ?? []).some((s) => {
    const namespaceOk = s.namespace !== undefined ? peer.namespace === s.namespace : p.clusterwide || peer.namespace === p.namespace;
    return namespaceOk && selectorMatches(s, peer);
  });
}

function portMatches(r: RandomCiliumRule, port: number, protocol: string): boolean {
  if (r.ports === undefined || r.ports.length === 0) return true;
  return r.ports.some((p) => {
    if (p.protocol !== undefined && p.protocol !== 'ANY' && p.protocol !== protocol) return false;
    if (p.port === 0) return true;
    return p.port <= port && port <= (p.endPort ?? p.port);
  });
}

export class CiliumReference {
  readonly pods: readonly Pod[];

  constructor(private readonly c: RandomCiliumCluster) {
    this.pods = c.pods;
  }

  private sideAllows(direction: Direction, subject: Pod, peer: Pod, port: number, protocol: string): boolean {
    const selecting = this.c.policies.filter((p) => selects(p, subject));
    const allows = direction === 'ingress' ? (p: RandomCiliumPolicy) => p.ingress ?? [] : (p: RandomCiliumPolicy) => p.egress ?? [];
    const denies = direction === 'ingress' ? (p: RandomCiliumPolicy) => p.ingressDeny ?? [] : (p: RandomCiliumPolicy) => p.egressDeny ?? [];
    const matches = (p: RandomCiliumPolicy, r: RandomCiliumRule) => peerMatches(p, r, peer) && portMatches(r, port, protocol);
    if (selecting.some((p) => denies(p).some((r) => matches(p, r)))) return false;
    const isolating = selecting.filter((p) => {
      const present = direction === 'ingress' ? p.ingress !== undefined || p.ingressDeny !== undefined : p.egress !== undefined || p.egressDeny !== undefined;
      return present && p.defaultDeny?.[direction] !== false;
    });
    return isolating.length === 0 || selecting.some((p) => allows(p).some((r) => matches(p, r)));
  }

  matrix(port: number, protocol: string): boolean[][] {
    return this.pods.map((s, i) => this.pods.map((d, j) => i === j || (this.sideAllows('egress', s, d, port, protocol) && this.sideAllows('ingress', d, s, port, protocol))));
  }
}

export const CILIUM_QUERY_PORTS = Array.from({ length: CILIUM_PORT_LIMIT + 1 }, (_, i) => i + 1);
