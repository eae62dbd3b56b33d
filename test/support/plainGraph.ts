import type { ReachabilityGraph, RuleOfPolicy } from '../../server/src/engine/index.js';

/** The graph panel's graph as plain data: model objects by their ids, rules by policy, direction and index. */
export function plainGraph(graph: ReachabilityGraph): unknown {
  const rule = ({ policy, rule }: RuleOfPolicy) => `${policy.kind}/${policy.id}/${rule.direction}/${rule.index}`;
  return {
    namespaces: graph.namespaces.map((n) => [n.id, n.name]),
    workloads: graph.workloads.map((w) => ({ ...w, group: w.group.id, policies: w.policies.map((p) => p.id), services: w.services.map((s) => s.id) })),
    externals: graph.externals,
    flows: graph.flows.map((f) => ({ ...f, rules: f.rules.map(rule) })),
  };
}
