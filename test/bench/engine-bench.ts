/**
 * `npm run bench`: engine timings on a generated cluster (2,000 workloads,
 * 1,000 policies by default), median of several runs. Not a test: the
 * machines are shared, so figures are reported, never asserted.
 */
import { performance } from 'node:perf_hooks';
import { analyze, parseManifestFile } from '../../server/src/engine/index.js';
import { generateCluster } from '../support/generateCluster.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

// As in the server and CLI entry points: yaml reads process.env per token.
process.env = { ...process.env };

const workloads = Number(process.env['BENCH_WORKLOADS'] ?? 2000);
const policies = Number(process.env['BENCH_POLICIES'] ?? 1000);
const runs = Number(process.env['BENCH_RUNS'] ?? 7);
const files = generateCluster({ workloads, policies, perFile: 20, seed: 42 });
const docs = files.reduce((n, f) => n + f.text.split('\n---\n').length, 0);
console.log(`cluster: ${workloads} workloads, ${policies} policies, ${docs} documents in ${files.length} files`);

const parse: number[] = [];
const model: number[] = [];
const matrixAny: number[] = [];
const matrixPort: number[] = [];
let classes = 0;
let allowedCells = 0;
for (let i = 0; i < runs; i++) {
  const [parsed, tParse] = time(() => files.map((f) => parseManifestFile(f.file, f.text)));
  const [analysis, tModel] = time(() => analyze(parsed));
  const [m, tAny] = time(() => analysis.reachability.groupMatrix({}));
  const [, tPort] = time(() => analysis.reachability.groupMatrix({ port: 5432, protocol: 'TCP' }));
  parse.push(tParse);
  model.push(tModel);
  matrixAny.push(tAny);
  matrixPort.push(tPort);
  classes = analysis.reachability.classes.length;
  allowedCells = m.allowed.reduce((n, row) => n + row.filter(Boolean).length, 0);
}
const fmt = (xs: number[]) => `${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
console.log(`runs: ${runs}; pod classes: ${classes}; allowed cells (any port): ${allowedCells}`);
console.log(`parse all files          median ${fmt(parse)}`);
console.log(`model + findings         median ${fmt(model)}`);
console.log(`matrix, any declared port median ${fmt(matrixAny)}`);
console.log(`matrix, 5432/TCP         median ${fmt(matrixPort)}`);
const reach = model.map((m, i) => m + matrixAny[i]!);
console.log(`full reachability (model + any-port matrix) median ${median(reach).toFixed(1)} ms`);
