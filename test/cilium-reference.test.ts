/**
 * Cilium policies: whole `netlens matrix --json` answers against the slow
 * reference (support/referenceCilium.ts), which shares no code with the
 * engine, cell by cell, on random clusters of CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy written as real YAML
 * (support/randomCiliumCluster.ts), on every port and one beyond, TCP and UDP.
 */
import { test } from 'node:test';
import fc from 'fast-check';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { CILIUM_PROTOCOLS, randomCiliumCluster, renderCiliumCluster } from './support/randomCiliumCluster.js';
import { CILIUM_QUERY_PORTS, CiliumReference } from './support/referenceCilium.js';
import { assertMatchesReference } from './support/referenceMatrix.js';

const RUNS = Number(process.env['NETLENS_FUZZ_RUNS'] ?? 60);
const QUERIES = CILIUM_PROTOCOLS.flatMap((protocol) => CILIUM_QUERY_PORTS.map((port) => [port, protocol] as const));

test('the Cilium matrix equals the literal reference on random clusters', async () => {
  await forEachFuzzSeed([], (seed) =>
    fc.assert(
      fc.property(randomCiliumCluster, (c) => {
        const reference = new CiliumReference(c);
        const pods = c.pods.map((p, i) => `${p.namespace}/p${i}`);
        assertMatchesReference('cilium-reference', renderCiliumCluster(c), pods, QUERIES, (port, protocol) => reference.matrix(port, protocol));
      }),
      { seed, numRuns: RUNS },
    ),
  );
});
