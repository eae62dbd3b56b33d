/**
 * How far apart two names are, for "did you mean" and near misses. A leaf
 * module: the checks, explain and the quick fixes all import it.
 */

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Up to `count` candidates, nearest first by edit distance. */
export function closest(word: string, candidates: readonly string[], count: number): string[] {
  return [...candidates]
    .map((c) => ({ c, d: editDistance(word, c) }))
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, count)
    .map((x) => x.c);
}

const fold = (s: string) => s.toLowerCase().replace(/_/g, '-');

/**
 * A typo's distance: differences of case or of `-` against `_` count half a
 * character, so "Carts" or "cart_db" rank before a real one-letter slip.
 */
export function typoDistance(typed: string, candidate: string): number {
  if (typed === candidate) return 0;
  const folded = editDistance(fold(typed), fold(candidate));
  return folded === 0 ? 0.5 : folded + (editDistance(typed, candidate) > folded ? 0.5 : 0);
}

/**
 * The candidates a typo plausibly meant, nearest first, at most `count`:
 * within a third of the word's length (at least one character, at most three).
 */
export function didYouMean(typed: string, candidates: Iterable<string>, count = 3): string[] {
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  return [...new Set(candidates)]
    .filter((c) => c !== typed)
    .map((c) => ({ c, d: typoDistance(typed, c) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, count)
    .map((x) => x.c);
}
