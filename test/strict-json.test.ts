/**
 * The strict-JSON scanner agrees with JSON.parse on what is JSON, and points
 * at the comment or trailing comma that CNI runtimes trip over.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findJsonProblem } from '../server/src/engine/strictJson.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

test('accepts exactly what JSON.parse accepts, on JSON and on JSON-like noise', async () => {
  await forEachFuzzSeed([42], (seed) => fc.assert(fc.property(fc.json(), (text) => findJsonProblem(text) === undefined), { seed, numRuns: 500 }));
  const noise = fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '"\\x"', '1', '-0.5e3', '01', 'true', 'nul', ' ', '\n', '//c\n', '/*c*/', "'s'"), { maxLength: 14 }).map((parts) => parts.join(''));
  await forEachFuzzSeed([42], (seed) => fc.assert(fc.property(noise, (text) => (findJsonProblem(text) === undefined) === parses(text)), { seed, numRuns: 5000 }));
});

test('names comments and trailing commas, at their place', () => {
  const text = '{\n  "cniVersion": "1.0.0",\n  // bridge first\n  "plugins": []\n}';
  assert.deepEqual(findJsonProblem(text), { offset: text.indexOf('//'), message: 'comments are not allowed in JSON' });
  const comma = '{"plugins": [{"type": "bridge"},], "name": "x"}';
  assert.deepEqual(findJsonProblem(comma), { offset: comma.indexOf(']'), message: 'trailing comma before the closing bracket' });
  const objComma = '{"type": "bridge",\n}';
  assert.deepEqual(findJsonProblem(objComma), { offset: objComma.indexOf('}'), message: 'trailing comma before the closing brace' });
});
