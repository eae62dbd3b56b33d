/**
 * changedRange (settled typing) and LineIndex against their definitions, on
 * texts long enough for their block-wise and indexOf fast paths: the range is
 * exactly what lies between the longest common prefix and the longest common
 * suffix that do not overlap, and the line starts are those after every \n,
 * and after every \r not followed by \n.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../server/src/engine/source.js';
import { changedRange } from '../server/src/settle.js';

const piece = fc.constantFrom('a', 'b', '\n', '\r', '\r\n', ' ', 'policy: x\n', '-'.repeat(50));
const text = fc.array(piece, { maxLength: 60 }).chain((parts) => fc.integer({ min: 0, max: 3 }).map((copies) => parts.join('').repeat(copies * 700 + 1)));

test('changedRange is the span between the longest common prefix and suffix', () => {
  fc.assert(
    fc.property(text, fc.nat(), fc.nat({ max: 30 }), fc.array(piece, { maxLength: 3 }), (before, at, removed, inserted) => {
      const from = before.length === 0 ? 0 : at % (before.length + 1);
      const after = before.slice(0, from) + inserted.join('') + before.slice(from + removed);
      const { start, end } = changedRange(before, after);
      const max = Math.min(before.length, after.length);
      let prefix = 0;
      while (prefix < max && before[prefix] === after[prefix]) prefix++;
      let suffix = 0;
      while (suffix < max - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
      assert.deepEqual({ start, end }, { start: prefix, end: after.length - suffix });
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('changedRange finds edits on and next to the block boundaries of its fast path', () => {
  const before = 'abcdefgh\n'.repeat(2000);
  for (const at of [0, 1, 4095, 4096, 4097, 8191, 8192, 8193, before.length - 4097, before.length - 4096, before.length - 1]) {
    const after = before.slice(0, at) + '#' + before.slice(at + 1);
    assert.deepEqual(changedRange(before, after), { start: at, end: at + 1 }, `one character replaced at ${at}`);
  }
});

test('LineIndex starts a line after every \\n, and after every \\r not followed by \\n', () => {
  fc.assert(
    fc.property(text, (t) => {
      const index = new LineIndex(t);
      const starts = [0];
      for (let i = 0; i < t.length; i++) if (t[i] === '\n' || (t[i] === '\r' && t[i + 1] !== '\n')) starts.push(i + 1);
      assert.equal(index.lineCount, starts.length);
      for (const [line, offset] of starts.entries()) assert.deepEqual(index.positionAt(offset), { line, character: 0 });
    }),
    { numRuns: 100, seed: 7 },
  );
});
