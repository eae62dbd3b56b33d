/**
 * Checks on what the host posts to the explain page: a report of the shape
 * explainReport.ts writes, a what-if result, or an error text. Anything else
 * is dropped.
 */
import type { HostToExplainMessage, ReportDirection, ReportLink, ReportRule } from '../../server/src/requests.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isDirection = (v: unknown) => v === 'ingress' || v === 'egress';
const every = (v: unknown, check: (x: unknown) => boolean) => Array.isArray(v) && v.every(check);

function isLink(v: unknown): v is ReportLink {
  return isObject(v) && isString(v['uri']) && isIndex(v['line']) && isIndex(v['character']);
}

function isRule(v: unknown): v is ReportRule {
  return (
    isObject(v) &&
    isString(v['policy']) &&
    isDirection(v['direction']) &&
    isIndex(v['rule']) &&
    isString(v['text']) &&
    typeof v['ignored'] === 'boolean' &&
    typeof v['matches'] === 'boolean' &&
    isLink(v['at']) &&
    every(v['checks'], (c) => isObject(c) && typeof c['ok'] === 'boolean' && isString(c['text']) && isLink(c['at']))
  );
}

function isChange(v: unknown): boolean {
  return isObject(v) && isString(v['text']) && isLink(v['at']) && (v['fix'] === undefined || (isObject(v['fix']) && isString(v['fix']['title'])));
}

function isDirectionReport(v: unknown): v is ReportDirection {
  return (
    isObject(v) &&
    isDirection(v['direction']) &&
    isString(v['subject']) &&
    typeof v['isolated'] === 'boolean' &&
    typeof v['allowed'] === 'boolean' &&
    isString(v['summary']) &&
    every(v['policies'], (p) => isObject(p) && isString(p['policy']) && isLink(p['at']) && every(p['rules'], isRule)) &&
    every(v['ignored'], isRule) &&
    every(v['nearMisses'], (m) => isObject(m) && isString(m['policy']) && isDirection(m['direction']) && isIndex(m['rule']) && isString(m['text']) && isLink(m['at']) && every(m['changes'], isChange))
  );
}

function isPort(v: unknown): boolean {
  return (
    isObject(v) &&
    Number.isInteger(v['port']) &&
    isProtocol(v['protocol']) &&
    (v['portName'] === undefined || isString(v['portName'])) &&
    typeof v['allowed'] === 'boolean' &&
    isDirectionReport(v['egress']) &&
    isDirectionReport(v['ingress'])
  );
}

const isProtocol = (v: unknown) => v === 'TCP' || v === 'UDP' || v === 'SCTP';

function isFlowChange(v: unknown): boolean {
  return (
    isObject(v) &&
    (v['change'] === 'opened' || v['change'] === 'closed') &&
    isString(v['source']) &&
    isString(v['destination']) &&
    Number.isInteger(v['port']) &&
    isProtocol(v['protocol']) &&
    isString(v['why'])
  );
}

function isWhatIf(v: unknown): boolean {
  return (
    isObject(v) &&
    isString(v['base']) &&
    isIndex(v['opened']) &&
    isIndex(v['closed']) &&
    every(v['changes'], isFlowChange) &&
    (v['error'] === undefined || isString(v['error']))
  );
}

export function isExplainHostMessage(v: unknown): v is HostToExplainMessage {
  if (!isObject(v)) return false;
  if (v['type'] === 'error') return isString(v['message']);
  if (v['type'] === 'whatIf') return isWhatIf(v['result']);
  if (v['type'] !== 'explain' || !isObject(v['report'])) return false;
  const r = v['report'];
  return isString(r['source']) && isString(r['destination']) && typeof r['allowed'] === 'boolean' && every(r['ports'], isPort);
}
