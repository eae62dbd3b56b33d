/**
 * Whole `netlens matrix --json` answers against the independent reference (support/referenceReachability.ts), which
 * shares no code with the engine, cell by cell, on random clusters (support/randomCluster.ts) written as real YAML.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { main } from '../server/src/cli/main.js';
import { analyzeTexts } from '../server/src/engine/index.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { PORT_LIMIT, PROTOCOLS, portNumber, protocol, randomCluster, renderCluster, type RandomCluster } from './support/randomCluster.js';
import { CLI } from './support/paths.js';
import { referenceMatrix } from './support/referenceReachability.js';
import { scratchWorkspace } from './support/scratch.js';

interface MatrixJson {
  pods: string[];
  allowed: boolean[][];
}

/** `netlens matrix --json` through the CLI's own entry point, in this process. */
function matrixInProcess(file: string, port: number, proto: string): MatrixJson {
  const out: string[] = [];
  const errors: string[] = [];
  const code = main(['matrix', '--json', '--port', String(port), '--protocol', proto, file], (s) => out.push(s), (s) => errors.push(s));
  assert.equal(code, 0, errors.join('\n'));
  assert.deepEqual(errors, []);
  return JSON.parse(out.join('\n')) as MatrixJson;
}

function matrixByChildProcess(file: string, port: number, proto: string): MatrixJson {
  const run = spawnSync(process.execPath, [CLI, 'matrix', '--json', '--port', String(port), '--protocol', proto, file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as MatrixJson;
}

/** Cell by cell, so a failure names the pair; then the whole object, so nothing else (keys, order) differs. */
function assertSameMatrix(actual: MatrixJson, expected: MatrixJson, query: string): void {
  assert.deepEqual(actual.pods, expected.pods);
  expected.pods.forEach((source, s) =>
    expected.pods.forEach((destination, d) => assert.equal(actual.allowed[s]![d], expected.allowed[s]![d], `${source} -> ${destination} on ${query}`)),
  );
  assert.deepEqual(actual, expected);
}

function checkCluster(c: RandomCluster, queries: ReadonlyArray<readonly [number, string]>, matrix: (file: string, port: number, proto: string) => MatrixJson): void {
  const text = renderCluster(c);
  const file = path.join(scratchWorkspace('reference', { 'cluster.yaml': text }), 'cluster.yaml');
  try {
    for (const [port, proto] of queries) assertSameMatrix(matrix(file, port, proto), referenceMatrix(text, port, proto), `${port}/${proto}`);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  // Valid input: the engine must not call any of it an error (checked after the matrix, so a failure says which went wrong).
  const errors = analyzeTexts([{ file: 'random.yaml', text }]).findings.filter((f) => f.severity === 'error');
  assert.deepEqual(
    errors.map((f) => `${f.code}: ${f.message}`),
    [],
  );
}

/**
 * Every port a generated cluster names and one beyond, on every protocol: one random query per cluster let a wrong default (a
 * port without protocol read as UDP) through a whole run now and then, since few clusters ask the one question that
 * shows it.
 */
const EVERY_QUERY = PROTOCOLS.flatMap((proto) => Array.from({ length: PORT_LIMIT + 1 }, (_, i) => [i + 1, proto] as const));

test('netlens matrix --json equals the independent reference, cell by cell, on random clusters, on every port and protocol', async () => {
  await forEachFuzzSeed([], (seed) => fc.assert(fc.property(randomCluster, (c) => checkCluster(c, EVERY_QUERY, matrixInProcess)), { seed, numRuns: 80 }));
});

test('the netlens binary agrees with the reference on a few random clusters', async () => {
  await forEachFuzzSeed([], (seed) => fc.assert(fc.property(randomCluster, portNumber, protocol, (c, port, proto) => checkCluster(c, [[port, proto]], matrixByChildProcess)), { seed, numRuns: 5 }));
});
