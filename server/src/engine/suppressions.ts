/**
 * Suppression comments, the way linters take them:
 *   # netlens-disable-next-line CODE[, CODE]   the next line
 *   # netlens-disable CODE[, CODE]             from here to the end of the file
 * and per-path rules from the workspace's .netlens.yaml (for .conflist JSON,
 * which has no comments). A comment that silences nothing is itself reported,
 * as a hint, so stale ones do not pile up.
 */
import { finding, RULES, type Finding, type RuleCode, type Severity } from './rules.js';

export interface SuppressionComment {
  readonly file: string;
  readonly code: string;
  /** Where the code is written in the comment: the unused-suppression hint goes there. */
  readonly start: number;
  readonly end: number;
  /** The offsets whose findings it silences: [from, to). */
  readonly from: number;
  readonly to: number;
}

// `#` opens a YAML comment only at the start of a line or after whitespace.
const COMMENT = /(?:^|[ \t])#[ \t]*netlens-disable(-next-line)?[ \t]+([^\n#]*)/gm;
const CODE_TOKEN = /[A-Za-z0-9-]+/g;

/** The suppression comments of one file. JSON files have none (JSON has no comments). */
export function readSuppressionComments(file: string, text: string): SuppressionComment[] {
  if (!text.includes('netlens-disable')) return [];
  const out: SuppressionComment[] = [];
  for (const m of text.matchAll(COMMENT)) {
    const listStart = m.index + m[0].length - m[2]!.length;
    const lineEnd = text.indexOf('\n', m.index + 1);
    let from: number;
    let to: number;
    if (m[1] !== undefined) {
      from = lineEnd === -1 ? text.length : lineEnd + 1;
      const nextEnd = text.indexOf('\n', from);
      to = nextEnd === -1 ? text.length : nextEnd + 1;
    } else {
      from = m.index;
      to = Number.POSITIVE_INFINITY;
    }
    for (const c of m[2]!.matchAll(CODE_TOKEN)) {
      out.push({ file, code: c[0], start: listStart + c.index, end: listStart + c.index + c[0].length, from, to });
    }
  }
  return out;
}

export interface SuppressionSources {
  /** The suppression comments of a file (callers cache them per text). */
  readonly commentsOf: (file: string) => readonly SuppressionComment[];
  /** The codes .netlens.yaml silences for a file. */
  readonly codesForPath?: (file: string) => readonly string[];
  /** The severities .netlens.yaml's overrides set for a file ("off" drops the finding). */
  readonly severitiesForPath?: (file: string) => Readonly<Partial<Record<RuleCode, Severity | 'off'>>>;
}

const isRule = (code: string): code is RuleCode => Object.prototype.hasOwnProperty.call(RULES, code);

/**
 * The findings left once suppressions apply, plus one `suppression-unused`
 * hint per comment code that silenced nothing.
 */
export function applySuppressions(findings: readonly Finding[], files: Iterable<string>, sources: SuppressionSources): Finding[] {
  // By place, not identity: callers may read the comments afresh on each call.
  const used = new Set<string>();
  const place = (c: SuppressionComment) => `${c.file}\u0000${c.start}`;
  const kept: Finding[] = [];
  for (const f of findings) {
    if (sources.codesForPath?.(f.span.file).includes(f.code)) continue;
    const silencer = sources.commentsOf(f.span.file).find((c) => c.code === f.code && f.span.start >= c.from && f.span.start < c.to);
    if (silencer !== undefined) {
      used.add(place(silencer));
      continue;
    }
    const severity = sources.severitiesForPath?.(f.span.file)[f.code];
    if (severity === 'off') continue;
    kept.push(severity === undefined ? f : { ...f, severity, severityFromProject: true });
  }
  for (const file of files) {
    for (const c of sources.commentsOf(file)) {
      if (used.has(place(c))) continue;
      const span = { file, start: c.start, end: c.end };
      const where = c.to === Number.POSITIVE_INFINITY ? 'in the rest of this file' : 'on the next line';
      kept.push(
        finding(
          'suppression-unused',
          span,
          isRule(c.code)
            ? `Nothing reports ${c.code} ${where}, so this suppression does nothing: remove it.`
            : `Netlens has no rule ${c.code}, so this suppression does nothing: fix the code (netlens explain-code lists them) or remove it.`,
        ),
      );
    }
  }
  return kept;
}
