/**
 * Items (pod classes of one namespace) by label, so that a selector with an
 * equality requirement is tested only against the items carrying one of its
 * values. A thousand policies each selecting its own `app` label then cost a
 * thousand lookups, not a thousand passes over every class.
 */
import type { Labels, Selector } from './labels.js';

export class LabelIndex {
  private readonly byLabel = new Map<string, Map<string, number[]>>();

  constructor(
    private readonly items: readonly number[],
    labelsOf: (item: number) => Labels,
  ) {
    for (const item of items) {
      for (const [key, value] of labelsOf(item)) {
        let values = this.byLabel.get(key);
        if (values === undefined) this.byLabel.set(key, (values = new Map()));
        const list = values.get(value);
        if (list === undefined) values.set(value, [item]);
        else list.push(item);
      }
    }
  }

  /**
   * Lists holding every item the selector can match (and maybe others, to be
   * tested): those with a value of its narrowest `In` requirement, or every
   * item when it has none. An invalid selector matches nothing.
   */
  candidates(selector: Selector): ReadonlyArray<readonly number[]> {
    if (!selector.valid) return [];
    let best: Array<readonly number[]> | undefined;
    let bestSize = Infinity;
    for (const r of selector.requirements) {
      if (r.operator !== 'In') continue;
      const values = this.byLabel.get(r.key);
      const lists: Array<readonly number[]> = [];
      let size = 0;
      for (const value of new Set(r.values)) {
        const list = values?.get(value);
        if (list === undefined) continue;
        lists.push(list);
        size += list.length;
      }
      if (size < bestSize) {
        best = lists;
        bestSize = size;
      }
    }
    return best ?? [this.items];
  }
}
