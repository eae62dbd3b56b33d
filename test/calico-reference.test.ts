/**
 * Calico policies: whole `netlens matrix --json` answers against the slow
 * reference (support/referenceCalico.ts), which shares no code with the
 * engine, cell by cell, on random clusters written as real YAML
 * (support/randomCalicoCluster.ts), on every port a generated rule or
 * container names and one beyond, for TCP and UDP.
 */
import { test } from 'node:test';
import fc from 'fast-check';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { CALICO_PROTOCOLS, randomCalicoCluster, renderCalicoCluster } from './support/randomCalicoCluster.js';
import { CALICO_QUERY_PORTS, CalicoReference } from './support/referenceCalico.js';
import { assertMatchesReference } from './support/referenceMatrix.js';

const RUNS = Number(process.env['NETLENS_FUZZ_RUNS'] ?? 60);
const QUERIES = CALICO_PROTOCOLS.flatMap((protocol) => CALICO_QUERY_PORTS.map((port) => [port, protocol] as const));

test('the Calico matrix equals the literal reference on random clusters', async () => {
  await forEachFuzzSeed([], (seed) =>
    fc.assert(
      fc.property(randomCalicoCluster, (c) => {
        const reference = new CalicoReference(c);
        const pods = c.pods.map((p, i) => `${p.namespace}/p${i}`);
        assertMatchesReference('calico-reference', renderCalicoCluster(c), pods, QUERIES, (port, protocol) => reference.matrix(port, protocol));
      }),
      { seed, numRuns: RUNS },
    ),
  );
});
