/**
 * Calico policies: whole `netlens matrix --json` answers (the CLI's own entry
 * point, in process) against the slow reference (support/referenceCalico.ts),
 * which shares no code with the engine, cell by cell, on random clusters
 * written as real YAML (support/randomCalicoCluster.ts), on every port a
 * generated rule or container names and one beyond, for TCP and UDP.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { main } from '../server/src/cli/main.js';
import { analyzeTexts } from '../server/src/engine/index.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { CALICO_PROTOCOLS, randomCalicoCluster, renderCalicoCluster } from './support/randomCalicoCluster.js';
import { CALICO_QUERY_PORTS, CalicoReference } from './support/referenceCalico.js';
import { scratchWorkspace } from './support/scratch.js';

const RUNS = Number(process.env['NETLENS_FUZZ_RUNS'] ?? 60);

function matrixJson(file: string, port: number, protocol: string): { pods: string[]; allowed: boolean[][] } {
  const out: string[] = [];
  const errors: string[] = [];
  const code = main(['matrix', '--json', '--port', String(port), '--protocol', protocol, file], (s) => out.push(s), (s) => errors.push(s));
  assert.equal(code, 0, errors.join('\n'));
  return JSON.parse(out.join('\n')) as { pods: string[]; allowed: boolean[][] };
}

test('the Calico matrix equals the literal reference on random clusters', async () => {
  await forEachFuzzSeed([], (seed) =>
    fc.assert(
      fc.property(randomCalicoCluster, (c) => {
        const text = renderCalicoCluster(c);
        const reference = new CalicoReference(c);
        const dir = scratchWorkspace('calico-reference', { 'cluster.yaml': text });
        try {
          for (const protocol of CALICO_PROTOCOLS) {
            for (const port of CALICO_QUERY_PORTS) {
              const actual = matrixJson(path.join(dir, 'cluster.yaml'), port, protocol);
              const expected = reference.matrix(port, protocol);
              assert.deepEqual(actual.pods, c.pods.map((p, i) => `${p.namespace}/p${i}`));
              actual.pods.forEach((s, i) => actual.pods.forEach((d, j) => assert.equal(actual.allowed[i]![j], expected[i]![j], `${s} -> ${d} on ${port}/${protocol}\n${text}`)));
            }
          }
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        // Valid input: nothing in it is an error to the engine.
        const errors = analyzeTexts([{ file: 'random.yaml', text }]).findings.filter((f) => f.severity === 'error');
        assert.deepEqual(errors.map((f) => `${f.code}: ${f.message}`), [], text);
      }),
      { seed, numRuns: RUNS },
    ),
  );
});
