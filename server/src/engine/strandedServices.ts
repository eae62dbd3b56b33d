/**
 * Services that isolation cuts off: every endpoint is isolated for ingress,
 * and no ingress rule admits any pod of the workspace or any address on the
 * Service's ports. Egress of would-be clients is not considered: this flags
 * only what no client, however configured, could ever reach.
 */
import { portMatches } from './matching.js';
import type { PodGroup, PolicyModel, ServiceModel } from './model.js';
import type { Reachability } from './reachability.js';
import { finding, type Finding, type RelatedInfo } from './rules.js';
import { serviceEndpoints, type ServiceEndpoint } from './services.js';
import { appendAll } from './findingCap.js';
import { computeEveryTime, type ReuseWhileSame } from './reuse.js';

/** Whether some ingress rule of the endpoint admits some pod or some address on one of the container ports. */
function endpointReachable(reach: Reachability, group: PodGroup, ports: readonly number[], service: ServiceModel): boolean {
  if (group.hostNetwork) return true;
  const c = reach.classOf(group);
  if (!reach.isIsolated(c, 'ingress')) return true;
  const destination = { kind: 'pod' as const, group };
  return reach.rulesFor(c, 'ingress').some(({ policy, rule }) => {
    const portOk = rule.ports === undefined || ports.some((port, i) => rule.ports!.some((m) => portMatches(m, port, service.ports[i]!.protocol, destination)));
    if (!portOk) return false;
    return rule.peers === undefined || rule.peers.some((p) => p.kind === 'ipBlock') || !reach.ruleClasses(policy, rule).isEmpty;
  });
}

/**
 * `reuse(service, dependsOn, compute)` may answer with the finding made for
 * the same Service in an earlier analysis: it depends only on the Service's
 * endpoints and on the policies deciding each endpoint's class, and those are
 * the same objects while no edit touched them (ClassRuleTable).
 */
export function strandedServiceFindings(reach: Reachability, reuse: ReuseWhileSame<ServiceModel> = computeEveryTime): Finding[] {
  const ws = reach.workspace;
  const out: Finding[] = [];
  let order: ReadonlyMap<PolicyModel, number> | undefined;
  const policyOrder = () => (order ??= new Map(ws.policies.map((p, i) => [p, i])));
  for (const service of ws.services) {
    const endpoints = serviceEndpoints(service, ws.podGroups);
    if (endpoints.length === 0) continue;
    const dependsOn = [endpoints, ...endpoints.map((e) => reach.rulesOfClass(reach.classOf(e.group)))];
    appendAll(out, reuse(service, dependsOn, () => strandedFinding(reach, service, endpoints, policyOrder)));
  }
  return out;
}

function strandedFinding(reach: Reachability, service: ServiceModel, endpoints: readonly ServiceEndpoint[], policyOrder: () => ReadonlyMap<PolicyModel, number>): Finding[] {
  const stranded = endpoints.every((e) => {
    const ports = e.ports.map((p) => p.containerPort ?? 0);
    return !endpointReachable(reach, e.group, ports, service);
  });
  if (!stranded) return [];
  const isolating = new Map<PolicyModel, true>();
  for (const e of endpoints) for (const { policy } of reach.rulesFor(reach.classOf(e.group), 'ingress')) isolating.set(policy, true);
  // Policies isolating an endpoint for ingress without any ingress rule, in workspace order.
  const ruleFree = new Set(endpoints.flatMap((e) => reach.rulesOfClass(reach.classOf(e.group)).policies.filter((p) => p.affectsIngress && p.ingress.length === 0)));
  const order = policyOrder();
  for (const policy of [...ruleFree].sort((a, b) => order.get(a)! - order.get(b)!)) isolating.set(policy, true);
  const policies = [...isolating.keys()];
  const related: RelatedInfo[] = policies.slice(0, 3).map((p) => ({ span: p.nameSpan, message: `isolating policy ${p.id}` }));
  const names = endpoints.slice(0, 3).map((e) => e.group.id).join(', ') + (endpoints.length > 3 ? `, and ${endpoints.length - 3} more` : '');
  return [
    finding(
      'service-unreachable',
      service.nameSpan,
      `Service ${service.name} is reachable from nothing: its endpoints (${names}) are isolated for ingress by ${inWords(policies.map((p) => p.name))}, and no rule admits any pod or address on its ports.`,
      related,
    ),
  ];
}

/** "a", "a and b", "a, b and c": a list as a sentence says it. */
function inWords(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
