/**
 * Checks on what the graph webview posts to the extension host. The page is
 * sandboxed but still untrusted input: it may only open files the graph
 * itself points at, and only hand over an image to save.
 */
import type { GraphData, GraphFocus, WebviewToHostMessage } from '../../server/src/requests.js';

/** Exports larger than this are refused rather than written. */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

export function isWebviewMessage(v: unknown): v is WebviewToHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  switch (m['type']) {
    case 'ready':
      return true;
    case 'open':
      return typeof m['uri'] === 'string' && Number.isInteger(m['line']) && (m['line'] as number) >= 0;
    case 'explain':
      return typeof m['source'] === 'string' && typeof m['destination'] === 'string';
    case 'export':
      if (typeof m['data'] !== 'string' || m['data'].length > MAX_EXPORT_BYTES) return false;
      if (m['format'] === 'png') return m['data'].startsWith('data:image/png;base64,');
      if (m['format'] === 'svg') return m['data'].startsWith('<svg');
      return false;
    default:
      return false;
  }
}

/** Every source location the graph links to: the only files the webview may ask to open. */
export function linkedUris(graph: GraphData): Set<string> {
  const uris = new Set<string>();
  for (const n of graph.nodes) if (n.source) uris.add(n.source.uri);
  for (const r of graph.rules) uris.add(r.source.uri);
  return uris;
}

/** The code lenses' argument, or a plain workload id from another command. */
export function asFocus(arg: unknown): GraphFocus | undefined {
  if (typeof arg === 'string') return { focus: arg };
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a['focus'] !== 'string') return undefined;
  const kind = a['kind'];
  if (kind === 'workload' || kind === 'policy' || kind === 'service') return { focus: a['focus'], kind };
  return { focus: a['focus'] };
}
