/**
 * The custom requests of requests.ts, answered from the engine.
 */
import { explainTraffic, parseIP, type Analysis, type Endpoint, type LineIndex, type ReachSummary } from './engine/index.js';
import type { ExplainParams, ExplainResult, ReachersResult, RuleTrace, SummaryResult, WorkloadInfo } from './requests.js';

export function summaryOf(analysis: Analysis): SummaryResult {
  const ws = analysis.workspace;
  return {
    pods: ws.podGroups.reduce((n, g) => n + g.replicas, 0),
    workloads: ws.podGroups.length,
    policies: ws.policies.length,
    services: ws.services.length,
    ...(analysis.cluster.enforcesPolicy === false
      ? { warning: `The cluster's CNI (${analysis.cluster.cni}, from ${analysis.cluster.cniOrigin}) does not enforce NetworkPolicy: the ${ws.policies.length} policies do nothing.` }
      : {}),
  };
}

export function workloads(analysis: Analysis, lineIndex: (uri: string) => LineIndex): WorkloadInfo[] {
  return analysis.workspace.podGroups.map((g) => ({
    id: g.id,
    kind: g.kind,
    replicas: g.replicas,
    uri: g.nameSpan.file,
    line: lineIndex(g.nameSpan.file).positionAt(g.nameSpan.start).line,
    ports: g.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}`),
  }));
}

function endpoint(analysis: Analysis, text: string): Endpoint | undefined {
  const group = analysis.workspace.podGroups.find((g) => g.id === text);
  if (group) return { kind: 'pod', group };
  const ip = parseIP(text);
  return ip.ok ? { kind: 'external', ip: ip.value } : undefined;
}

export function explain(analysis: Analysis, params: ExplainParams, lineIndex: (uri: string) => LineIndex): ExplainResult {
  const source = endpoint(analysis, params.source);
  const destination = endpoint(analysis, params.destination);
  if (source === undefined || destination === undefined) {
    return { allowed: false, lines: [`Unknown ${source === undefined ? 'source' : 'destination'}: use a workload ("namespace/name") or an IP address.`], rules: [] };
  }
  const v = explainTraffic(analysis.workspace.policies, source, destination, params.port, params.protocol, analysis.reachability.namespaceLabels);
  const what = `${params.source} → ${params.destination} on ${params.protocol} ${params.port}`;
  const lines = [`${what}: ${v.allowed ? 'ALLOWED' : 'DENIED'}`];
  const rules: RuleTrace[] = [];
  if (v.toItself) {
    lines.push('A pod can always reach itself: policies do not govern its traffic to itself.');
    return { allowed: true, lines, rules };
  }
  for (const [side, sv, who] of [
    ['egress', v.egress, params.source],
    ['ingress', v.ingress, params.destination],
  ] as const) {
    if (!sv.isolated) {
      lines.push(`${side}: ${who} is not isolated for ${side}, so ${side} is allowed.`);
      continue;
    }
    lines.push(`${side}: isolated by ${sv.isolatingPolicies.map((p) => p.id).join(', ')}; ${sv.allowed ? `allowed by ${sv.allowedBy.map((r) => `${r.policy.id} ${side} rule ${r.rule.index + 1}`).join(', ')}` : 'no rule allows it'}.`);
    for (const r of sv.allowedBy) {
      rules.push({ policy: r.policy.id, direction: side, rule: r.rule.index, uri: r.rule.span.file, line: lineIndex(r.rule.span.file).positionAt(r.rule.span.start).line });
    }
  }
  return { allowed: v.allowed, lines, rules };
}

export function reachers(analysis: Analysis, summary: ReachSummary, id: string): ReachersResult {
  const group = analysis.workspace.podGroups.find((g) => g.id === id);
  if (group === undefined) return { target: id, sources: [] };
  return { target: id, sources: summary.reachableFrom(group).groups.map((g) => ({ id: g.id, replicas: g.replicas })) };
}
