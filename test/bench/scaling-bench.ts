/**
 * The scaling half of `npm run bench`: each shape of issue 14 class 8 at a
 * base size doubled three times, median of several runs per size, and the
 * growth factor per doubling (2 is linear; the target is at most 2.5).
 * Figures are reported, never asserted: the machines are shared. Growth is
 * taken on the process's CPU time (user + system), which a loaded machine
 * inflates far less than wall time; both are printed, with the load average.
 *
 *   node out/test/bench/scaling-bench.js graph-deployments check-dns   only these shapes
 *   BENCH_SHAPES=graph-deployments,check-dns   the same, for npm run bench
 *   BENCH_SCALING_RUNS=3                        runs per size (after one untimed run; a run
 *                                               faster than 200 ms is repeated to fill 200 ms)
 *   BENCH_SCALING_BUDGET_MS=30000               a size slower than this ends its shape
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyze, buildGraph, parseManifestFile, type ManifestFile } from '../../server/src/engine/index.js';
import { conflistWithRanges, deploymentsWithoutPolicies, egressPoliciesOverDns, podsAndPolicies, portlessPodsWithEndPorts, type SourceText } from './scalingShapes.js';

interface Shape {
  readonly name: string;
  readonly what: string;
  readonly sizes: readonly number[];
  readonly generate: (n: number) => SourceText[];
  /** What is timed, given the generated texts and their parse (done outside the clock). */
  readonly run: (texts: SourceText[], parsed: ManifestFile[]) => unknown;
}

const parseAll = (texts: SourceText[]) => texts.map((t) => parseManifestFile(t.file, t.text));

/** What the CLI's `matrix --json` does after reading the files. */
function cliMatrix(texts: SourceText[]): string {
  const analysis = analyze(parseAll(texts));
  const { groups, allowed } = analysis.reachability.groupMatrix({});
  return JSON.stringify({ pods: groups.map((g) => g.id), allowed });
}

/** A keystroke in one file: that file is parsed again, the others come from the cache. */
function keystroke(texts: SourceText[], parsed: ManifestFile[], edited: string): unknown {
  const files = parsed.map((f, i) => (texts[i]!.file === edited ? parseManifestFile(edited, texts[i]!.text) : f));
  return analyze(files).findings.length;
}

const doubling = (base: number) => [base, base * 2, base * 4, base * 8];

