/**
 * Findings as text (file:line:col, like compilers print) and as JSON.
 */
import type { Finding, LineIndex, SourceSpan } from '../engine/index.js';

function where(span: SourceSpan, lineIndex: (file: string) => LineIndex): { line: number; column: number; endLine: number; endColumn: number } {
  const idx = lineIndex(span.file);
  const s = idx.positionAt(span.start);
  const e = idx.positionAt(span.end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export function formatFindingsText(findings: readonly Finding[], lineIndex: (file: string) => LineIndex): string {
  const lines: string[] = [];
  for (const f of findings) {
    const w = where(f.span, lineIndex);
    lines.push(`${f.span.file}:${w.line}:${w.column}: ${f.severity} ${f.code}: ${f.message}`);
    for (const r of f.related) {
      const rw = where(r.span, lineIndex);
      lines.push(`    ${r.span.file}:${rw.line}:${rw.column}: ${r.message}`);
    }
  }
  const count = (sev: string) => findings.filter((f) => f.severity === sev).length;
  lines.push(`${findings.length} finding(s): ${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} information.`);
  return lines.join('\n');
}

export function formatFindingsJson(findings: readonly Finding[], lineIndex: (file: string) => LineIndex): string {
  return JSON.stringify(
    {
      findings: findings.map((f) => ({
        file: f.span.file,
        ...where(f.span, lineIndex),
        severity: f.severity,
        code: f.code,
        message: f.message,
        related: f.related.map((r) => ({ file: r.span.file, ...where(r.span, lineIndex), message: r.message })),
      })),
    },
    null,
    2,
  );
}
