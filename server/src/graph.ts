/**
 * The graph panel's data: the engine's reachability graph with source
 * positions turned into editor links (a rendered object's in the base or
 * overlay file it came from). Computed once per model version, from the
 * index's graph (WorkspaceIndex.reachabilityGraph).
 */
import { describeDecidingPlace, describeRule, type LineIndex, type PolicyRule, type ReachabilityGraph, type SourceSpan } from './engine/index.js';
import type { GraphData, GraphEdgeData, GraphNodeData, GraphRuleData, SourceLink } from './requests.js';

export function graphData(
  graph: ReachabilityGraph,
  version: number,
  lineIndex: (uri: string) => LineIndex,
  place: (span: SourceSpan) => SourceSpan = (span) => span,
): GraphData {
  const link = (written: SourceSpan): SourceLink => {
    const span = place(written);
    return { uri: span.file, line: lineIndex(span.file).positionAt(span.start).line };
  };
  const nodes: GraphNodeData[] = [];
  for (const ns of graph.namespaces) nodes.push({ id: ns.id, kind: 'namespace', label: ns.name, ...(ns.span ? { source: link(ns.span) } : {}) });
  for (const w of graph.workloads) {
    const g = w.group;
    nodes.push({
      id: w.id,
      kind: 'workload',
      label: g.name,
      parent: w.namespaceId,
      ref: g.id,
      workloadKind: g.kind,
      replicas: g.replicas,
      labels: [...g.labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      ports: g.ports.map((p) => `${p.protocol} ${p.port}${p.name ? ` (${p.name})` : ''}`),
      isolatedIngress: w.isolatedIngress,
      isolatedEgress: w.isolatedEgress,
      hostNetwork: g.hostNetwork,
      policies: w.policies.map((p) => p.id),
      services: w.services.map((s) => s.id),
      source: link(g.nameSpan),
    });
  }
  for (const e of graph.externals) nodes.push({ id: e.id, kind: e.kind, label: e.label });
  const rules: GraphRuleData[] = [];
  const ruleIndex = new Map<PolicyRule, number>();
  const edges: GraphEdgeData[] = graph.flows.map((f) => ({
    id: f.id,
    source: f.source,
    target: f.target,
    ports: f.ports,
    explicit: f.explicit,
    ...(f.aggregated ? { aggregated: true } : {}),
    ...(f.allowAll ? { allowAll: true } : {}),
    ...(f.byDefault !== undefined ? { byDefault: f.byDefault } : {}),
    ...(f.l7 !== undefined ? { l7: f.l7 } : {}),
    rules: f.rules.map(({ policy, rule }) => {
      let index = ruleIndex.get(rule);
      if (index === undefined) {
        index = rules.push({ policy: policy.id, direction: rule.direction, rule: rule.index, text: describeRule(policy, rule), decidesIn: describeDecidingPlace(policy), source: link(rule.span) }) - 1;
        ruleIndex.set(rule, index);
      }
      return index;
    }),
  }));
  return { version, nodes, edges, rules };
}
