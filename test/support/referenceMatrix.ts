/**
 * What the property tests of CNI policy kinds share: `netlens matrix --json`
 * through the CLI's own entry point, in this process, compared with a
 * reference's matrix cell by cell, so a failure names the pair and shows the
 * cluster, on a scratch copy of the generated YAML.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { main } from '../../server/src/cli/main.js';
import { analyzeTexts } from '../../server/src/engine/index.js';
import { forEachFuzzSeed } from './fuzzSeeds.js';
import { scratchWorkspace } from './scratch.js';

const RUNS = Number(process.env['NETLENS_FUZZ_RUNS'] ?? 60);

export function matrixInProcess(file: string, port: number, protocol: string): { pods: string[]; allowed: boolean[][] } {
  const out: string[] = [];
  const errors: string[] = [];
  const code = main(['matrix', '--json', '--port', String(port), '--protocol', protocol, file], (s) => out.push(s), (s) => errors.push(s));
  assert.equal(code, 0, errors.join('\n'));
  return JSON.parse(out.join('\n')) as { pods: string[]; allowed: boolean[][] };
}

/** Every query's matrix equals the reference's; then the text holds nothing the engine calls an error. */
export function assertMatchesReference(
  name: string,
  text: string,
  pods: readonly string[],
  queries: ReadonlyArray<readonly [number, string]>,
  reference: (port: number, protocol: string) => boolean[][],
): void {
  const dir = scratchWorkspace(name, { 'cluster.yaml': text });
  try {
    for (const [port, protocol] of queries) {
      const actual = matrixInProcess(path.join(dir, 'cluster.yaml'), port, protocol);
      const expected = reference(port, protocol);
      assert.deepEqual(actual.pods, pods);
      actual.pods.forEach((s, i) => actual.pods.forEach((d, j) => assert.equal(actual.allowed[i]![j], expected[i]![j], `${s} -> ${d} on ${port}/${protocol}\n${text}`)));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const errors = analyzeTexts([{ file: 'random.yaml', text }]).findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => `${f.code}: ${f.message}`), [], text);
}

/** The property: for every generated cluster, the engine's matrices are the reference's (NETLENS_FUZZ_RUNS runs per seed). */
export async function checkAgainstReference<C>(
  name: string,
  clusters: fc.Arbitrary<C>,
  render: (c: C) => string,
  pods: (c: C) => string[],
  queries: ReadonlyArray<readonly [number, string]>,
  reference: (c: C) => (port: number, protocol: string) => boolean[][],
  regressionSeeds: readonly number[] = [],
): Promise<void> {
  await forEachFuzzSeed(regressionSeeds, (seed) =>
    fc.assert(
      fc.property(clusters, (c) => assertMatchesReference(name, render(c), pods(c), queries, reference(c))),
      { seed, numRuns: RUNS },
    ),
  );
}
