/**
 * IP addresses, prefixes and address sets, after Go's net/netip: immutable
 * values, strict parsing whose errors quote the input, an explicit canonical
 * form, families never mixed, exact 128-bit arithmetic on bigint, and set
 * algebra over sorted ranges.
 */
import * as ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function maxValue(family: Family): bigint {
  return (1n << BigInt(BITS[family])) - 1n;
}

export function formatIP(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

export class IPAddress {
  constructor(
    readonly family: Family,
    readonly value: bigint,
  ) {}

  toString(): string {
    return formatIP(this.family, this.value);
  }

  equals(other: IPAddress): boolean {
    return this.family === other.family && this.value === other.value;
  }
}

/** A bare address, strictly: no zones, no leading zeros in IPv4 octets, no shorthand forms. */
export function parseIP(text: string): Parsed<IPAddress> {
  const fail = (why: string): Parsed<IPAddress> => ({ ok: false, error: `invalid IP address ${JSON.stringify(text)}: ${why}` });
  if (text === '') return fail('it is empty');
  if (text.trim() !== text) return fail('it has surrounding spaces');
  if (text.includes('%')) return fail('zones (%…) are not allowed');
  if (text.includes(':')) {
    if (!ipaddr.IPv6.isValid(text)) return fail('it is not an IPv6 address');
    const parts = ipaddr.IPv6.parse(text).parts;
    let value = 0n;
    for (const p of parts) value = (value << 16n) | BigInt(p);
    return { ok: true, value: new IPAddress(6, value) };
  }
  if (/^[0-9.]+$/.test(text) && text.split('.').some((o) => o.length > 1 && o.startsWith('0'))) {
    // Kubernetes rejects these since 1.20: some tools read them as octal.
    return fail('IPv4 octets may not have leading zeros');
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return fail('it is not a dotted-quad IPv4 address');
  const value = ipaddr.IPv4.parse(text).octets.reduce((v, o) => (v << 8n) | BigInt(o), 0n);
  return { ok: true, value: new IPAddress(4, value) };
}

interface PrefixBounds {
  readonly first: bigint;
  readonly last: bigint;
}

// A prefix never changes, so its text and bounds are worked out once: a cluster config's
// thousands of ranges are keyed by text and swept by bounds on every analysis. Kept beside
// the objects (weakly), not on them, so prefixes stay plain values to compare.
const prefixTexts = new WeakMap<Prefix, string>();
const prefixBounds = new WeakMap<Prefix, PrefixBounds>();

function boundsOf(prefix: Prefix): PrefixBounds {
  let bounds = prefixBounds.get(prefix);
  if (bounds === undefined) prefixBounds.set(prefix, (bounds = prefix.workOutBounds()));
  return bounds;
}

export class Prefix {
  constructor(
    /** The address as written: host bits may be set. */
    readonly address: IPAddress,
    readonly bits: number,
  ) {}

  get family(): Family {
    return this.address.family;
  }

  private get hostMask(): bigint {
    return (1n << BigInt(BITS[this.family] - this.bits)) - 1n;
  }

  get first(): bigint {
    return boundsOf(this).first;
  }

  get last(): bigint {
    return boundsOf(this).last;
  }

  /** @internal */
  workOutBounds(): PrefixBounds {
    const mask = this.hostMask;
    const first = this.address.value & ~mask & maxValue(this.family);
    return { first, last: first | mask };
  }

  get size(): bigint {
    return this.hostMask + 1n;
  }

  get isCanonical(): boolean {
    return (this.address.value & this.hostMask) === 0n;
  }

  canonical(): Prefix {
    return this.isCanonical ? this : new Prefix(new IPAddress(this.family, this.first), this.bits);
  }

  toString(): string {
    let text = prefixTexts.get(this);
    if (text === undefined) prefixTexts.set(this, (text = `${this.address.toString()}/${this.bits}`));
    return text;
  }

  contains(x: IPAddress | Prefix): boolean {
    if (x.family !== this.family) return false;
    if (x instanceof IPAddress) return this.first <= x.value && x.value <= this.last;
    return x.bits >= this.bits && this.first <= x.first && x.last <= this.last;
  }

  overlaps(p: Prefix): boolean {
    return p.family === this.family && this.first <= p.last && p.first <= this.last;
  }
}

export function parsePrefix(text: string): Parsed<Prefix> {
  const fail = (why: string): Parsed<Prefix> => ({ ok: false, error: `invalid CIDR ${JSON.stringify(text)}: ${why}` });
  const slash = text.lastIndexOf('/');
  if (slash === -1) return fail('it needs a prefix length, like 10.0.0.0/8');
  const lengthText = text.slice(slash + 1);
  const ip = parseIP(text.slice(0, slash));
  if (!ip.ok) return fail(ip.error.replace(/^invalid IP address "[^"]*": /, 'the address is invalid: '));
  const family = ip.value.family;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) return fail(`prefix length ${JSON.stringify(lengthText)} is not a decimal number`);
  const bits = Number(lengthText);
  if (bits > BITS[family]) return fail(`prefix length ${bits} is out of range for IPv${family} (0-${BITS[family]})`);
  return { ok: true, value: new Prefix(ip.value, bits) };
}

type Range = readonly [bigint, bigint];

/** A set of addresses of one family as sorted, disjoint, non-adjacent inclusive ranges. */
export class RangeSet {
  private constructor(
    readonly family: Family,
    readonly ranges: ReadonlyArray<Range>,
  ) {}

  static empty(family: Family): RangeSet {
    return new RangeSet(family, []);
  }

  static fromPrefix(p: Prefix): RangeSet {
    return new RangeSet(p.family, [[p.first, p.last]]);
  }

  static fromPrefixes(family: Family, ps: readonly Prefix[]): RangeSet {
    for (const p of ps) if (p.family !== family) throw new Error(`RangeSet.fromPrefixes: ${p.toString()} is not IPv${family}`);
    return RangeSet.normalise(
      family,
      ps.map((p) => [p.first, p.last]),
    );
  }

  private static normalise(family: Family, input: Range[]): RangeSet {
    const sorted = [...input].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: Array<[bigint, bigint]> = [];
    for (const [s, e] of sorted) {
      const top = out[out.length - 1];
      if (top !== undefined && s <= top[1] + 1n) {
        if (e > top[1]) top[1] = e;
      } else out.push([s, e]);
    }
    return new RangeSet(family, out);
  }

  private same(o: RangeSet): void {
    if (o.family !== this.family) throw new Error(`cannot combine IPv${this.family} and IPv${o.family} address sets`);
  }

  union(o: RangeSet): RangeSet {
    this.same(o);
    return RangeSet.normalise(this.family, [...this.ranges, ...o.ranges]);
  }

  intersect(o: RangeSet): RangeSet {
    this.same(o);
    const out: Array<[bigint, bigint]> = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < o.ranges.length) {
      const [a0, a1] = this.ranges[i]!;
      const [b0, b1] = o.ranges[j]!;
      const lo = a0 > b0 ? a0 : b0;
      const hi = a1 < b1 ? a1 : b1;
      if (lo <= hi) out.push([lo, hi]);
      if (a1 < b1) i++;
      else j++;
    }
    return new RangeSet(this.family, out);
  }

  subtract(o: RangeSet): RangeSet {
    this.same(o);
    const out: Array<[bigint, bigint]> = [];
    let j = 0;
    for (const [s0, e] of this.ranges) {
      let s = s0;
      while (j < o.ranges.length && o.ranges[j]![1] < s) j++;
      let k = j;
      while (k < o.ranges.length && o.ranges[k]![0] <= e) {
        const [c0, c1] = o.ranges[k]!;
        if (c0 > s) out.push([s, c0 - 1n]);
        if (c1 >= e) {
          s = e + 1n;
          break;
        }
        s = c1 + 1n;
        k++;
      }
      if (s <= e) out.push([s, e]);
    }
    return new RangeSet(this.family, out);
  }

  contains(ip: IPAddress): boolean {
    if (ip.family !== this.family) return false;
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = this.ranges[mid]!;
      if (ip.value < s) hi = mid - 1;
      else if (ip.value > e) lo = mid + 1;
      else return true;
    }
    return false;
  }

  containsSet(o: RangeSet): boolean {
    return o.family === this.family && o.subtract(this).isEmpty;
  }

  overlaps(o: RangeSet): boolean {
    return o.family === this.family && !this.intersect(o).isEmpty;
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  get size(): bigint {
    return this.ranges.reduce((n, [s, e]) => n + (e - s + 1n), 0n);
  }

  /** The fewest canonical prefixes that cover exactly this set. */
  toPrefixes(): Prefix[] {
    const width = BITS[this.family];
    const out: Prefix[] = [];
    for (const [s0, e] of this.ranges) {
      let s = s0;
      while (s <= e) {
        // Largest aligned block starting at s that does not pass e.
        let hostBits = 0;
        while (hostBits < width) {
          const next = hostBits + 1;
          const block = 1n << BigInt(next);
          if ((s & (block - 1n)) !== 0n || s + block - 1n > e) break;
          hostBits = next;
        }
        out.push(new Prefix(new IPAddress(this.family, s), width - hostBits));
        s += 1n << BigInt(hostBits);
      }
    }
    return out;
  }
}
