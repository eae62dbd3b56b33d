/**
 * An explanation as plain data with line numbers (for JSON, the LSP request
 * and the explain view) and as text lines (for the CLI and the output log).
 */
import { actionWord, describeRule, describeTierPlace, tieredRuleName } from './describe.js';
import type { ConnectionExplanation, DirectionExplanation, NearMiss, RuleTrace } from './explainConnection.js';
import type { PolicyModel, PolicyRule } from './model.js';
import type { Fix } from './rules.js';
import type { LineIndex, SourceSpan } from './source.js';

export interface ReportLink {
  readonly uri: string;
  /** 0-based, like LSP positions. */
  readonly line: number;
  readonly character: number;
}

export interface ReportEdit {
  readonly uri: string;
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
  readonly newText: string;
}

export interface ReportFix {
  readonly title: string;
  readonly edits: readonly ReportEdit[];
}

export interface ReportRule {
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  /** 0-based position in the policy's ingress or egress list. */
  readonly rule: number;
  /** The rule in plain English. */
  readonly text: string;
  readonly ignored: boolean;
  readonly matches: boolean;
  /** A deny rule (ingressDeny/egressDeny): matching drops the connection. */
  readonly deny?: true;
  /** A cluster-wide tiered rule: its action as written (Allow, Accept, Deny, Pass), tier and priority. */
  readonly action?: string;
  readonly tier?: 'admin' | 'baseline';
  readonly priority?: number;
  readonly at: ReportLink;
  readonly checks: ReadonlyArray<{ readonly ok: boolean; readonly text: string; readonly at: ReportLink }>;
}

export interface ReportNearMiss {
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: number;
  readonly text: string;
  readonly at: ReportLink;
  readonly changes: ReadonlyArray<{ readonly text: string; readonly at: ReportLink; readonly fix?: ReportFix }>;
}

export interface ReportDirection {
  readonly direction: 'ingress' | 'egress';
  readonly subject: string;
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** One sentence: the verdict and why. */
  readonly summary: string;
  readonly policies: ReadonlyArray<{ readonly policy: string; readonly at: ReportLink; readonly rules: readonly ReportRule[] }>;
  readonly ignored: readonly ReportRule[];
  readonly nearMisses: readonly ReportNearMiss[];
  /** Deny rules of policies selecting the subject; present only when there are some. */
  readonly denials?: readonly ReportRule[];
  /** Present when cluster-wide tiered policies select the subject: their rules in evaluation order and what decided. */
  readonly tiers?: { readonly decidedBy: 'rule' | 'networkpolicy' | 'default'; readonly rules: readonly ReportRule[] };
}

export interface ReportPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly portName?: string;
  readonly allowed: boolean;
  readonly egress: ReportDirection;
  readonly ingress: ReportDirection;
}

export interface ExplainReport {
  readonly source: string;
  readonly destination: string;
  /** Allowed on at least one of the ports explained. */
  readonly allowed: boolean;
  /** A single pod to itself: always allowed. */
  readonly toItself: boolean;
  readonly ports: readonly ReportPort[];
}

type Lines = (file: string) => LineIndex;

function link(lines: Lines, span: SourceSpan): ReportLink {
  const p = lines(span.file).positionAt(span.start);
  return { uri: span.file, line: p.line, character: p.character };
}

function fixReport(lines: Lines, fix: Fix): ReportFix {
  return {
    title: fix.title,
    edits: fix.edits.map((e) => ({ uri: e.span.file, start: lines(e.span.file).positionAt(e.span.start), end: lines(e.span.file).positionAt(e.span.end), newText: e.newText })),
  };
}

/** Which rule, in words and where: the head of a traced rule and of a near miss alike. */
function ruleHead(lines: Lines, policy: PolicyModel, rule: PolicyRule) {
  return { policy: policy.id, direction: rule.direction, rule: rule.index, text: describeRule(policy, rule), at: link(lines, rule.span) };
}

