/**
 * splitDocuments against what a document marker is: `---` at the start of
 * the text or after \n or \r (YAML's only line breaks: not U+2028 or U+2029),
 * followed by a space, a tab, a line break or the end. The chunks put back
 * together are the text, each after the first opens at a marker, and none
 * holds another marker inside.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitDocuments } from '../server/src/engine/manifests.js';

function markerAt(text: string, i: number): boolean {
  if (!text.startsWith('---', i)) return false;
  const before = i === 0 ? '\n' : text[i - 1];
  const after = text[i + 3];
  return (before === '\n' || before === '\r') && (after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r');
}

const text = fc.array(fc.constantFrom('-', '-', '-', '---', '\n', '\r', ' ', '\t', 'a', 'b: c', '\u2028', '\u2029', '#', "'"), { maxLength: 40 }).map((parts) => parts.join(''));

test('splitDocuments cuts at every document marker and nowhere else', () => {
  fc.assert(
    fc.property(text, (source) => {
      const chunks = splitDocuments(source);
      assert.equal(chunks.map((c) => c.text).join(''), source);
      let offset = 0;
      chunks.forEach((c, k) => {
        assert.equal(c.start, offset);
        if (k > 0) assert.ok(markerAt(source, c.start), `chunk ${k} of ${JSON.stringify(source)} opens at a marker`);
        for (let i = c.start + 1; i < c.start + c.text.length; i++) assert.ok(!markerAt(source, i), `no marker inside chunk ${k} of ${JSON.stringify(source)}`);
        offset += c.text.length;
      });
      // A text that opens with a marker is one chunk from it, never an empty chunk before it.
      assert.ok(chunks.every((c, k) => k === chunks.length - 1 || c.text.length > 0));
    }),
    { numRuns: 3000, seed: 42 },
  );
});
