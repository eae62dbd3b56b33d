/**
 * The fast bitset matrix against the obvious reading of the spec (explain.ts,
 * one pod pair at a time), on random small clusters written as real YAML.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzeTexts, explainTraffic, type Protocol } from '../server/src/engine/index.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { PROTOCOLS, portNumber, randomCluster, renderCluster } from './support/randomCluster.js';

const PROTOS: readonly Protocol[] = PROTOCOLS;

/** Every port number that can make a difference in these clusters, plus one beyond. */
const ALL_PORTS = [...Array.from({ length: 14 }, (_, i) => i + 1), 65535];

test('fast matrix equals the pod-by-pod reference on random clusters', async () => {
  await forEachFuzzSeed([], (seed) => fc.assert(
    fc.property(randomCluster, fc.constantFrom(...PROTOS), portNumber, (c, protocol, port) => {
      const analysis = analyzeTexts([{ file: 'random.yaml', text: renderCluster(c) }]);
      assert.deepEqual(analysis.findings.filter((f) => f.code === 'yaml-syntax'), []);
      const { workspace, reachability } = analysis;
      const groups = workspace.podGroups;
      const reference = (s: number, d: number, p: number, proto: Protocol) =>
        explainTraffic(workspace.policies, { kind: 'pod', group: groups[s]! }, { kind: 'pod', group: groups[d]! }, p, proto, reachability.namespaceLabels).allowed;

      const onePort = reachability.groupMatrix({ port, protocol });
      groups.forEach((_, s) => groups.forEach((__, d) => assert.equal(onePort.allowed[s]![d], reference(s, d, port, protocol), `${s}->${d} ${port}/${protocol}`)));

      const anyPort = reachability.groupMatrix({});
      groups.forEach((_, s) =>
        groups.forEach((g, d) => {
          const candidates: Array<[number, Protocol]> =
            g.ports.length > 0 ? g.ports.map((p) => [p.port, p.protocol]) : PROTOS.flatMap((proto) => ALL_PORTS.map((p): [number, Protocol] => [p, proto]));
          const expected = candidates.some(([p, proto]) => reference(s, d, p, proto));
          assert.equal(anyPort.allowed[s]![d], expected, `${s}->${d} any port`);
        }),
      );
    }),
    { seed, numRuns: 300 },
  ));
});
