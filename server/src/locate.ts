/**
 * What sits under the cursor: the innermost model object (or CIDR text)
 * whose span contains the offset. Hover, completion and code actions start here.
 */
import { parsePrefix, parseIP, type Analysis, type PeerMatcher, type PodGroup, type PolicyModel, type PolicyRule, type ServiceModel, type SourceSpan } from './engine/index.js';
import { spanContains } from './positions.js';

export type Target =
  | { kind: 'policy'; policy: PolicyModel; span: SourceSpan }
  | { kind: 'policySelector'; policy: PolicyModel; span: SourceSpan }
  | { kind: 'peer'; policy: PolicyModel; rule: PolicyRule; peer: PeerMatcher; span: SourceSpan }
  | { kind: 'service'; service: ServiceModel; span: SourceSpan }
  | { kind: 'serviceSelector'; service: ServiceModel; span: SourceSpan }
  | { kind: 'workload'; group: PodGroup; span: SourceSpan }
  | { kind: 'cidr'; text: string; span: SourceSpan };

export function targetAt(analysis: Analysis, uri: string, text: string, offset: number): Target | undefined {
  const candidates: Target[] = [];
  const ws = analysis.workspace;
  const inFile = (s: SourceSpan) => s.file === uri && spanContains(s, offset);
  for (const policy of ws.policies) {
    if (!inFile(policy.span)) continue;
    if (inFile(policy.nameSpan)) candidates.push({ kind: 'policy', policy, span: policy.nameSpan });
    if (inFile(policy.podSelector.span)) candidates.push({ kind: 'policySelector', policy, span: policy.podSelector.span });
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) if (inFile(peer.span)) candidates.push({ kind: 'peer', policy, rule, peer, span: peer.span });
    }
  }
  for (const service of ws.services) {
    if (!inFile(service.span)) continue;
    if (inFile(service.nameSpan)) candidates.push({ kind: 'service', service, span: service.nameSpan });
    if (service.selector && inFile(service.selector.span)) candidates.push({ kind: 'serviceSelector', service, span: service.selector.span });
  }
  for (const group of ws.podGroups) if (inFile(group.nameSpan)) candidates.push({ kind: 'workload', group, span: group.nameSpan });
  const cidr = cidrAt(uri, text, offset);
  if (cidr) candidates.push(cidr);
  // Innermost wins: the shortest span.
  candidates.sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start));
  return candidates[0];
}

/** An IP or CIDR written under the cursor, wherever it is (policies, Services, CNI configs). */
function cidrAt(uri: string, text: string, offset: number): Target | undefined {
  const isChar = (c: string | undefined) => c !== undefined && /[0-9A-Fa-f.:/]/.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isChar(text[start - 1])) start--;
  while (end < text.length && isChar(text[end])) end++;
  const word = text.slice(start, end);
  if (!/[.:]/.test(word) || word.length < 3) return undefined;
  const valid = word.includes('/') ? parsePrefix(word).ok : parseIP(word).ok;
  return valid ? { kind: 'cidr', text: word, span: { file: uri, start, end } } : undefined;
}
