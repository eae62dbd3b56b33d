/**
 * The CIDR module: strict parsing with quoted errors, canonical forms, and
 * set algebra compared with a slow, obviously correct reference that lists
 * every address of a small universe.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIP, IPAddress, parseIP, parsePrefix, Prefix, RangeSet, type Family } from '../server/src/engine/cidr.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';

test('parsing: valid and invalid inputs, both families', () => {
  const valid: Array<[string, string, boolean]> = [
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.1.2.3/16', '10.0.0.0/8', false],
    ['0.0.0.0/0', '0.0.0.0/0', true],
    ['255.255.255.255/32', '255.255.255.255/32', true],
    ['2001:db8::/32', '2001:db8::/32', true],
    ['2001:DB8:0:0::1/64', '2001:db8::1/64', false],
    ['::/0', '::/0', true],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', true],
    ['::ffff:10.0.0.1/128', '::ffff:a00:1/128', true],
  ];
  for (const [text, shown, canonical] of valid) {
    const p = parsePrefix(text);
    assert.ok(p.ok, text);
    if (canonical) assert.equal(p.value.toString(), shown);
    assert.equal(p.value.isCanonical, canonical, text);
  }
  const invalid: Array<[string, RegExp]> = [
    ['10.0.0.0/33', /invalid CIDR "10\.0\.0\.0\/33": prefix length 33 is out of range for IPv4 \(0-32\)/],
    ['2001:db8::/129', /out of range for IPv6 \(0-128\)/],
    ['10.0.0.0', /needs a prefix length/],
    ['010.0.0.0/8', /leading zeros/],
    ['10.0.0/8', /"10\.0\.0\/8"/],
    [' 10.0.0.0/8', /surrounding spaces/],
    ['fe80::1%eth0/64', /zones/],
    ['10.0.0.0/08', /not a decimal number/],
    ['10.0.0.0/-1', /not a decimal number/],
    ['banana/8', /"banana\/8"/],
    ['', /needs a prefix length/],
  ];
  for (const [text, message] of invalid) {
    const p = parsePrefix(text);
    assert.equal(p.ok, false, text);
    if (!p.ok) assert.match(p.error, message);
  }
  assert.equal(parseIP('1.2.3.4').ok, true);
  assert.equal(parseIP('1.2.3').ok, false);
  assert.equal(parseIP('::1').ok && parseIP('::1').ok && formatIP(6, 1n), '::1');
});

test('canonical, first, last, size, contains and overlaps', () => {
  const p = (t: string) => {
    const r = parsePrefix(t);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  const c = p('10.1.2.3/16').canonical();
  assert.equal(c.toString(), '10.1.0.0/16');
  assert.equal(formatIP(4, c.first), '10.1.0.0');
  assert.equal(formatIP(4, c.last), '10.1.255.255');
  assert.equal(c.size, 65536n);
  assert.equal(p('::/0').size, 1n << 128n);
  assert.ok(p('10.0.0.0/8').contains(p('10.1.0.0/16')));
  assert.ok(!p('10.1.0.0/16').contains(p('10.0.0.0/8')));
  assert.ok(p('10.0.0.0/8').overlaps(p('10.255.0.0/16')));
  assert.ok(!p('10.0.0.0/8').overlaps(p('11.0.0.0/8')));
  // Families never mix.
  assert.ok(!p('0.0.0.0/0').contains(p('::/0')));
  assert.ok(!p('::/0').overlaps(p('0.0.0.0/0')));
  assert.throws(() => RangeSet.fromPrefix(p('10.0.0.0/8')).union(RangeSet.fromPrefix(p('::/0'))), /cannot combine IPv4 and IPv6/);
});

/** Prefixes inside a small universe, with the reference as explicit address sets. */
function universe(family: Family): { base: bigint; width: number } {
  return family === 4 ? { base: 0x0a000000n, width: 10 } : { base: 0x20010db8n << 96n, width: 10 };
}

const prefixIn = (family: Family) =>
  fc.tuple(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 0, max: 10 })).map(([offset, hostBits]) => {
    const { base } = universe(family);
    const total = family === 4 ? 32 : 128;
    return new Prefix(new IPAddress(family, base + BigInt(offset)), total - hostBits).canonical();
  });

function addresses(ps: Prefix[]): Set<bigint> {
  const s = new Set<bigint>();
  for (const p of ps) for (let a = p.first; a <= p.last; a++) s.add(a);
  return s;
}

function setOf(r: RangeSet): Set<bigint> {
  const s = new Set<bigint>();
  for (const [a, b] of r.ranges) for (let x = a; x <= b; x++) s.add(x);
  return s;
}

for (const family of [4, 6] as Family[]) {
  test(`RangeSet algebra equals the address-by-address reference (IPv${family})`, async () => {
    await forEachFuzzSeed([], (seed) => fc.assert(
      fc.property(fc.array(prefixIn(family), { maxLength: 5 }), fc.array(prefixIn(family), { maxLength: 5 }), fc.integer({ min: 0, max: 1100 }), (as, bs, probe) => {
        const A = RangeSet.fromPrefixes(family, as);
        const B = RangeSet.fromPrefixes(family, bs);
        const a = addresses(as);
        const b = addresses(bs);
        const eq = (r: RangeSet, expected: Set<bigint>) => assert.deepEqual([...setOf(r)].sort(), [...expected].sort());
        eq(A.union(B), new Set([...a, ...b]));
        eq(A.intersect(B), new Set([...a].filter((x) => b.has(x))));
        eq(A.subtract(B), new Set([...a].filter((x) => !b.has(x))));
        assert.equal(A.size, BigInt(a.size));
        assert.equal(A.overlaps(B), [...a].some((x) => b.has(x)));
        assert.equal(A.containsSet(B), [...b].every((x) => a.has(x)));
        const ip = parseIP(formatIP(family, universe(family).base + BigInt(probe)));
        assert.ok(ip.ok);
        assert.equal(A.contains(ip.value), a.has(ip.value.value));
        // Ranges stay sorted, disjoint and non-adjacent.
        A.ranges.forEach(([s, e], i) => {
          assert.ok(s <= e);
          if (i > 0) assert.ok(A.ranges[i - 1]![1] + 1n < s);
        });
        // toPrefixes covers exactly the set, with canonical prefixes.
        const back = A.toPrefixes();
        assert.ok(back.every((p) => p.isCanonical));
        assert.deepEqual([...addresses(back)].sort(), [...a].sort());
      }),
      { seed, numRuns: 300 },
    ));
  });
}

test('edges of the address space', () => {
  const all4 = parsePrefix('0.0.0.0/0');
  const all6 = parsePrefix('::/0');
  assert.ok(all4.ok && all6.ok);
  const top4 = parsePrefix('255.255.255.255/32');
  const top6 = parsePrefix('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128');
  assert.ok(top4.ok && top6.ok);
  const rest4 = RangeSet.fromPrefix(all4.value).subtract(RangeSet.fromPrefix(top4.value));
  assert.equal(rest4.size, (1n << 32n) - 1n);
  assert.equal(rest4.toPrefixes().length, 32);
  const rest6 = RangeSet.fromPrefix(all6.value).subtract(RangeSet.fromPrefix(top6.value));
  assert.equal(rest6.toPrefixes().length, 128);
  assert.ok(RangeSet.fromPrefix(all6.value).containsSet(rest6));
});
