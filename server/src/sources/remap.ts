/**
 * Moving findings off a rendered text (kustomize, Helm) onto the files the
 * user edits, given how one span moves.
 */
import type { Finding, SourceSpan } from '../engine/index.js';

export function remapFindings(virtualFile: string, findings: readonly Finding[], mapSpan: (span: SourceSpan) => SourceSpan): Finding[] {
  return findings.map((f) => {
    if (f.span.file !== virtualFile && !f.related.some((r) => r.span.file === virtualFile)) return f;
    const related = f.related.map((r) => ({ ...r, span: mapSpan(r.span) }));
    if (f.span.file !== virtualFile) return { ...f, related };
    // Fixes edit the rendered text, which the user never sees: leave them out.
    const { fixes: _fixes, ...rest } = f;
    return { ...rest, span: mapSpan(f.span), related };
  });
}
