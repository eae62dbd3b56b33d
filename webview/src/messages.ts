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
  return isObject(v) && isString(v['policy']) && (v['direction'] === 'ingress' || v['direction'] === 'egress') && Number.isInteger(v['rule']) && isString(v['text']) && isSourceLink(v['source']);
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
    Array.isArray(v['rules']) &&
    v['rules'].every((i) => Number.isInteger(i) && i >= 0)
  );
}

/** A graph whose edges join nodes it has and cite rules it has, and whose parents are nodes it has. */
export function isGraph(v: unknown): v is GraphData {
  if (!isObject(v) || !Number.isInteger(v['version']) || !Array.isArray(v['nodes']) || !Array.isArray(v['edges']) || !Array.isArray(v['rules'])) return false;
  if (!v['nodes'].every(isNode) || !v['edges'].every(isEdge) || !v['rules'].every(isRule)) return false;
  const ruleCount = v['rules'].length;
  if (!(v['edges'] as GraphEdgeData[]).every((e) => e.rules.every((i) => i < ruleCount))) return false;
  const ids = new Set((v['nodes'] as GraphNodeData[]).map((n) => n.id));
  if (ids.size !== v['nodes'].length) return false;
  return (v['nodes'] as GraphNodeData[]).every((n) => n.parent === undefined || ids.has(n.parent)) && (v['edges'] as GraphEdgeData[]).every((e) => ids.has(e.source) && ids.has(e.target));
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
