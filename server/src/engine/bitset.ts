/**
 * A fixed-size set of small integers (pod class indices). Reachability over a
 * few thousand classes is a few thousand bitset ORs and tests, which is what
 * keeps a whole-workspace matrix well under a second.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }

  static of(size: number, members: Iterable<number>): Bitset {
    const b = new Bitset(size);
    for (const m of members) b.add(m);
    return b;
  }

  static full(size: number): Bitset {
    const b = new Bitset(size);
    b.words.fill(0xffffffff);
    const tail = size & 31;
    if (tail !== 0) b.words[b.words.length - 1] = (1 << tail) - 1;
    return b;
  }

  /**
   * The union of sets, which is the set itself when they are all one object:
   * sets shared that way stay recognisably equal, which lets callers group
   * by identity. So the result must be read, never changed.
   */
  static unionOf(size: number, sets: readonly Bitset[]): Bitset {
    if (sets.length > 0 && sets.every((set) => set === sets[0])) return sets[0]!;
    const union = new Bitset(size);
    for (const set of sets) union.orWith(set);
    return union;
  }

  copy(): Bitset {
    const b = new Bitset(this.size);
    b.words.set(this.words);
    return b;
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  delete(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }

  /** In place: this &= ~other. */
  andNotWith(other: Bitset): void {
    const w = this.words;
    const o = other.words;
    for (let k = 0; k < w.length; k++) w[k]! &= ~o[k]!;
  }

  /** In place: this |= other. */
  orWith(other: Bitset): void {
    const w = this.words;
    const o = other.words;
    for (let k = 0; k < w.length; k++) w[k]! |= o[k]!;
  }

  /** In place: this &= other. */
  andWith(other: Bitset): void {
    const w = this.words;
    const o = other.words;
    for (let k = 0; k < w.length; k++) w[k]! &= o[k]!;
  }

  and(other: Bitset): Bitset {
    const r = new Bitset(this.size);
    for (let k = 0; k < r.words.length; k++) r.words[k] = this.words[k]! & other.words[k]!;
    return r;
  }

  /** A new set: this | other. */
  or(other: Bitset): Bitset {
    const r = new Bitset(this.size);
    for (let k = 0; k < r.words.length; k++) r.words[k] = this.words[k]! | other.words[k]!;
    return r;
  }

  /** A new set: this & ~other. */
  andNot(other: Bitset): Bitset {
    const r = new Bitset(this.size);
    for (let k = 0; k < r.words.length; k++) r.words[k] = this.words[k]! & ~other.words[k]!;
    return r;
  }

  /** Whether some member of this is not in other. */
  hasAnyOutside(other: Bitset): boolean {
    for (let k = 0; k < this.words.length; k++) if ((this.words[k]! & ~other.words[k]!) !== 0) return true;
    return false;
  }

  /** Whether both hold the same members (sets of one size). */
  equals(other: Bitset): boolean {
    if (other === this) return true;
    if (other.size !== this.size) return false;
    for (let k = 0; k < this.words.length; k++) if (this.words[k] !== other.words[k]) return false;
    return true;
  }

  get isEmpty(): boolean {
    for (let k = 0; k < this.words.length; k++) if (this.words[k] !== 0) return false;
    return true;
  }

  count(): number {
    let n = 0;
    for (let k = 0; k < this.words.length; k++) {
      let v = this.words[k]!;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** The sum of weights[m] over the members: a count of pods per class without iterating a generator. */
  weightedCount(weights: ArrayLike<number>): number {
    let n = 0;
    for (let k = 0; k < this.words.length; k++) {
      let v = this.words[k]!;
      while (v !== 0) {
        const low = v & -v;
        n += weights[(k << 5) + (31 - Math.clz32(low))]!;
        v ^= low;
      }
    }
    return n;
  }

  *members(): IterableIterator<number> {
    for (let k = 0; k < this.words.length; k++) {
      let v = this.words[k]!;
      while (v !== 0) {
        const low = v & -v;
        yield (k << 5) + (31 - Math.clz32(low));
        v ^= low;
      }
    }
  }
}
