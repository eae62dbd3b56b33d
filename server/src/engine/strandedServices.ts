/**
 * Services that isolation cuts off: every endpoint is isolated for ingress,
 * and no ingress rule admits any pod of the workspace or any address on the
 * Service's ports. Egress of would-be clients is not considered: this flags
 * only what no client, however configured, could ever reach.
 */
import { portMatches } from './matching.js';
import { selectorMatches } from './labels.js';
import type { PeerMatcher, PodGroup, PolicyModel, ServiceModel } from './model.js';
import { workloadNamespaces } from './podNamespaces.js';
import type { ClassRulesSnapshot, Reachability } from './reachability.js';
import { finding, type Finding, type RelatedInfo } from './rules.js';
import { serviceEndpoints, type ServiceEndpoint } from './services.js';
import { appendAll } from './findingCap.js';

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
 * Judges whether each Service is stranded, and remembers it: a Service's
 * verdict depends only on its endpoints and on the rules deciding their
 * classes, so for the same Services over the same classes (an edit that
 * changed only policies) only the Services with an endpoint in a class
 * whose ClassRules changed are judged again. Cluster-wide tiered rules are
 * not part of ClassRules: with any of them, before or after, every Service
 * is judged again.
 */
export class StrandedServices {
  private readonly services: readonly ServiceModel[];
  private readonly classes: Reachability['classes'];
  /** Per Service (by index), its endpoints and their classes. */
  private readonly endpoints: ReadonlyArray<{ readonly list: readonly ServiceEndpoint[]; readonly classes: readonly number[] }>;
  /** Per class, the indices of the Services with an endpoint in it. */
  private readonly servicesOfClass = new Map<number, number[]>();
  /** What each class's verdicts were judged from, and the finding of each Service. */
  private judgedWith: { readonly rules: ClassRulesSnapshot; readonly tiered: boolean } | undefined;
  /** The indices of the Services with a finding, ascending, and their findings in that order. */
  private found: number[] = [];
  private out: Finding[] = [];
  private readonly perService: Array<readonly Finding[]>;

  constructor(reach: Reachability) {
    const ws = reach.workspace;
    this.services = ws.services;
    this.classes = reach.classes;
    this.endpoints = ws.services.map((service, i) => {
      const list = serviceEndpoints(service, ws.podGroups);
      const classes = [...new Set(list.map((e) => reach.classOf(e.group)))];
      for (const c of classes) {
        const of = this.servicesOfClass.get(c);
        if (of === undefined) this.servicesOfClass.set(c, [i]);
        else of.push(i);
      }
      return { list, classes };
    });
    this.perService = ws.services.map(() => []);
  }

  /** Whether this judge's verdicts can be carried on to a reachability: the same Services over the same classes. */
  fits(reach: Reachability): boolean {
    return reach.workspace.services === this.services && reach.classes === this.classes;
  }

  findings(reach: Reachability): Finding[] {
    const rules = reach.rulesTable();
    const stale = new Set<number>();
    const last = this.judgedWith;
    if (last === undefined || last.tiered || reach.hasTieredRules) this.services.forEach((_s, i) => stale.add(i));
    else for (const c of reach.changedClassesSince(last.rules)) this.servicesOfClass.get(c)?.forEach((i) => stale.add(i));
    this.judgedWith = { rules, tiered: reach.hasTieredRules };
    let order: ReadonlyMap<PolicyModel, number> | undefined;
    const policyOrder = () => (order ??= new Map(reach.workspace.policies.map((p, i) => [p, i])));
    let foundChanged = false;
    for (const i of stale) {
      const endpoints = this.endpoints[i]!.list;
      const before = this.perService[i]!;
      const after = endpoints.length === 0 ? [] : strandedFinding(reach, this.services[i]!, endpoints, policyOrder);
      this.perService[i] = after;
      if (before.length > 0 || after.length > 0) foundChanged = true;
    }
    // Most Services have no finding: the list is made again from those that have one, and only when a verdict changed.
    if (foundChanged) {
      const found = this.found.filter((i) => !stale.has(i));
      for (const i of stale) if (this.perService[i]!.length > 0) found.push(i);
      found.sort((a, b) => a - b);
      this.found = found;
      this.out = [];
      for (const i of found) appendAll(this.out, this.perService[i]!);
    }
    return [...this.out];
  }
}

function strandedFinding(reach: Reachability, service: ServiceModel, endpoints: readonly ServiceEndpoint[], policyOrder: () => ReadonlyMap<PolicyModel, number>): Finding[] {
  // Namespaces where the workspace runs workloads: a peer looking only elsewhere admits pods it cannot see.
  const running = workloadNamespaces(reach.workspace.podGroups);
  const stranded = endpoints.every((e) => {
    const ports = e.ports.map((p) => p.containerPort ?? 0);
    return !endpointReachable(reach, e.group, ports, service, running);
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
