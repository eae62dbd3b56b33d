/**
 * Fuzzing with fast-check: random edits, truncations and byte flips of the
 * corpus files (../shared/corpus, when present), of examples/ and of a
 * generated cluster, fed to the language server as didChange. The server
 * must never crash, never log a failed handler, and answer every request
 * within a second; the engine (what the CLI runs) must never throw.
 *
 * NETLENS_FUZZ_RUNS sets the number of edits (default 60, kept small for CI).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { analyzeTexts } from '../server/src/engine/index.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { generateCluster } from './support/generateCluster.js';
import { LspTestClient, uriOf, within } from './support/lspClient.js';
import { CORPUS, CORPUS_MISSING, REPO_ROOT } from './support/paths.js';

const RUNS = Number(process.env['NETLENS_FUZZ_RUNS'] ?? 60);

function collect(dir: string, out: Array<{ name: string; text: string }>, limit = 400_000): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) collect(full, out, limit);
    else if (/\.(ya?ml|json|conflist|conf)$/.test(e.name) && fs.statSync(full).size < limit) out.push({ name: path.relative(REPO_ROOT, full), text: fs.readFileSync(full, 'utf8') });
  }
}

const seeds: Array<{ name: string; text: string }> = [];
collect(path.join(REPO_ROOT, 'examples'), seeds);
const examplesSeeds = seeds.length;
if (CORPUS !== undefined) collect(CORPUS, seeds);
const corpusSeeds = seeds.length - examplesSeeds;
for (const f of generateCluster({ workloads: 60, policies: 30, namespaces: 4, perFile: 20, seed: 3 })) seeds.push({ name: f.file, text: f.text });

/** One mutation of a text: what a slip of the keyboard, a bad paste or a bad disk does. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(':', '-', '- ', '[', '{', '}', '"', "'", '&a', '*a', '---\n', '\t', '\n', '  ', '{{', '#', '/33', '::')) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'truncate':
      return text.slice(0, at);
    case 'flip': {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      const i = m.at % bytes.length;
      bytes[i] = bytes[i]! ^ (1 << m.bit);
      return bytes.toString('utf8');
    }
  }
}

const edit = fc.record({ seed: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }), line: fc.nat(), character: fc.nat({ max: 80 }) });

// Without the corpus the fuzzers still run on examples/ and a generated cluster; this says so in the counts.
test('the fuzzers take their seeds from ../shared/corpus too', { skip: CORPUS_MISSING }, () => {
  assert.ok(corpusSeeds > 50, `${corpusSeeds} corpus files`);
});

test('the engine never throws on mutated input', async () => {
  await forEachFuzzSeed([7], (fuzzSeed) => fc.assert(
    fc.property(edit, ({ seed, mutations }) => {
      const s = seeds[seed % seeds.length]!;
      const text = mutations.reduce(mutate, s.text);
      analyzeTexts([{ file: s.name, text }]);
    }),
    { seed: fuzzSeed, numRuns: RUNS * 5 },
  ));
});

describe('the language server under random edits', { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-fuzz-'));
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start(dir);
  });
  after(() => client.stop());

  test(`${RUNS} mutated documents: every request answered within 1 s, no handler fails`, async () => {
    const opened = new Set<string>();
    await forEachFuzzSeed([11], (fuzzSeed) => fc.assert(
      fc.asyncProperty(edit, async ({ seed, mutations, line, character }) => {
        const s = seeds[seed % seeds.length]!;
        const uri = uriOf(path.join(dir, s.name.replace(/[\\/]/g, '_')));
        const text = mutations.reduce(mutate, s.text);
        if (opened.has(uri)) await client.setText(uri, text);
        else {
          opened.add(uri);
          await client.open(uri, text, s.name.endsWith('.conflist') ? 'conflist' : s.name.endsWith('.json') ? 'json' : 'yaml');
        }
        const lines = text.split('\n').length;
        const position = { line: line % lines, character };
        await within(1000, `hover in ${s.name}`, client.hover(uri, position));
        await within(1000, `code lens in ${s.name}`, client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }));
        await within(1000, `completion in ${s.name}`, client.completion(uri, position));
        assert.equal(client.exitCode, null, 'the server is alive');
      }),
      { seed: fuzzSeed, numRuns: RUNS },
    ));
    assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), [], 'no handler failed');
  });
});
