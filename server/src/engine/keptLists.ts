/**
 * Work over a list (the workspace's policies) carried from its last version
 * to the next. An edit replaces one stretch of the list: the files keep their
 * order and an edited file's unchanged documents keep their objects, so the
 * lists share a head and a tail. What was worked out for items in those is
 * kept, and only the stretch between is looked at. A leaf module.
 */

/** The stretch that differs: `last[head, lastEnd)` became `next[head, nextEnd)`; the items after are the same in both. */
export interface ListEdit {
  readonly head: number;
  readonly lastEnd: number;
  readonly nextEnd: number;
}

/**
 * Answers by the two lists (which are never changed): the checks and the reachability of one analysis ask
 * about the same two several times. Weak both ways, so no list is kept alive for it.
 */
const edits = new WeakMap<readonly unknown[], WeakMap<readonly unknown[], ListEdit>>();

export function listEdit<T>(last: readonly T[], next: readonly T[]): ListEdit {
  let fromLast = edits.get(last);
  if (fromLast === undefined) edits.set(last, (fromLast = new WeakMap()));
  let edit = fromLast.get(next);
  if (edit === undefined) fromLast.set(next, (edit = findEdit(last, next)));
  return edit;
}

function findEdit<T>(last: readonly T[], next: readonly T[]): ListEdit {
  const shorter = Math.min(last.length, next.length);
  let head = 0;
  while (head < shorter && last[head] === next[head]) head++;
  let tail = 0;
  while (tail < shorter - head && last[last.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
  return { head, lastEnd: last.length - tail, nextEnd: next.length - tail };
}

/**
 * The items of a list that pass a test, in list order. The test must depend
 * on the item alone (model objects never change once built), so the items
 * picked in the kept head and tail are picked again.
 */
export class KeptSelection<T> {
  private constructor(
    private readonly list: readonly T[],
    readonly items: readonly T[],
    /** Each picked item's index in the list. */
    private readonly at: readonly number[],
  ) {}

  static of<T>(list: readonly T[], test: (item: T) => boolean): KeptSelection<T> {
    return KeptSelection.picking(list, test, 0, list.length, [], []);
  }

  private static picking<T>(list: readonly T[], test: (item: T) => boolean, from: number, to: number, items: T[], at: number[]): KeptSelection<T> {
    for (let i = from; i < to; i++) {
      if (!test(list[i]!)) continue;
      items.push(list[i]!);
      at.push(i);
    }
    return new KeptSelection(list, items, at);
  }

  /** The selection from a later version of the list, with the same test. */
  next(list: readonly T[], test: (item: T) => boolean): KeptSelection<T> {
    if (list === this.list) return this;
    const { head, lastEnd, nextEnd } = listEdit(this.list, list);
    const items: T[] = [];
    const at: number[] = [];
    let k = 0;
    for (; k < this.at.length && this.at[k]! < head; k++) {
      items.push(this.items[k]!);
      at.push(this.at[k]!);
    }
    KeptSelection.picking(list, test, head, nextEnd, items, at);
    while (k < this.at.length && this.at[k]! < lastEnd) k++;
    const shift = nextEnd - lastEnd;
    for (; k < this.at.length; k++) {
      items.push(this.items[k]!);
      at.push(this.at[k]! + shift);
    }
    return new KeptSelection(list, items, at);
  }
}

/**
 * Each item's findings (or any output) concatenated in list order, where the
 * output of an item in the kept head and tail is the same as last time: the
 * caller starts a new one (`undefined` last) whenever that stops holding.
 */
export class KeptConcat<T, R> {
  private constructor(
    private readonly list: readonly T[],
    readonly out: readonly R[],
    /** Where each item's output ends in `out`. */
    private readonly ends: Int32Array,
  ) {}

  static of<T, R>(list: readonly T[], outputOf: (item: T) => readonly R[], last?: KeptConcat<T, R>): KeptConcat<T, R> {
    if (last === undefined) {
      const out: R[] = [];
      const ends = new Int32Array(list.length);
      concatInto(list, outputOf, 0, list.length, out, ends);
      return new KeptConcat(list, out, ends);
    }
    if (last.list === list) return last;
    const { head, lastEnd, nextEnd } = listEdit(last.list, list);
    const headOut = head === 0 ? 0 : last.ends[head - 1]!;
    const ends = new Int32Array(list.length);
    ends.set(last.ends.subarray(0, head));
    const out = last.out.slice(0, headOut);
    concatInto(list, outputOf, head, nextEnd, out, ends);
    const tailFrom = lastEnd === 0 ? 0 : last.ends[lastEnd - 1]!;
    const shift = out.length - tailFrom;
    for (let i = tailFrom; i < last.out.length; i++) out.push(last.out[i]!);
    for (let i = lastEnd, j = nextEnd; i < last.list.length; i++, j++) ends[j] = last.ends[i]! + shift;
    return new KeptConcat(list, out, ends);
  }
}

function concatInto<T, R>(list: readonly T[], outputOf: (item: T) => readonly R[], from: number, to: number, out: R[], ends: Int32Array): void {
  for (let i = from; i < to; i++) {
    for (const r of outputOf(list[i]!)) out.push(r);
    ends[i] = out.length;
  }
}

/**
 * How a check asks for selections and concatenations over a list it may get
 * from a memo (kept from the last analysis) or work out whole. `name` tells
 * one selection from another: one name, one test. `key` is what the items'
 * outputs depend on besides the items: a different key starts afresh.
 */
export interface ListReuse<T> {
  select(name: string, list: readonly T[], test: (item: T) => boolean): readonly T[];
  concat<R>(list: readonly T[], key: object, outputOf: (item: T) => readonly R[]): readonly R[];
}

/** No memo: every selection and concatenation is worked out whole. */
export function computeLists<T>(): ListReuse<T> {
  return {
    select: (_name, list, test) => list.filter(test),
    concat: (list, _key, outputOf) => list.flatMap(outputOf),
  };
}

/** A memo's ListReuse: each selection and the concatenation carried from the last list to the next. */
export class KeptLists<T> implements ListReuse<T> {
  private readonly selections = new Map<string, KeptSelection<T>>();
  private kept: { readonly key: object; readonly concat: KeptConcat<T, unknown> } | undefined;

  select(name: string, list: readonly T[], test: (item: T) => boolean): readonly T[] {
    const last = this.selections.get(name);
    const next = last === undefined ? KeptSelection.of(list, test) : last.next(list, test);
    this.selections.set(name, next);
    return next.items;
  }

  concat<R>(list: readonly T[], key: object, outputOf: (item: T) => readonly R[]): readonly R[] {
    const last = this.kept?.key === key ? (this.kept.concat as KeptConcat<T, R>) : undefined;
    const concat = KeptConcat.of(list, outputOf, last);
    this.kept = { key, concat };
    return concat.out;
  }

  /** The outputs of the items may no longer be what they were: the next concatenation starts afresh. */
  forgetOutputs(): void {
    this.kept = undefined;
  }
}
