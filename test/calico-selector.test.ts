/**
 * Calico's selector language, one table: each selector with label maps it
 * must and must not match, then selectors Calico's parser rejects, then the
 * canonical text. The expectations are those of Calico's own parser tests
 * (libcalico-go lib/selector/parser), written here as our own table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calicoText, evaluateCalico, parseCalicoSelector } from '../server/src/engine/calicoSelector.js';

type Labels = Record<string, string>;
const MATCHES: Array<[string, Labels[], Labels[]]> = [
  ['a == "b"', [{ a: 'b' }, { a: 'b', c: 'd' }], [{}, { a: 'c' }, { c: 'd' }]],
  ['a == "b" && c == "d"', [{ a: 'b', c: 'd' }], [{}, { a: 'b', c: 'e' }, { a: 'c', c: 'd' }, { c: 'd' }, { a: 'b' }]],
  ['a == "b" || c == "d"', [{ a: 'b', c: 'd' }, { a: 'b' }, { c: 'd' }], [{}, { a: 'e', c: 'e' }, { c: 'e' }, { a: 'e' }]],
  [`a in {"'", '"', "c"}`, [{ a: 'c' }, { a: '"' }, { a: "'" }], [{}, { a: 'e' }]],
  [`a not in {"'", '"', "c"}`, [{}, { a: 'e' }], [{ a: 'c' }, { a: '"' }, { a: "'" }]],
  ["a == 'a'", [{ a: 'a' }], [{ a: 'b' }, {}]],
  ['a != "b"', [{ a: 'a' }], []],
  // != matches a resource without the label.
  ['a != "a"', [{}], [{ a: 'a' }]],
  ['a contains "a"', [{ a: 'a' }, { a: 'bab' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { b: 'aaa' }]],
  ['a starts with "a"', [{ a: 'a' }, { a: 'abb' }], [{}, { a: 'b' }, { a: 'baa' }, { b: 'aaa' }]],
  ['a ends with "a"', [{ a: 'a' }, { a: 'bba' }], [{}, { a: 'b' }, { a: 'aab' }, { b: 'aaa' }]],
  // ! negates the one operation after it.
  ['!a in {"a"}', [{ a: 'b' }], [{ a: 'a' }]],
  ['a in {"a", "b"}', [{ a: 'a' }, { a: 'b' }], [{ a: 'c' }]],
  ['a not in {"d", "e"}', [{ a: 'a' }], []],
  ['has(a)', [{ a: 'b' }], [{ b: 'b' }]],
  ['!has(a)', [{ b: 'b' }], [{ a: 'b' }]],
  ['!! ! has(a)', [{ b: 'b' }], [{ a: 'b' }]],
  ['!!has(b)', [{ b: 'x' }], [{ a: 'b' }]],
  ['', [{}, { a: 'b' }], []],
  [' ', [{}], []],
  ['all()', [{}, { a: 'b' }], []],
  ['global()', [{}, { a: 'b' }], []],
  ['has(a) && !has(b)', [{ a: 'a' }], [{ a: 'a', b: 'b' }]],
  ['!(!has(a) || has(b))', [{ a: 'a' }], [{ b: 'b' }]],
  ["a != 'a1' || b != 'b1'", [{ a: 'a1' }], [{ a: 'a1', b: 'b1' }]],
  ["! a == 'a1' || ! b == 'b1'", [{ a: 'a2', b: 'b1' }], [{ a: 'a1', b: 'b1' }]],
  // && binds tighter than ||.
  ["a == 'x' || b == 'y' && c == 'z'", [{ a: 'x' }, { b: 'y', c: 'z' }], [{ b: 'y' }]],
  ["(a == 'x' || b == 'y') && c == 'z'", [{ a: 'x', c: 'z' }], [{ a: 'x' }]],
  ['projectcalico.org/name in {"foo", "bar"}', [{ 'projectcalico.org/name': 'bar' }], [{ 'projectcalico.org/name': 'baz' }]],
  ['a notin {"b"}', [{ a: 'c' }], [{ a: 'b' }]],
  ['a in {}', [], [{ a: '' }, {}]],
  ['a in {"b",}', [{ a: 'b' }], []],
];

const REJECTED = [
  'b == b',
  'b contains b',
  "'b1' == b",
  'b',
  'a b',
  '!',
  'foo == "bar" &',
  'foo == "bar" |',
  'foo != ||',
  'foo in {"", ||',
  'foo in ""',
  '"FOO',
  "'FOO",
  '(',
  '(a == "foo"',
  ')',
  '()',
  '%',
  'a == "b" && %',
  'a ',
  'has(foo) &&',
  'a = "b"',
];

test('each selector matches exactly the label maps Calico says it does', () => {
  for (const [selector, yes, no] of MATCHES) {
    const parsed = parseCalicoSelector(selector);
    assert.ok(parsed.ok, `${selector}: ${parsed.ok ? '' : parsed.error}`);
    for (const labels of yes) assert.equal(evaluateCalico(parsed.node, new Map(Object.entries(labels))), true, `${selector} should match ${JSON.stringify(labels)}`);
    for (const labels of no) assert.equal(evaluateCalico(parsed.node, new Map(Object.entries(labels))), false, `${selector} should not match ${JSON.stringify(labels)}`);
    // The canonical text parses back to a selector that matches alike.
    const again = parseCalicoSelector(calicoText(parsed.node));
    assert.ok(again.ok, calicoText(parsed.node));
    for (const labels of [...yes, ...no]) {
      const map = new Map(Object.entries(labels));
      assert.equal(evaluateCalico(again.node, map), evaluateCalico(parsed.node, map), `${selector} round trip on ${JSON.stringify(labels)}`);
    }
  }
});

test('selectors Calico rejects are rejected, with where', () => {
  for (const selector of REJECTED) {
    const parsed = parseCalicoSelector(selector);
    assert.equal(parsed.ok, false, selector);
  }
  assert.deepEqual(parseCalicoSelector('role == database'), { ok: false, error: 'expected a quoted string', offset: 8 });
  assert.deepEqual(parseCalicoSelector('a == "b" && %'), { ok: false, error: 'unexpected character "%"', offset: 12 });
});

test('canonical text is Calico\'s spelling: all() for empty, sets sorted and deduplicated, word operators spaced', () => {
  const canonical = (s: string) => {
    const parsed = parseCalicoSelector(s);
    assert.ok(parsed.ok, s);
    return calicoText(parsed.node);
  };
  assert.equal(canonical(''), 'all()');
  assert.equal(canonical(' (all() )'), 'all()');
  assert.equal(canonical('! (has( b)||! has(a ))'), '!(has(b) || !has(a))');
  assert.equal(canonical('a in {"z", "z", "x", "y", "x", "a"}'), 'a in {"a", "x", "y", "z"}');
  assert.equal(canonical(`a startswith '"'`), `a starts with '"'`);
  assert.equal(canonical(`a endswith "'"`), `a ends with "'"`);
  assert.equal(canonical(`a!='"'`), `a != '"'`);
  assert.equal(canonical("(a == 'x' || b == 'y') && c == 'z'"), '(a == "x" || b == "y") && c == "z"');
});
