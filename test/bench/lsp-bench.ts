/**
 * `npm run bench:lsp`: the language server as an editor sees it, on generated
 * workspaces. Reports medians and p95, never asserts (shared, noisy machines).
 *   - time to first diagnostics for the whole workspace,
 *   - keystroke → diagnostics latency over 30 one-character edits in a policy,
 *   - hover and code lens latency, and the server's peak RSS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCluster } from '../support/generateCluster.js';
import { LspTestClient, uriOf } from '../support/lspClient.js';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function peakRss(pid: number | undefined): string {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return `${(kb / 1024).toFixed(0)} MB`;
  } catch {
    return 'n/a';
  }
}

async function run(label: string, workloads: number, policies: number, perFile: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-bench-'));
  const files = generateCluster({ workloads, policies, perFile, seed: 7 });
  const docs = files.reduce((n, f) => n + f.text.split('\n---\n').length, 0);
  for (const f of files) fs.writeFileSync(path.join(dir, f.file), f.text);

  const t0 = performance.now();
  const client = await LspTestClient.start(dir);
  await new Promise<void>((resolve) => client.connection.onNotification('netlens/indexed', () => resolve()));
  const firstDiagnostics = performance.now() - t0;

  // The edited file: the one holding the first ipBlock policy.
  const target = files.find((f) => f.text.includes('cidr: 10.0.0.0/8'))!;
  const u = uriOf(path.join(dir, target.file));
  await client.open(u, target.text);
  await client.waitForDiagnostics(u);
  const keystrokes: number[] = [];
  for (let i = 0; i < 30; i++) {
    // Toggle a host bit: the cidr-not-canonical finding appears and disappears, so every edit publishes.
    const [from, to] = i % 2 === 0 ? ['10.0.0.0/8', '10.0.0.1/8'] : ['10.0.0.1/8', '10.0.0.0/8'];
    const published = client.nextDiagnostics(u);
    const start = performance.now();
    await client.replace(u, from, to);
    await published;
    keystrokes.push(performance.now() - start);
  }
  const hovers: number[] = [];
  const lenses: number[] = [];
  const pos = client.positionOf(u, 'podSelector', 2);
  for (let i = 0; i < 15; i++) {
    let s = performance.now();
    await client.hover(u, pos);
    hovers.push(performance.now() - s);
    s = performance.now();
    await client.codeLenses(u);
    lenses.push(performance.now() - s);
  }
  // Code lenses right after an edit pay for the reachability matrix.
  const afterEdit: number[] = [];
  for (let i = 0; i < 5; i++) {
    await client.replace(u, i % 2 === 0 ? '10.0.0.0/8' : '10.0.0.1/8', i % 2 === 0 ? '10.0.0.1/8' : '10.0.0.0/8');
    const s = performance.now();
    await client.codeLenses(u);
    afterEdit.push(performance.now() - s);
  }
  const rss = peakRss(client.pid);
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`\n${label}: ${docs} documents in ${files.length} file(s)`);
  console.log(`  first diagnostics for the workspace  ${ms(firstDiagnostics)}`);
  console.log(`  keystroke → diagnostics   median ${ms(quantile(keystrokes, 0.5))}  p95 ${ms(quantile(keystrokes, 0.95))}`);
  console.log(`  hover                     median ${ms(quantile(hovers, 0.5))}`);
  console.log(`  code lens (cached)        median ${ms(quantile(lenses, 0.5))}`);
  console.log(`  code lens after an edit   median ${ms(quantile(afterEdit, 0.5))}`);
  console.log(`  server peak RSS           ${rss}`);
}

async function main(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? 'small,medium').split(',');
  if (sizes.includes('small')) await run('small, one file per 5 workloads', 20, 8, 5);
  if (sizes.includes('medium')) {
    await run('medium, one file per 5 workloads', 600, 300, 5);
    await run('medium, one big file', 600, 300, 0);
  }
  if (sizes.includes('large')) await run('large, one file per 10 workloads', 4000, 2000, 10);
}

void main();