function ruleReport(lines: Lines, t: RuleTrace): ReportRule {
  return {
    ...ruleHead(lines, t.policy, t.rule),
    ignored: t.ignored,
    matches: t.matches,
    ...(t.rule.deny ? { deny: true as const } : {}),
    ...(t.policy.tier === undefined ? {} : { action: actionWord(t.policy, t.rule), tier: t.policy.tier.tier, priority: t.policy.tier.priority }),
    checks: t.checks.map((ch) => ({ ok: ch.ok, text: ch.text, at: link(lines, ch.span) })),
  };
}

function nearMissReport(lines: Lines, m: NearMiss): ReportNearMiss {
  return {
    ...ruleHead(lines, m.policy, m.rule),
    changes: m.changes.map((ch) => ({ text: ch.text, at: link(lines, ch.span), ...(ch.fix ? { fix: fixReport(lines, ch.fix) } : {}) })),
  };
}

/** One sentence: the verdict of one side and why. */
export function directionSummary(d: DirectionExplanation): string {
  const tiers = d.tiers;
  if (tiers === undefined) return namespacedSummary(d);
  const passed = tiers.passed.map((t) => `passed on by ${tieredRuleName(t.policy, t.rule)}; `).join('');
  if (tiers.rule !== undefined) {
    const { policy, rule } = tiers.rule;
    const after =
      policy.tier?.tier === 'admin'
        ? 'which no NetworkPolicy can override'
        : d.ordered !== undefined
          ? `as Calico's tiers pass it on for ${d.subject}'s ${d.direction}`
          : `as no NetworkPolicy selects ${d.subject} for ${d.direction}`;
    return `${passed}${d.allowed ? 'allowed' : 'denied'}: by ${tieredRuleName(policy, rule)}, ${actionWord(policy, rule)} in ${describeTierPlace(policy)}, ${after}.`;
  }
  if (tiers.decidedBy === 'default' && d.ordered === undefined) return `${passed}allowed: no admin or baseline rule decides it and no policy isolates ${d.subject} for ${d.direction}.`;
  return `${passed}${namespacedSummary(d)}`;
}

function namespacedSummary(d: DirectionExplanation): string {
  const denying = (d.denials ?? []).filter((r) => r.matches).map((r) => `${r.policy.id} ${d.direction}Deny rule ${r.rule.index + 1}`);
  if (denying.length > 0) return `denied: by ${denying.join(', ')}, and a deny rule wins over any allow.`;
  const o = d.ordered;
  if (o !== undefined) {
    if (o.by === 'rule') return `${o.action === 'allow' ? 'allowed' : 'denied'}: by ${o.policy.id} ${d.direction} rule ${o.rule.index + 1} (${o.action === 'allow' ? 'Allow' : 'Deny'}), the first rule that matches in tier and policy order.`;
    if (o.by === 'end-of-tier') return `denied: no rule of tier ${o.tier} decides it, and a tier that applies drops what it does not decide.`;
    return `allowed: passed out of the last tier to the namespace's profile, which allows.`;
  }
  if (!d.isolated) {
    const why = d.policies.length === 0 && d.subject.includes('/') ? `no policy selects ${d.subject} for ${d.direction}` : `${d.subject} is not a pod`;
    return `allowed: ${why}, so it is not isolated for ${d.direction}.`;
  }
  const by = d.policies.map((p) => p.policy.id).join(', ');
  const allowing = d.policies.flatMap((p) => p.rules.filter((r) => r.matches).map((r) => `${r.policy.id} ${d.direction} rule ${r.rule.index + 1}`));
  return allowing.length > 0 ? `allowed: isolated by ${by}; allowed by ${allowing.join(', ')}.` : `denied: isolated by ${by}, and no ${d.direction} rule of ${by.includes(',') ? 'them' : 'it'} admits this.`;
}

