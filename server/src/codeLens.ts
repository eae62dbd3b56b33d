/**
 * Code lenses: above each workload "reachable from N pods · can reach M pods",
 * above each policy "selects N pods · allows ingress from M pods", above each
 * Service "N endpoints · reachable from M pods". Clicking opens the graph
 * focused on the object (a client command).
 */
import type { CodeLens } from 'vscode-languageserver';
import { serviceEndpoints, type Analysis, type LineIndex, type ReachSummary } from './engine/index.js';
import { toRange } from './positions.js';

export const SHOW_GRAPH_COMMAND = 'netlens.showGraph';

function pods(n: number): string {
  return `${n} pod${n === 1 ? '' : 's'}`;
}

export function codeLenses(analysis: Analysis, summary: ReachSummary, uri: string, lineIndex: LineIndex): CodeLens[] {
  const lenses: CodeLens[] = [];
  const ws = analysis.workspace;
  const at = (span: { start: number }) => {
    const r = toRange(lineIndex, { start: span.start, end: span.start });
    return { start: { line: r.start.line, character: 0 }, end: { line: r.start.line, character: 0 } };
  };
  for (const g of ws.podGroups) {
    if (g.span.file !== uri) continue;
    const title = g.hostNetwork
      ? 'host network: not subject to NetworkPolicy'
      : `reachable from ${pods(summary.reachableFromCount(g))} · can reach ${pods(summary.canReachCount(g))}`;
    lenses.push({ range: at(g.span), command: { title, command: SHOW_GRAPH_COMMAND, arguments: [{ focus: g.id }] } });
  }
  for (const p of ws.policies) {
    if (p.span.file !== uri) continue;
    const parts = [`selects ${pods(summary.selectedBy(p).pods)}`];
    if (p.affectsIngress) parts.push(p.ingress.length === 0 ? 'denies all ingress' : `allows ingress from ${pods(summary.ingressAllowedFrom(p).pods)}`);
    lenses.push({ range: at(p.span), command: { title: parts.join(' · '), command: SHOW_GRAPH_COMMAND, arguments: [{ focus: p.id, kind: 'policy' }] } });
  }
  for (const s of ws.services) {
    if (s.span.file !== uri) continue;
    const endpoints = serviceEndpoints(s, ws.podGroups).reduce((n, e) => n + e.group.replicas, 0);
    const title = s.type === 'ExternalName' ? `alias for ${s.externalName ?? '?'}` : `${endpoints} endpoint${endpoints === 1 ? '' : 's'} · reachable from ${pods(summary.serviceReachableFrom(s).pods)}`;
    lenses.push({ range: at(s.span), command: { title, command: SHOW_GRAPH_COMMAND, arguments: [{ focus: s.id, kind: 'service' }] } });
  }
  return lenses;
}
