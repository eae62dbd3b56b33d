/**
 * The Netlens server alone, at the sizes of issue 18: about 1,500 documents
 * in 200 files and 10,000 in 800, first with only the edited file open, then
 * with every file open (an editor restoring its tabs). Reports indexing time,
 * keystroke → diagnostics median and p95, hover and code lens medians, and
 * peak RSS, and the server's CPU time per keystroke (which, unlike the
 * wall times, does not grow with the machine's load); never asserts
 * (shared, noisy machines). Quicker than bench:lsp,
 * which also runs yaml-language-server and the one-file layouts. Settled
 * typing is off (netlens.settleDelay 0), so a keystroke is the analysis and
 * the publish, not the wait for the edited word to settle.
 *
 * The conflist sizes are issue 14's class 8 case through the server's
 * incremental path: a keystroke in a one-policy file beside a .conflist of
 * n host-local ranges (45,000 ranges once cost 6 s a keystroke).
 *
 *   node out/test/bench/keystroke-bench.js
 *   BENCH_SIZES=medium,large      which sizes (default: both); also conflist
 *                                 (11,250 and 45,000 ranges) and conflist-huge (180,000)
 *   NETLENS_SERVER_JS=path.js     another build of the server, to compare
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCluster } from '../support/generateCluster.js';
import { conflistWithRanges } from './scalingShapes.js';
import { cpuMs, peakRssMB, quantile } from './serverStats.js';
import { LspTestClient, NETLENS_SERVER, uriOf, within, type ServerCommand } from '../support/lspClient.js';

const WAIT_MS = 240_000;
const KEYSTROKES = 20;

/** Milliseconds from each edit to its diagnostics, the edits turning `a` into `b` and back. */
async function timeKeystrokes(client: LspTestClient, u: string, a: string, b: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
    const published = client.nextDiagnostics(u);
    const start = performance.now();
    await client.replace(u, from, to);
    await within(WAIT_MS, 'keystroke', published);
    times.push(performance.now() - start);
  }
  return times;
}

async function measure(dir: string, files: Array<{ file: string; text: string }>, openAll: boolean, server: ServerCommand): Promise<string> {
  const t0 = performance.now();
  // No settled typing: the finding on the edited CIDR would otherwise wait netlens.settleDelay on every other keystroke.
  const client = await LspTestClient.start(dir, { settleDelay: 0 }, server);
  await within(WAIT_MS, 'indexing', new Promise<void>((resolve) => client.connection.onNotification('netlens/indexed', () => resolve())));
  const indexed = performance.now() - t0;
  const target = files.find((f) => f.text.includes('cidr: 10.0.0.0/8'))!;
  const u = uriOf(path.join(dir, target.file));
  const toOpen = openAll ? files.filter((f) => f.file.endsWith('.yaml')) : [target];
  const o0 = performance.now();
  for (const f of toOpen) await client.open(uriOf(path.join(dir, f.file)), f.text);
  // Requests are answered in order: once this hover is back, every open has been handled.
  await within(WAIT_MS, 'opening', client.hover(u, client.positionOf(u, 'podSelector', 1)));
  await client.waitForDiagnostics(u);
  const opened = performance.now() - o0;
  // Toggling a host bit makes cidr-not-canonical come and go, so every edit publishes.
  const cpu0 = cpuMs(client.pid);
  const keystroke = await timeKeystrokes(client, u, '10.0.0.0/8', '10.0.0.1/8');
  const cpuPerKeystroke = (cpuMs(client.pid) - cpu0) / keystroke.length;
  const hover: number[] = [];
  const lens: number[] = [];
  const pos = client.positionOf(u, 'podSelector', 2);
  for (let i = 0; i < 10; i++) {
    let s = performance.now();
    await client.hover(u, pos);
    hover.push(performance.now() - s);
    s = performance.now();
    await client.codeLenses(u);
    lens.push(performance.now() - s);
  }
  const rss = peakRssMB(client.pid);
  await client.stop();
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  return [
    `indexed ${ms(indexed)}`,
    `opened ${toOpen.length} in ${ms(opened)}`,
    `keystroke median ${ms(quantile(keystroke, 0.5))} p95 ${ms(quantile(keystroke, 0.95))}`,
    `server CPU ${ms(cpuPerKeystroke)} per keystroke`,
    `hover ${ms(quantile(hover, 0.5))}`,
    `lens ${ms(quantile(lens, 0.5))}`,
    `peak RSS ${rss.toFixed(0)} MB`,
  ].join(' · ');
}

async function run(label: string, workloads: number, policies: number, perFile: number, server: ServerCommand): Promise<void> {
  const files = generateCluster({ workloads, policies, perFile, seed: 7, clusterConfig: true });
  const docs = files.reduce((n, f) => n + (f.file.endsWith('.yaml') ? f.text.split(/^---$/m).length : 1), 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-keystroke-'));
  for (const f of files) fs.writeFileSync(path.join(dir, f.file), f.text);
  console.log(`\n${label}: ${docs} documents in ${files.length} files`);
  for (const openAll of [false, true]) {
    try {
      console.log(`  ${openAll ? 'every file open' : 'one file open  '}  ${await measure(dir, files, openAll, server)}`);
    } catch (err) {
      console.log(`  ${openAll ? 'every file open' : 'one file open'}: ${(err as Error).message}`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Keystrokes in policy.yaml beside net.conflist, every file indexed from disk and only the policy open. */
async function conflistKeystrokes(ranges: number, server: ServerCommand): Promise<void> {
  const files = conflistWithRanges(ranges);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-conflist-'));
  for (const f of files) fs.writeFileSync(path.join(dir, f.file), f.text);
  const size = fs.statSync(path.join(dir, 'net.conflist')).size;
  const t0 = performance.now();
  // The generated conflist may pass the default 5 MB limit: it is the file under test.
  const client = await LspTestClient.start(dir, { settleDelay: 0, maxFileSize: 64_000_000 }, server);
  await within(WAIT_MS, 'indexing', new Promise<void>((resolve) => client.connection.onNotification('netlens/indexed', () => resolve())));
  const indexed = performance.now() - t0;
  const policy = files.find((f) => f.file === 'policy.yaml')!;
  const u = uriOf(path.join(dir, policy.file));
  await client.open(u, policy.text);
  await client.waitForDiagnostics(u);
  // An unknown policy type comes and goes, so every edit publishes.
  const keystroke = await timeKeystrokes(client, u, '[Ingress]', '[Ingres]');
  const rss = peakRssMB(client.pid);
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(
    `\n.conflist of ${ranges} ranges (${(size / 1e6).toFixed(1)} MB), keystrokes in an unrelated policy: indexed ${ms(indexed)} · ` +
      `keystroke median ${ms(quantile(keystroke, 0.5))} p95 ${ms(quantile(keystroke, 0.95))} · peak RSS ${rss.toFixed(0)} MB`,
  );
}

async function main(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? 'medium,large').split(',');
  const other = process.env['NETLENS_SERVER_JS'];
  const server: ServerCommand = other ? { command: process.execPath, args: [path.resolve(other)] } : NETLENS_SERVER;
  if (other) console.log(`server: ${other}`);
  if (sizes.includes('medium')) await run('~1,500 documents', 600, 300, 5, server);
  if (sizes.includes('large')) await run('~10,000 documents', 4000, 2000, 10, server);
  if (sizes.includes('conflist')) for (const ranges of [11250, 45000]) await conflistKeystrokes(ranges, server);
  if (sizes.includes('conflist-huge')) await conflistKeystrokes(180000, server);
}

void main();
