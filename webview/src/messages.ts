/**
 * Checks on what the extension host posts to the webview. The page trusts
 * nothing it has not checked: a malformed message is dropped, not half-used.
 */
import type { GraphData, GraphEdgeData, GraphFocus, GraphNodeData, GraphRuleData, HostToWebviewMessage, SourceLink } from '../../server/src/requests.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

function isSourceLink(v: unknown): v is SourceLink {
  return isObject(v) && isString(v['uri']) && Number.isInteger(v['line']) && (v['line'] as number) >= 0;
}

const NODE_KINDS = new Set(['namespace', 'workload', 'cidr', 'any']);

function isNode(v: unknown): v is GraphNodeData {
  return (
    isObject(v) &&
    isString(v['id']) &&
    NODE_KINDS.has(v['kind'] as string) &&
    isString(v['label']) &&
    optional(v['parent'], isString) &&
    optional(v['ref'], isString) &&
    optional(v['workloadKind'], isString) &&
    optional(v['replicas'], (n) => Number.isInteger(n)) &&
    optional(v['labels'], (l) => Array.isArray(l) && l.every((pair) => Array.isArray(pair) && pair.length === 2 && isString(pair[0]) && isString(pair[1]))) &&
    optional(v['ports'], isStringArray) &&
    optional(v['policies'], isStringArray) &&
    optional(v['services'], isStringArray) &&
    optional(v['isolatedIngress'], (b) => typeof b === 'boolean') &&
    optional(v['isolatedEgress'], (b) => typeof b === 'boolean') &&
    optional(v['hostNetwork'], (b) => typeof b === 'boolean') &&
    optional(v['source'], isSourceLink)
  );
}

function isRule(v: unknown): v is GraphRuleData {
  return isObject(v) && isString(v['policy']) && (v['direction'] === 'ingress' || v['direction'] === 'egress') && Number.isInteger(v['rule']) && isString(v['text']) && isString(v['decidesIn']) && isSourceLink(v['source']);
}

function isEdge(v: unknown): v is GraphEdgeData {
  return (
    isObject(v) &&
    isString(v['id']) &&
    isString(v['source']) &&
    isString(v['target']) &&
    isStringArray(v['ports']) &&
    typeof v['explicit'] === 'boolean' &&
    optional(v['aggregated'], (b) => typeof b === 'boolean') &&
    optional(v['allowAll'], (b) => typeof b === 'boolean') &&
    optional(v['byDefault'], (l) => Array.isArray(l) && l.every((d) => d === 'ingress' || d === 'egress')) &&
    optional(v['l7'], isStringArray) &&
    Array.isArray(v['rules']) &&
    v['rules'].every((i) => Number.isInteger(i) && i >= 0)
  );
}

/** A workspace name inside a reason: short, and plainly one value. */
const quote = (id: string): string => JSON.stringify(id.length > 120 ? `${id.slice(0, 120)}…` : id);

/**
 * Why the page cannot draw this graph, or undefined when it can: every node,
 * edge and rule well formed, every id (node or edge: cytoscape keeps one id
 * space) used once, edges joining nodes it has and citing rules it has,
 * parents that are nodes it has.
 */
export function graphProblem(v: unknown): string | undefined {
  if (!isObject(v) || !Number.isInteger(v['version']) || !Array.isArray(v['nodes']) || !Array.isArray(v['edges']) || !Array.isArray(v['rules'])) return 'it is not a graph (version, nodes, edges and rules expected)';
  const nodes = v['nodes'] as unknown[];
  const edges = v['edges'] as unknown[];
  const rules = v['rules'] as unknown[];
  const badNode = nodes.findIndex((n) => !isNode(n));
  if (badNode >= 0) return `node ${badNode + 1} of ${nodes.length} is malformed`;
  const badEdge = edges.findIndex((e) => !isEdge(e));
  if (badEdge >= 0) return `flow ${badEdge + 1} of ${edges.length} is malformed`;
  const badRule = rules.findIndex((r) => !isRule(r));
  if (badRule >= 0) return `rule ${badRule + 1} of ${rules.length} is malformed`;
  const ids = new Set<string>();
  for (const { id } of [...(nodes as GraphNodeData[]), ...(edges as GraphEdgeData[])]) {
    if (ids.has(id)) return `two elements have the id ${quote(id)}`;
    ids.add(id);
  }
  const nodeIds = new Set((nodes as GraphNodeData[]).map((n) => n.id));
  for (const n of nodes as GraphNodeData[]) {
    if (n.parent !== undefined && !nodeIds.has(n.parent)) return `node ${quote(n.id)} is inside ${quote(n.parent)}, which is not a node of the graph`;
  }
  for (const e of edges as GraphEdgeData[]) {
    const end = [e.source, e.target].find((id) => !nodeIds.has(id));
    if (end !== undefined) return `flow ${quote(e.id)} joins ${quote(end)}, which is not a node of the graph`;
    const rule = e.rules.find((i) => i >= rules.length);
    if (rule !== undefined) return `flow ${quote(e.id)} cites rule ${rule + 1}, but the graph has ${rules.length}`;
  }
  return undefined;
}

export const isGraph = (v: unknown): v is GraphData => graphProblem(v) === undefined;

/** For a graph message whose graph the page cannot draw: why. */
export function graphMessageProblem(v: unknown): string | undefined {
  return isObject(v) && v['type'] === 'graph' ? graphProblem(v['graph']) : undefined;
}

function isFocus(v: unknown): v is GraphFocus {
  return isObject(v) && isString(v['focus']) && optional(v['kind'], (k) => k === 'workload' || k === 'policy' || k === 'service');
}

export function isHostMessage(v: unknown): v is HostToWebviewMessage {
  if (!isObject(v)) return false;
  switch (v['type']) {
    case 'graph':
      return isGraph(v['graph']) && optional(v['focus'], isFocus);
    case 'focus':
      return isFocus(v['focus']);
    case 'exported':
      return (v['format'] === 'png' || v['format'] === 'svg') && isString(v['path']);
    default:
      return false;
  }
}
