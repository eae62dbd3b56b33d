/**
 * Table-driven: every fixture under test/fixtures/checks is one workspace whose
 * expected findings are marked under the offending text; the engine must report
 * exactly those, at exactly those places.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeTexts, LineIndex } from '../server/src/engine/index.js';
import { diffFindings, parseMarkers } from './support/markers.js';
import { FIXTURES } from './support/paths.js';

const dir = path.join(FIXTURES, 'checks');

for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  test(`findings in checks/${name}`, () => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const analysis = analyzeTexts([{ file: name, text }]);
    const idx = new LineIndex(text);
    const actual = analysis.findings.map((f) => {
      assert.equal(f.span.file, name);
      const s = idx.positionAt(f.span.start);
      const e = idx.positionAt(f.span.end);
      return { code: f.code, line: s.line, startColumn: s.character, endLine: e.line, endColumn: e.character };
    });
    const problems = diffFindings(parseMarkers(text), actual);
    assert.deepEqual(problems, [], `${name}:\n  ${problems.join('\n  ')}\nall findings:\n  ${analysis.findings.map((f) => `${f.code}: ${f.message}`).join('\n  ')}`);
  });
}

test('every finding names its rule and carries a readable message', () => {
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const analysis = analyzeTexts([{ file: name, text: fs.readFileSync(path.join(dir, name), 'utf8') }]);
    for (const f of analysis.findings) {
      assert.ok(f.message.length > 10 && !/instancePath|must NOT have/.test(f.message), `${f.code}: ${f.message}`);
    }
  }
});

test('default-deny advice names the workload that is open, not the first one of the namespace', () => {
  const name = 'default-deny.yaml';
  const analysis = analyzeTexts([{ file: name, text: fs.readFileSync(path.join(dir, name), 'utf8') }]);
  assert.deepEqual(
    analysis.findings.filter((f) => f.code === 'namespace-without-default-deny').map((f) => f.message),
    ['Namespace billing has no default-deny policy, unlike namespace shop (policy default-deny), and no policy selects Deployment invoices, so its pods accept traffic from everywhere. Add a NetworkPolicy with podSelector: {} and no rules, then allow what the pods need.'],
  );
});
