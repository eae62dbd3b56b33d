/**
 * A finding's identity across commits: its code, its file, the text it points
 * at and which occurrence of that text it is, never its line, so inserting
 * lines above it keeps it the same finding (SARIF partialFingerprints, baselines).
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../engine/index.js';

export function fingerprints(findings: readonly Finding[], text: (file: string) => string, displayPath: (file: string) => string): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${f.code}\u0000${displayPath(f.span.file)}\u0000${text(f.span.file).slice(f.span.start, f.span.end)}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}
