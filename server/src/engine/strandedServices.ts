/**
 * Services that isolation cuts off: every endpoint is isolated for ingress,
 * and no ingress rule admits any pod of the workspace or any address on the
 * Service's ports. Egress of would-be clients is not considered: this flags
 * only what no client, however configured, could ever reach.
 */
import { portMatches } from './matching.js';
import { selectorMatches } from './labels.js';
import type { PeerMatcher, PodGroup, PolicyModel, ServiceModel } from './model.js';
import type { Reachability } from './reachability.js';
import { finding, type Finding, type RelatedInfo } from './rules.js';
import { serviceEndpoints } from './services.js';

/** Whether some ingress rule of the endpoint admits some pod or some address on one of the container ports. */
function endpointReachable(reach: Reachability, group: PodGroup, ports: readonly number[], service: ServiceModel, running: ReadonlySet<string>): boolean {
  if (group.hostNetwork) return true;
  const c = reach.classOf(group);
  if (!reach.isIsolated(c, 'ingress')) return true;
  // An admin Allow can let traffic in before NetworkPolicy isolation counts; not judged further here.
  if (reach.tieredRulesFor(c, 'ingress').some(({ rule }) => rule.action === 'allow')) return true;
  const destination = { kind: 'pod' as const, group };
  return reach.rulesFor(c, 'ingress').some(({ policy, rule }) => {
    const portOk = rule.ports === undefined || ports.some((port, i) => rule.ports!.some((m) => portMatches(m, port, service.ports[i]!.protocol, destination)));
    if (!portOk) return false;
    return rule.peers === undefined || rule.peers.some((p) => p.kind === 'ipBlock' || looksOutside(reach, p, running)) || !reach.ruleClasses(policy, rule).isEmpty;
  });
}

/**
 * A peer into namespaces where the workspace declares no workloads (another install's gateway in
 * istio-system) admits pods Netlens cannot see: the Service is not cut off, only its clients are elsewhere.
 */
function looksOutside(reach: Reachability, peer: PeerMatcher, running: ReadonlySet<string>): boolean {
  if (peer.kind !== 'pods' || peer.namespaceSelector === undefined) return false;
  const selector = peer.namespaceSelector;
  return ![...reach.workspace.namespaces.values()].some((ns) => running.has(ns.name) && selectorMatches(selector, ns.labels));
}

/**
 * Per class, the policies isolating it for ingress without any ingress rule,
 * in workspace order: found in one pass over the policies, so that naming
 * them for each stranded Service does not go through every policy again.
 */
function ruleFreeIsolators(reach: Reachability): (c: number) => readonly PolicyModel[] {
  const byClass = new Map<number, PolicyModel[]>();
  for (const policy of reach.workspace.policies) {
    if (!policy.affectsIngress || policy.ingress.length !== 0) continue;
    for (const c of reach.selectedClasses(policy).members()) {
      const list = byClass.get(c);
      if (list === undefined) byClass.set(c, [policy]);
      else list.push(policy);
    }
  }
  return (c) => byClass.get(c) ?? [];
}

export function strandedServiceFindings(reach: Reachability): Finding[] {
  const ws = reach.workspace;
  const out: Finding[] = [];
  let isolatorsOf: ((c: number) => readonly PolicyModel[]) | undefined;
  let order: Map<PolicyModel, number> | undefined;
  // Namespaces where the workspace runs workloads: a peer looking only elsewhere admits pods it cannot see.
  const running = new Set(ws.podGroups.filter((g) => !g.hostNetwork).map((g) => g.namespace));
  for (const service of ws.services) {
    const endpoints = serviceEndpoints(service, ws.podGroups);
    if (endpoints.length === 0) continue;
    const stranded = endpoints.every((e) => {
      const ports = e.ports.map((p) => p.containerPort ?? 0);
      return !endpointReachable(reach, e.group, ports, service, running);
    });
    if (!stranded) continue;
    const isolating = new Map<PolicyModel, true>();
    for (const e of endpoints) for (const { policy } of reach.rulesFor(reach.classOf(e.group), 'ingress')) isolating.set(policy, true);
    isolatorsOf ??= ruleFreeIsolators(reach);
    order ??= new Map(ws.policies.map((p, i) => [p, i]));
    const ruleFree = new Set(endpoints.flatMap((e) => isolatorsOf!(reach.classOf(e.group))));
    for (const policy of [...ruleFree].sort((a, b) => order!.get(a)! - order!.get(b)!)) isolating.set(policy, true);
    const policies = [...isolating.keys()];
    const related: RelatedInfo[] = policies.slice(0, 3).map((p) => ({ span: p.nameSpan, message: `isolating policy ${p.id}` }));
    const names = endpoints.slice(0, 3).map((e) => e.group.id).join(', ') + (endpoints.length > 3 ? `, and ${endpoints.length - 3} more` : '');
    out.push(
      finding(
        'service-unreachable',
        service.nameSpan,
        `Service ${service.name} is reachable from nothing: its endpoints (${names}) are isolated for ingress by ${inWords(policies.map((p) => p.name))}, and no rule admits any pod or address on its ports.`,
        related,
      ),
    );
  }
  return out;
}

/** "a", "a and b", "a, b and c": a list as a sentence says it. */
function inWords(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
