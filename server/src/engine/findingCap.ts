/**
 * Bounds on what one document can make the engine say. A crafted file can
 * hold thousands of identical entries, and pairwise checks then find millions
 * of overlaps: past a few dozen of one code, more findings tell the reader
 * nothing new and cost memory and time in every editor round trip.
 */
import { finding, type Finding, type RuleCode } from './rules.js';

/** Findings of one code kept per document; the rest are counted in one summary finding. */
export const MAX_FINDINGS_PER_CODE = 50;

/**
 * Appends items one by one: `push(...items)` passes every item as an argument,
 * and an array of a few hundred thousand overflows the call stack.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/**
 * Keeps the first MAX_FINDINGS_PER_CODE findings of each code, in order, and
 * adds one finding per code saying how many more there were, at the last kept one.
 */
export function capFindings(findings: readonly Finding[], scope: 'document' | 'file' = 'document'): Finding[] {
  const counts = new Map<RuleCode, number>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const n = (counts.get(f.code) ?? 0) + 1;
    counts.set(f.code, n);
    if (n <= MAX_FINDINGS_PER_CODE) kept.push(f);
  }
  for (const [code, n] of counts) {
    if (n <= MAX_FINDINGS_PER_CODE) continue;
    const last = kept.filter((f) => f.code === code).at(-1)!;
    kept.push(finding(code, last.span, { says: `${n - MAX_FINDINGS_PER_CODE} more ${code} findings in this ${scope} are not shown (${n} in all).`, next: 'Fix the ones above first.' }));
  }
  return kept;
}

/** capFindings applied to each file's findings separately; the files keep their order. */
export function capFindingsPerFile(findings: readonly Finding[]): Finding[] {
  // The usual case, found by counting alone: no file has more than the cap, and the findings keep their order.
  if (findings.length <= MAX_FINDINGS_PER_CODE) return [...findings];
  const counts = new Map<string, number>();
  let over = false;
  for (const f of findings) {
    const n = (counts.get(f.span.file) ?? 0) + 1;
    counts.set(f.span.file, n);
    if (n > MAX_FINDINGS_PER_CODE) over = true;
  }
  if (!over) return [...findings];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.span.file);
    if (list === undefined) byFile.set(f.span.file, [f]);
    else list.push(f);
  }
  const out: Finding[] = [];
  for (const list of byFile.values()) appendAll(out, list.length > MAX_FINDINGS_PER_CODE ? capFindings(list, 'file') : list);
  return out;
}
