/**
 * Overlapping intervals by sort-and-sweep: O(n log n) plus the pairs found,
 * where comparing every pair is quadratic even when nothing overlaps.
 */

export interface SweepInterval {
  readonly first: bigint;
  readonly last: bigint;
  /** Intervals with different keys never overlap (an address family). */
  readonly key: number;
  /** With crossGroupsOnly, pairs within one group are not wanted (a range's role). */
  readonly group: string;
}

/**
 * Index pairs [i, j], i < j, of intervals that share a key and overlap;
 * with crossGroupsOnly, only pairs of different groups. In no set order.
 */
export function overlappingPairs(intervals: readonly SweepInterval[], crossGroupsOnly: boolean): Array<[number, number]> {
  const order = intervals.map((_, i) => i);
  order.sort((a, b) => {
    const x = intervals[a]!;
    const y = intervals[b]!;
    return x.key - y.key || (x.first < y.first ? -1 : x.first > y.first ? 1 : a - b);
  });
  const pairs: Array<[number, number]> = [];
  // Intervals begun and perhaps not yet ended, per group; ended ones are dropped when next scanned.
  let active = new Map<string, number[]>();
  let key: number | undefined;
  for (const j of order) {
    const current = intervals[j]!;
    if (current.key !== key) {
      active = new Map();
      key = current.key;
    }
    const own = crossGroupsOnly ? current.group : '';
    for (const [group, list] of active) {
      if (group === own && crossGroupsOnly) continue;
      let kept = 0;
      for (const i of list) {
        if (intervals[i]!.last < current.first) continue;
        list[kept++] = i;
        pairs.push(i < j ? [i, j] : [j, i]);
      }
      list.length = kept;
    }
    const list = active.get(own);
    if (list === undefined) active.set(own, [j]);
    else list.push(j);
  }
  return pairs;
}

export const byFirstThenSecond = (a: readonly [number, number], b: readonly [number, number]): number => a[0] - b[0] || a[1] - b[1];