const SHAPES: readonly Shape[] = [
  {
    name: 'graph-deployments',
    what: 'netlens/graph, n Deployments and no policy',
    sizes: doubling(250),
    generate: deploymentsWithoutPolicies,
    run: (_, parsed) => buildGraph(analyze(parsed).reachability),
  },
  {
    name: 'graph-endport',
    what: 'netlens/graph, n portless pods and n policies with endPort ranges',
    sizes: doubling(100),
    generate: portlessPodsWithEndPorts,
    run: (_, parsed) => buildGraph(analyze(parsed).reachability),
  },
  {
    name: 'matrix-endport',
    what: 'matrix --json, the same shape',
    sizes: doubling(500),
    generate: portlessPodsWithEndPorts,
    run: (texts) => cliMatrix(texts),
  },
  {
    name: 'check-dns',
    what: 'check, n workloads and n egress policies selecting all, DNS for all but one',
    sizes: doubling(250),
    generate: egressPoliciesOverDns,
    run: (texts) => analyze(parseAll(texts)).findings.length,
  },
  {
    name: 'check-cluster',
    what: 'check, 5n/2 workloads and n policies (generated cluster)',
    sizes: doubling(250),
    generate: podsAndPolicies,
    run: (texts) => analyze(parseAll(texts)).findings.length,
  },
  {
    name: 'matrix-cluster',
    what: 'matrix --json, the same cluster',
    sizes: doubling(250),
    generate: podsAndPolicies,
    run: (texts) => cliMatrix(texts),
  },
  {
    name: 'conflist-parse',
    what: 'reading a .conflist with n host-local ranges',
    sizes: doubling(5625),
    generate: conflistWithRanges,
    run: (texts) => parseAll(texts),
  },
  {
    name: 'conflist-keystroke',
    what: 'keystroke in an unrelated policy beside that .conflist',
    sizes: doubling(5625),
    generate: conflistWithRanges,
    run: (texts, parsed) => keystroke(texts, parsed, 'policy.yaml'),
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// As in the server and CLI entry points: yaml reads process.env per token.
process.env = { ...process.env };

const only = [...process.argv.slice(2), ...(process.env['BENCH_SHAPES'] ?? '').split(',')].filter((s) => s !== '');
const unknown = only.filter((name) => !SHAPES.some((shape) => shape.name === name));
if (unknown.length > 0) {
  console.error(`unknown shape ${unknown.join(', ')}; shapes: ${SHAPES.map((shape) => shape.name).join(', ')}`);
  process.exit(2);
}
const TARGET = 2.5;
const runs = Number(process.env['BENCH_SCALING_RUNS'] ?? 3);
const budget = Number(process.env['BENCH_SCALING_BUDGET_MS'] ?? 30000);

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const SAMPLE_MS = 200;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`scaling: median of ${runs} runs per size; growth per doubling of CPU time (linear 2.0, target <= 2.5); load average ${load()}`);
const table: Array<{ name: string; sizes: readonly number[]; medians: number[]; worst: number | undefined }> = [];
for (const shape of SHAPES) {
  if (only.length > 0 && !only.includes(shape.name)) continue;
  console.log(`\n${shape.name}: ${shape.what}`);
  const medians: number[] = [];
  for (const n of shape.sizes) {
    const texts = shape.generate(n);
    const parsed = parseAll(texts);
    const kb = texts.reduce((sum, t) => sum + t.text.length, 0) / 1024;
    const times: number[] = [];
    const walls: number[] = [];
    // One untimed run first: the first sizes would otherwise pay for compiling the code, which makes later doublings look cheap or dear at random.
    const w0 = performance.now();
    shape.run(texts, parsed);
    // A run of a few milliseconds is mostly when the collector happens to run: such a shape is timed over enough repeats to fill SAMPLE_MS, per run.
    const repeats = Math.max(1, Math.ceil(SAMPLE_MS / Math.max(performance.now() - w0, 0.1)));
    for (let r = 0; r < runs; r++) {
      const c0 = cpuMs();
      const t0 = performance.now();
      for (let k = 0; k < repeats; k++) shape.run(texts, parsed);
      walls.push((performance.now() - t0) / repeats);
      times.push((cpuMs() - c0) / repeats);
      if (walls[walls.length - 1]! > budget) break;
    }
    const m = median(times);
    const previous = medians[medians.length - 1];
    const growth = previous === undefined ? '' : `  x${(m / previous).toFixed(2)}`;
    medians.push(m);
    console.log(`  n=${String(n).padStart(6)}  ${kb.toFixed(0).padStart(6)} KB  ${m.toFixed(1).padStart(9)} ms CPU  ${median(walls).toFixed(1).padStart(9)} ms wall${growth}`);
    if (median(walls) > budget) {
      console.log(`  (over the ${budget} ms budget: larger sizes skipped)`);
      break;
    }
  }
  // Below a few milliseconds the ratio is noise, not growth.
  const factors = medians.slice(1).flatMap((m, i) => (medians[i]! >= 5 ? [m / medians[i]!] : []));
  table.push({ name: shape.name, sizes: shape.sizes, medians, worst: factors.length > 0 ? Math.max(...factors) : undefined });
}
console.log(`\nload average at the end ${load()}`);
console.log(`| shape | sizes | median CPU ms per size | worst growth per doubling | <= ${TARGET} |`);
console.log('|---|---|---|---|---|');
for (const row of table) {
  const times = row.medians.map((m) => m.toFixed(1)).join(' / ');
  const growth = row.worst === undefined ? 'too fast to tell' : `x${row.worst.toFixed(2)}`;
  const verdict = row.worst === undefined || row.worst <= TARGET ? 'PASS' : 'FAIL';
  console.log(`| ${row.name} | ${row.sizes.join(' / ')} | ${times} | ${growth} | ${verdict} |`);
}
