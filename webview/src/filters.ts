/**
 * What the toolbar filters keep. Port labels come from the server in a few
 * fixed shapes ("TCP 80", "TCP 80 (http)", "TCP 1000-2000", "all TCP ports",
 * "any TCP port", "any port", `TCP port "http"`); a filter keeps an edge when
 * one of its labels admits the asked protocol and port.
 */
import type { GraphEdgeData, GraphNodeData } from '../../server/src/requests.js';

/**
 * Which flows become edges: allow-all flows as badges on their nodes (the
 * default), allow-all flows as edges too, or only flows a rule allows by
 * naming its peers.
 */
export type FlowView = 'badges' | 'edges' | 'explicit';

export interface Filters {
  readonly flows: FlowView;
  readonly namespace: string;
  readonly protocol: string;
  readonly port: number | undefined;
  readonly showDefault: boolean;
  readonly search: string;
}

export const NO_FILTERS: Filters = { flows: 'badges', namespace: '', protocol: '', port: undefined, showDefault: true, search: '' };

export function portLabelAdmits(label: string, protocol: string, port: number | undefined): boolean {
  if (label === 'any port') return true;
  const whole = /^(?:all (\w+) ports|any (\w+) port)$/.exec(label);
  if (whole) return protocol === '' || protocol === (whole[1] ?? whole[2]);
  const numeric = /^(\w+) (\d+)(?:-(\d+))?(?: \(.*\))?$/.exec(label);
  if (numeric) {
    if (protocol !== '' && protocol !== numeric[1]) return false;
    if (port === undefined) return true;
    const from = Number(numeric[2]);
    const to = numeric[3] === undefined ? from : Number(numeric[3]);
    return from <= port && port <= to;
  }
  // A named port the server could not resolve: it can only answer "which protocol".
  const named = /^(\w+) port "/.exec(label);
  return named !== null && port === undefined && (protocol === '' || protocol === named[1]);
}

export function edgePasses(edge: GraphEdgeData, f: Filters): boolean {
  if (!f.showDefault && !edge.explicit) return false;
  if (f.flows === 'explicit' && (!edge.explicit || edge.allowAll === true)) return false;
  if (f.flows === 'badges' && edge.allowAll === true) return false;
  if (f.protocol === '' && f.port === undefined) return true;
  return edge.ports.some((label) => portLabelAdmits(label, f.protocol, f.port));
}

/** Case-insensitive match on a node's name, "namespace/name", kind and labels. */
export function nodeMatches(node: GraphNodeData, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (q === '') return true;
  const haystack = [node.label, node.ref ?? '', node.workloadKind ?? '', ...(node.labels ?? []).map(([k, v]) => `${k}=${v}`)];
  return haystack.some((s) => s.toLowerCase().includes(q));
}
