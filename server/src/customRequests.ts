/**
 * The custom requests of requests.ts, answered from the engine.
 */
import { declaredPorts, describeExternal, explainConnection, externalReachOf, explanationReport, parseIP, resolveEndpoint, type Analysis, type LineIndex, type Protocol, type ReachSummary } from './engine/index.js';
import type { ExplainParams, ExplainResult, ReachersResult, RuleTrace, SummaryResult, WorkloadInfo } from './requests.js';

/** `unrendered` says why kustomize roots are not rendered, if they are not. */
export function summaryOf(analysis: Analysis, unrendered?: string): SummaryResult {
  const ws = analysis.workspace;
  const warnings = [
    ...(analysis.cluster.enforcesPolicy === false ? [`The cluster's CNI (${analysis.cluster.cni}, from ${analysis.cluster.cniOrigin}) does not enforce NetworkPolicy: the ${ws.policies.length} policies do nothing.`] : []),
    ...(unrendered === undefined ? [] : [unrendered]),
  ];
  return {
    pods: ws.podGroups.reduce((n, g) => n + g.replicas, 0),
    workloads: ws.podGroups.length,
    policies: ws.policies.length,
    services: ws.services.length,
    ...(warnings.length > 0 ? { warning: warnings.join(' ') } : {}),
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

function ipOf(text: string) {
  const ip = parseIP(text);
  return ip.ok ? ip.value : undefined;
}

export function explain(analysis: Analysis, params: ExplainParams, lineIndex: (uri: string) => LineIndex): ExplainResult {
  const source = resolveEndpoint(analysis.workspace, params.source, ipOf);
  const destination = resolveEndpoint(analysis.workspace, params.destination, ipOf);
  if (!source.ok) return { allowed: false, lines: [`Unknown source: ${source.message}`], rules: [] };
  if (!destination.ok) return { allowed: false, lines: [`Unknown destination: ${destination.message}`], rules: [] };
  const ports: Array<[number, Protocol]> = params.port !== undefined ? [[params.port, params.protocol ?? 'TCP']] : declaredPorts(destination.endpoint, params.protocol);
  if (ports.length === 0) return { allowed: false, lines: [`${params.destination} declares no container ports: choose a port.`], rules: [] };
  const explanation = explainConnection(analysis.workspace, analysis.reachability.namespaceLabels, { source: source.endpoint, destination: destination.endpoint, ports });
  const report = explanationReport(explanation, lineIndex);
  const lines: string[] = [];
  const rules: RuleTrace[] = [];
  for (const p of report.ports) {
    if (report.toItself) {
      lines.push(`${params.source} → ${params.destination} on ${p.protocol} ${p.port}: ALLOWED`, 'A pod can always reach itself: policies do not govern its traffic to itself.');
      continue;
    }
    lines.push(`${params.source} → ${params.destination} on ${p.protocol} ${p.port}: ${p.allowed ? 'ALLOWED' : 'DENIED'}`);
    for (const side of [p.egress, p.ingress]) {
      lines.push(`${side.direction}: ${side.summary}`);
      for (const policy of side.policies) {
        for (const r of policy.rules) if (r.matches) rules.push({ policy: r.policy, direction: r.direction, rule: r.rule, uri: r.at.uri, line: r.at.line });
      }
    }
  }
  return { allowed: report.allowed, lines, rules, report };
}

export function reachers(analysis: Analysis, summary: ReachSummary, id: string): ReachersResult {
  const group = analysis.workspace.podGroups.find((g) => g.id === id);
  if (group === undefined) return { target: id, sources: [] };
  const external = describeExternal(externalReachOf(analysis.reachability, group));
  return { target: id, sources: summary.reachableFrom(group).groups.map((g) => ({ id: g.id, replicas: g.replicas })), ...(external ? { external } : {}) };
}
