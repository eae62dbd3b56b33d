/**
 * Cluster-wide policies against the independent reference (support/referenceReachability.ts), which composes the
 * tiers literally, policy by policy and rule by rule: whole `netlens matrix --json` answers on every port and protocol,
 * explain (both the hover verdict and the explain view's) on every pair, on random clusters of pods, NetworkPolicies
 * and AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy objects written as real YAML.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { main } from '../server/src/cli/main.js';
import { analyzeTexts, explainConnection, explainTraffic, type Protocol } from '../server/src/engine/index.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { PORT_LIMIT, PROTOCOLS, randomCluster, randomClusterPolicies, renderCluster, renderClusterPolicies } from './support/randomCluster.js';
import { readCluster, referenceAllows, referenceMatrix } from './support/referenceReachability.js';
import { scratchWorkspace } from './support/scratch.js';
import * as fs from 'node:fs';
import * as path from 'node:path';

const QUERIES = PROTOCOLS.flatMap((proto) => Array.from({ length: PORT_LIMIT + 2 }, (_, i) => [i + 1, proto] as const));

function matrixJson(file: string, port: number, proto: string): { pods: string[]; allowed: boolean[][] } {
  const out: string[] = [];
  const errors: string[] = [];
  assert.equal(main(['matrix', '--json', '--port', String(port), '--protocol', proto, file], (s) => out.push(s), (s) => errors.push(s)), 0, errors.join('\n'));
  return JSON.parse(out.join('\n')) as { pods: string[]; allowed: boolean[][] };
}

test('matrix --json and explain equal the literal tier-composing reference on random clusters', async () => {
  // 620115290: the generator once wrote networks into an ingress rule, which the API has not.
  await forEachFuzzSeed([620115290], (seed) =>
    fc.assert(
      fc.property(randomCluster, randomClusterPolicies, fc.constantFrom(...QUERIES), (cluster, policies, [port, proto]) => {
        const text = `${renderCluster(cluster)}---\n${renderClusterPolicies(policies)}`;
        const dir = scratchWorkspace('tiers', { 'cluster.yaml': text });
        try {
          const actual = matrixJson(path.join(dir, 'cluster.yaml'), port, proto);
          const expected = referenceMatrix(text, port, proto);
          expected.pods.forEach((s, i) => expected.pods.forEach((d, j) => assert.equal(actual.allowed[i]![j], expected.allowed[i]![j], `${s} -> ${d} on ${port}/${proto}`)));
          assert.deepEqual(actual, expected);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        const { workspace, reachability, findings } = analyzeTexts([{ file: 'random.yaml', text }]);
        assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`), []);
        const groups = workspace.podGroups;
        const expected = referenceMatrix(text, port, proto);
        groups.forEach((s, i) =>
          groups.forEach((d, j) => {
            if (i === j) return;
            const source = { kind: 'pod' as const, group: s };
            const destination = { kind: 'pod' as const, group: d };
            const hover = explainTraffic(workspace.policies, source, destination, port, proto as Protocol, reachability.namespaceLabels).allowed;
            assert.equal(hover, expected.allowed[i]![j], `explainTraffic ${s.id} -> ${d.id}`);
            const view = explainConnection(workspace, reachability.namespaceLabels, { source, destination, ports: [[port, proto as Protocol]] }).ports[0]!.allowed;
            assert.equal(view, expected.allowed[i]![j], `explainConnection ${s.id} -> ${d.id}`);
          }),
        );
        // Any port: a destination that declares ports on those, one that declares none on every port (port lines).
        const reference = readCluster(text);
        const anyPort = reachability.groupMatrix({});
        groups.forEach((_, i) =>
          groups.forEach((d, j) => {
            if (i === j) return;
            const candidates: Array<readonly [number, string]> = d.ports.length > 0 ? d.ports.map((p) => [p.port, p.protocol] as const) : [...QUERIES, [65535, 'TCP']];
            const allowed = candidates.some(([p, proto]) => referenceAllows(reference, reference.pods[i]!, reference.pods[j]!, p, proto));
            assert.equal(anyPort.allowed[i]![j], allowed, `${groups[i]!.id} -> ${d.id} on any port`);
          }),
        );
      }),
      { seed, numRuns: 120 },
    ),
  );
});