function directionReport(lines: Lines, d: DirectionExplanation): ReportDirection {
  return {
    direction: d.direction,
    subject: d.subject,
    isolated: d.isolated,
    allowed: d.allowed,
    summary: directionSummary(d),
    policies: d.policies.map((p) => ({ policy: p.policy.id, at: link(lines, p.policy.nameSpan), rules: p.rules.map((r) => ruleReport(lines, r)) })),
    ignored: d.ignored.map((r) => ruleReport(lines, r)),
    nearMisses: d.nearMisses.map((m) => nearMissReport(lines, m)),
    ...(d.denials === undefined ? {} : { denials: d.denials.map((r) => ruleReport(lines, r)) }),
    ...(d.tiers === undefined ? {} : { tiers: { decidedBy: d.tiers.decidedBy, rules: d.tiers.rules.map((r) => ruleReport(lines, r)) } }),
  };
}

export function explanationReport(e: ConnectionExplanation, lines: Lines): ExplainReport {
  const ports = e.ports.map((p) => ({
    port: p.port,
    protocol: p.protocol,
    ...(p.portName !== undefined ? { portName: p.portName } : {}),
    allowed: p.allowed,
    egress: directionReport(lines, p.egress),
    ingress: directionReport(lines, p.ingress),
  }));
  return { source: e.source, destination: e.destination, allowed: ports.some((p) => p.allowed), toItself: e.toItself, ports };
}

const where = (at: ReportLink) => `${at.uri}:${at.line + 1}:${at.character + 1}`;

/** The report as indented text, one port after another. */
export function formatExplainReport(r: ExplainReport): string[] {
  const out: string[] = [];
  if (r.toItself) out.push(`${r.source} is a single pod: a pod can always reach itself, whatever the policies say.`);
  for (const p of r.ports) {
    out.push(`${r.source} → ${r.destination} on ${p.protocol} ${p.port}${p.portName ? ` (${p.portName})` : ''}: ${p.allowed ? 'ALLOWED' : 'DENIED'}`);
    for (const d of [p.egress, p.ingress]) {
      out.push(`  ${d.direction} of ${d.subject}: ${d.summary}`);
      for (const policy of d.policies) {
        if (policy.rules.length === 0) out.push(`    ${policy.policy} (${where(policy.at)}) has no ${d.direction} rules: it admits nothing.`);
        for (const rule of policy.rules) pushRule(out, rule);
      }
      for (const rule of d.ignored) pushRule(out, rule);
      for (const rule of d.denials ?? []) pushRule(out, rule);
      for (const rule of d.tiers?.rules ?? []) pushRule(out, rule);
      if (d.nearMisses.length > 0) out.push(`    closest misses:`);
      for (const m of d.nearMisses) {
        out.push(`      ${m.policy} ${m.direction} rule ${m.rule + 1} (${where(m.at)}), ${m.text}, would admit it if:`);
        for (const ch of m.changes) out.push(`        - ${ch.text} (${where(ch.at)})${ch.fix ? ` [quick fix: ${ch.fix.title}]` : ''}`);
      }
    }
  }
  return out;
}

function pushRule(out: string[], rule: ReportRule): void {
  const state = rule.ignored ? 'ignored (policyTypes leaves it out)' : rule.matches ? 'matches' : 'does not match';
  const list = rule.deny ? `${rule.direction}Deny` : rule.action !== undefined ? `${rule.direction} ${rule.action}` : rule.direction;
  const verdict = rule.deny && rule.matches ? 'matches: denied' : state;
  const place = rule.tier === undefined ? '' : ` (${rule.tier} tier, priority ${rule.priority})`;
  out.push(`    ${rule.policy}${place} ${list} rule ${rule.rule + 1} (${where(rule.at)}), ${rule.text}: ${verdict}`);
  for (const ch of rule.checks) out.push(`      ${ch.ok ? '✓' : '✗'} ${ch.text}`);
}
