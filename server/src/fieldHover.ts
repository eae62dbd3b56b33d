/**
 * Hovers on the keys of a NetworkPolicy (policyTypes, ingress, egress, from,
 * to, ports): what that field does in this policy, with its ignored rules and
 * the additive semantics spelt out. Found from the text under the cursor, so
 * it works on any layout the model was read from.
 */
import { describePeer, describePort, type Analysis, type PolicyModel, type PolicyRule, type ReachSummary, type SourceSpan } from './engine/index.js';
import { spanContains } from './positions.js';

const FIELDS = new Set(['policyTypes', 'ingress', 'egress', 'from', 'to', 'ports']);

export interface FieldHover {
  /** Plain text: the caller escapes it for markdown. */
  readonly lines: readonly string[];
  readonly span: SourceSpan;
}

/** The key under the cursor when it is one of FIELDS followed by a colon. */
function keyAt(uri: string, text: string, offset: number): { key: string; span: SourceSpan } | undefined {
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  const key = text.slice(start, end);
  if (!FIELDS.has(key) || !/^\s*:/.test(text.slice(end, end + 3))) return undefined;
  return { key, span: { file: uri, start, end } };
}

function pods(n: number): string {
  return `${n} pod${n === 1 ? '' : 's'}`;
}

function directionField(policy: PolicyModel, direction: 'ingress' | 'egress', selected: number, text: string, keyEnd: number): string[] {
  const affects = direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
  const rules = direction === 'ingress' ? policy.ingress : policy.egress;
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const into = direction === 'ingress' ? 'into' : 'out of';
  if (!affects) {
    const ignored = policy.ignoredRules.filter((r) => r.direction === direction).length;
    const them = ignored === 1 ? 'it' : 'them';
    return [`${direction}: ignored. policyTypes has no ${type}, so Kubernetes ignores ${ignored === 1 ? 'this rule' : `these ${ignored} rules`}; add ${type} to policyTypes to apply ${them}.`];
  }
  if (rules.length === 0) {
    const emptyList = /^\s*:\s*\[\s*\]/.test(text.slice(keyEnd));
    return [
      `${direction}: ${emptyList ? '[] —' : 'no rules —'} this policy allows no traffic ${into} the ${pods(selected)} it selects; it only isolates them for ${direction}.`,
      `They still get whatever other policies selecting them allow.`,
    ];
  }
  return [
    `${direction}: ${rules.length} rule${rules.length === 1 ? '' : 's'} for traffic ${into} the ${pods(selected)} this policy selects.`,
    `A connection is allowed when it matches any rule, of this or any other policy selecting the pod; each rule needs one of its ${direction === 'ingress' ? 'from' : 'to'} peers and one of its ports.`,
  ];
}

function ruleAt(policy: PolicyModel, offset: number): PolicyRule | undefined {
  return [...policy.ingress, ...policy.egress, ...policy.ignoredRules].find((r) => spanContains(r.span, offset));
}

function ruleName(rule: PolicyRule, policy: PolicyModel): string {
  const ignored = policy.ignoredRules.includes(rule) ? ` (ignored: policyTypes has no ${rule.direction === 'ingress' ? 'Ingress' : 'Egress'})` : '';
  return `${rule.direction} rule ${rule.index + 1}${ignored}`;
}

export function fieldHoverAt(analysis: Analysis, summary: ReachSummary, uri: string, text: string, offset: number): FieldHover | undefined {
  const key = keyAt(uri, text, offset);
  if (key === undefined) return undefined;
  const policy = analysis.workspace.policies.find((p) => p.span.file === uri && spanContains(p.span, offset));
  if (policy === undefined) return undefined;
  const selected = summary.selectedBy(policy).pods;
  let lines: string[];
  switch (key.key) {
    case 'policyTypes': {
      const types = [policy.affectsIngress ? 'Ingress' : undefined, policy.affectsEgress ? 'Egress' : undefined].filter((t) => t !== undefined);
      const ignored = policy.ignoredRules.length;
      lines = [
        types.length === 0
          ? 'policyTypes: this policy isolates nothing and allows nothing.'
          : `policyTypes: the ${pods(selected)} this policy selects ${selected === 1 ? 'is' : 'are'} isolated for ${types.join(' and ').toLowerCase()}: only traffic some policy allows gets through in ${types.length === 1 ? 'that direction' : 'those directions'}.`,
        ...(ignored > 0 ? [`${ignored} rule${ignored === 1 ? ' is' : 's are'} ignored, written for a direction not listed here.`] : []),
      ];
      break;
    }
    case 'ingress':
    case 'egress':
      lines = directionField(policy, key.key, selected, text, key.span.end);
      break;
    case 'from':
    case 'to': {
      const rule = ruleAt(policy, offset);
      if (rule === undefined) return undefined;
      lines =
        rule.peers === undefined
          ? [`${key.key}: empty, so ${ruleName(rule, policy)} admits every peer, inside and outside the cluster.`]
          : [`${key.key}: ${ruleName(rule, policy)} admits traffic ${key.key} any one of: ${rule.peers.map((p) => describePeer(policy, p)).join('; ')}.`];
      break;
    }
    case 'ports': {
      const rule = ruleAt(policy, offset);
      if (rule === undefined) return undefined;
      lines =
        rule.ports === undefined
          ? [`ports: empty, so ${ruleName(rule, policy)} admits every port and protocol.`]
          : [
              `ports: ${ruleName(rule, policy)} admits only ${rule.ports.map(describePort).join(' or ')}.`,
              ...(rule.ports.some((m) => m.kind === 'named') ? ['A named port is looked up on the destination pod: the selected pods for ingress, the peers for egress.'] : []),
            ];
      break;
    }
    default:
      return undefined;
  }
  return { lines, span: key.span };
}
