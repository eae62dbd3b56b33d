/**
 * Netlens in a real VS Code: code-server (VS Code served to a browser) with
 * the packaged .vsix installed, driven through its UI in Debian's Chromium.
 * On a copy of examples/: the Problems panel lists exactly the findings the
 * CLI reports, a hover shows the selected pods, a code lens reads "reachable
 * from N pods", a quick fix applies, and the graph panel renders.
 * Screenshots go to test-output/code-server/.
 *
 * code-server is set up by scripts/setup-code-server.sh (npm test does it);
 * without it every test here is reported as skipped with that instruction,
 * so the counts show them, never silently.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { codeServerMissing, packageVsix, startCodeServer, type RunningCodeServer } from './support/codeServer.js';
import { CLI, REPO_ROOT } from './support/paths.js';
import { CHROMIUM } from './support/webviewHarness.js';

const OUT = path.join(REPO_ROOT, 'test-output', 'code-server');
const missing = codeServerMissing();
const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

interface CliFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly severity: string;
}

describe('Netlens in code-server (a real VS Code)', { timeout: 300_000 }, () => {
  let server: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-code-server-ws-'));

  before(async () => {
    if (missing) return;
    fs.mkdirSync(OUT, { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
    // A git repository, so the what-if view has a HEAD to compare with.
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=netlens-test', '-c', 'user.email=test@netlens.invalid', ...args], { cwd: workspace, encoding: 'utf8' });
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'examples']]) assert.equal(git(...args).status, 0, `git ${args.join(' ')}`);
    const vsix = packageVsix();
    server = await startCodeServer(vsix, workspace);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(server.url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    // The status bar item appears once the language server has indexed the workspace.
    await page.locator('.statusbar-item', { hasText: /\d+ pods · \d+ policies/ }).waitFor({ timeout: 90_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** A test of this suite: skipped, with the reason, where code-server is missing. */
  const uiTest = (name: string, fn: () => Promise<void>) => test(name, { skip: missing }, fn);

  async function command(title: string): Promise<void> {
    await page.keyboard.press(`${mod}+Shift+P`);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
  }

  async function openFile(rel: string, at?: number | string): Promise<void> {
    await page.keyboard.press(`${mod}+P`);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(at === undefined ? rel : `${rel}:${at}`);
    // The list filters as it is typed: wait for the row of this very file.
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(rel) }).filter({ hasText: path.dirname(rel) }).first();
    await row.waitFor();
    await row.click();
    await page.locator('.tab.active', { hasText: path.basename(rel) }).waitFor({ timeout: 20_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(OUT, `open-${path.basename(rel)}-failed.png`) });
      throw err;
    });
  }

  uiTest('the Problems panel lists exactly what `netlens check` reports', async () => {
    const cli = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', workspace], { encoding: 'utf8' });
    // VS Code keeps hints out of the Problems panel (they show only as dots in the editor).
    const findings = (JSON.parse(cli.stdout) as { findings: CliFinding[] }).findings.filter((f) => f.severity !== 'hint');
    const expected = findings.map((f) => `${path.relative(workspace, path.resolve(f.file))} ${f.line}:${f.column} ${f.code}`).sort();
    await page.keyboard.press(`${mod}+Shift+M`);
    const badge = page.locator('.panel .composite-bar .action-item', { hasText: 'Problems' }).locator('.badge-content');
    await page.waitForFunction(
      ({ n }) => [...document.querySelectorAll('.panel .composite-bar .action-item')].some((e) => e.textContent?.includes('Problems') && e.querySelector('.badge-content')?.textContent === String(n)),
      { n: expected.length },
      { timeout: 60_000 },
    );
    assert.equal(await badge.textContent(), String(expected.length));
    // The list is virtual: give it room for every row, then read the tree
    // (file rows, each followed by its problems) into "file line:col code".
    await page.setViewportSize({ width: 1600, height: 3000 });
    await command('View: Toggle Maximized Panel');
    await page.waitForTimeout(1000);
    const rows = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    await page.screenshot({ path: path.join(OUT, 'problems.png') });
    await command('View: Toggle Maximized Panel');
    await page.setViewportSize({ width: 1600, height: 1000 });
    const shown: string[] = [];
    let file = '';
    for (const row of rows) {
      // A problem reads "message netlens CODE [Ln L, Col C]"; a file row
      // "NAMEfolder COUNT" (the label and its description run together); the
      // rows of related locations under a problem match neither.
      const marker = /netlens ([a-z0-9-]+) \[Ln (\d+), Col (\d+)\]$/.exec(row);
      const fileRow = /^(\S+?\.(?:ya?ml|conflist|conf|json))(\S*) \d+$/.exec(row);
      if (marker) shown.push(`${file} ${marker[2]}:${marker[3]} ${marker[1]}`);
      else if (fileRow) file = path.join(fileRow[2]!, fileRow[1]!);
    }
    assert.deepEqual(shown.sort(), expected, rows.join('\n'));
  });

  uiTest('hovering a podSelector shows the pods it selects', async () => {
    const text = fs.readFileSync(path.join(workspace, 'storefront', 'policies.yaml'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('matchLabels: {app: cart}')) + 1;
    await openFile('storefront/policies.yaml', line);
    const target = page.locator('.editor-instance .view-line span', { hasText: /^cart$/ }).first();
    await target.waitFor();
    // Cursor on the value, then "Show or Focus Hover" (Ctrl+K Ctrl+I): a mouse hover is flaky on a loaded machine.
    await target.click();
    const hover = page.locator('.monaco-hover:visible', { hasText: 'storefront/cart' });
    for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
      await page.keyboard.press(`${mod}+K`);
      await page.keyboard.press(`${mod}+I`);
      await hover.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await hover.waitFor({ timeout: 10_000 });
    // storefront/cart is a Deployment of 2 replicas, the only pods labelled app=cart.
    assert.equal((await hover.innerText()).replace(/\s+/g, ' ').trim(), 'podSelector app=cart selects 2 pods in storefront: storefront/cart ×2 (Deployment)');
    await page.screenshot({ path: path.join(OUT, 'hover.png') });
    await page.keyboard.press('Escape');
  });

  uiTest('a code lens over a workload reads "reachable from N other pods"', async () => {
    await openFile('storefront/apps.yaml');
    // One decoration per line holds all its lenses ("… | explain…"): take the reachability lens itself.
    const lens = page.locator('.codelens-decoration a', { hasText: /^reachable from \d+ other pods? · .*can reach \d+ other pods?$/ }).first();
    await lens.waitFor({ timeout: 30_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(OUT, 'code-lens-failed.png') });
      throw err;
    });
    // The first workload of the file is storefront/web: no pod may reach it,
    // but web-from-internet admits 0.0.0.0/0 except 10.0.0.0/8; it may reach
    // coredns, grafana, node-exporter and cart, 6 pods counting replicas (the
    // workloads `netlens matrix examples/` allows from web).
    assert.equal(await lens.innerText(), 'reachable from 0 other pods · the internet (0.0.0.0/0 except 10.0.0.0/8) · can reach 6 other pods');
    await page.screenshot({ path: path.join(OUT, 'code-lens.png') });
  });

  uiTest('the canonical-CIDR quick fix applies', async () => {
    const file = path.join(workspace, 'payments', 'policies.yaml');
    const cli = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', file], { encoding: 'utf8' });
    const finding = (JSON.parse(cli.stdout) as { findings: CliFinding[] }).findings.find((f) => f.code === 'cidr-not-canonical');
    assert.ok(finding, cli.stdout);
    assert.equal(fs.readFileSync(file, 'utf8').split('\n')[finding.line - 1]!.slice(finding.column - 1), '203.0.113.7/24');
    // Quick open with line:column puts the cursor on the value itself, where
    // the diagnostic's range is (a click would land wherever the line's span is).
    await openFile('payments/policies.yaml', `${finding.line}:${finding.column}`);
    await page.locator('.editor-instance .view-line span', { hasText: '203.0.113.7/24' }).first().waitFor();
    await page.locator('.editor-instance .squiggly-warning, .editor-instance .squiggly-error, .editor-instance .squiggly-info').first().waitFor({ timeout: 30_000 });
    const item = page.locator('.action-widget .monaco-list-row', { hasText: '203.0.113.0/24' }).first();
    // Code actions are computed when asked; on a loaded machine the first
    // request can race the diagnostics' arrival, so ask again if the menu comes up without it.
    for (let attempt = 0; attempt < 4 && !(await item.isVisible()); attempt++) {
      if (attempt > 0) await page.keyboard.press('Escape');
      await page.keyboard.press(`${mod}+.`);
      await item.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await item.waitFor({ timeout: 10_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(OUT, 'quick-fix-failed.png') });
      throw err;
    });
    await page.screenshot({ path: path.join(OUT, 'quick-fix.png') });
    await item.click();
    await page.locator('.editor-instance .view-line span', { hasText: '203.0.113.0/24' }).first().waitFor({ timeout: 20_000 });
    // Saved, the file on disk has the fix.
    await page.keyboard.press(`${mod}+S`);
    for (let i = 0; i < 100 && !fs.readFileSync(file, 'utf8').includes('203.0.113.0/24'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(fs.readFileSync(file, 'utf8').includes('cidr: 203.0.113.0/24'));
  });

  uiTest('the graph panel renders the workspace', async () => {
    await command('Netlens: Show Reachability Graph');
    await page.locator('.tab', { hasText: 'Netlens: Reachability Graph' }).waitFor({ timeout: 30_000 });
    const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const status = view.locator('#status');
    await status.filter({ hasText: /\d+ workloads · \d+ flows/ }).waitFor({ timeout: 60_000 });
    // examples/ declares 12 workloads, and the server's graph draws 30 flows between them and external ranges.
    assert.match(await status.innerText(), /^12 workloads · 30 flows \(24 shown\) · layout \d+ ms$/);
    assert.equal(await view.locator('#details button.link').count(), 12);
    // Give the panel the whole editor area for the screenshot; the graph refits itself.
    await command('View: Toggle Maximize Editor Group');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(OUT, 'graph.png') });
  });
  uiTest('Explain Traffic from the palette opens the explain view with the verdict per port', async () => {
    await command('View: Close All Editors');
    await command('Netlens: Explain Traffic…');
    // Two workload pickers (they also take a typed IP), then the port box: empty means every port the destination declares.
    for (const id of ['storefront/checkout', 'payments/payments-api']) {
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(id);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: id }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
    }
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Explain: storefront/checkout → payments/payments-api' }).waitFor({ timeout: 30_000 });
    const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    // The CLI says the same: allowed on 8443 by payments-api's ingress rule 1.
    await view.locator('h1', { hasText: 'storefront/checkout → payments/payments-api: ALLOWED' }).waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('h2', { hasText: 'TCP 8443 (https): ALLOWED' }).count(), 1);
    await page.screenshot({ path: path.join(OUT, 'explain.png') });
  });

  // Last: it edits a file of the workspace.
  uiTest('an unsaved edit shows what it does against HEAD: status bar, lens, the what-if view and its Explain', async () => {
    await command('View: Close All Editors');
    const rel = 'payments/policies.yaml';
    const original = fs.readFileSync(path.join(workspace, rel), 'utf8');
    // Commenting out the podSelector leaves every pod of team=web namespaces allowed to payments-api.
    const line = original.split('\n').findIndex((l) => l.includes('podSelector: {matchLabels: {app: checkout}}')) + 1;
    assert.ok(line > 0);
    // The quick-fix test saved a fix to this file: commit it, so HEAD is the tree as it now is.
    for (const args of [['add', '-A'], ['commit', '-qm', 'after the quick fix']]) spawnSync('git', ['-c', 'user.name=netlens-test', '-c', 'user.email=test@netlens.invalid', ...args], { cwd: workspace });
    await openFile(rel, line);
    // The editor may first restore the cursor of an earlier visit: delete only once it is on the line.
    await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col` }).waitFor({ timeout: 20_000 });
    // Commented out with the editor's own toggle, unsaved.
    await command('Toggle Line Comment');
    const item = page.locator('.statusbar-item', { hasText: '+2 −0 flows' });
    await item.waitFor({ timeout: 30_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: path.join(OUT, 'what-if-failed.png') });
      throw err;
    });
    await page.locator('.codelens-decoration a', { hasText: 'this change opens 2 flows, closes none (vs HEAD)' }).waitFor({ timeout: 30_000 });
    await item.click();
    await page.locator('.tab', { hasText: 'What-if vs HEAD: +2 −0' }).waitFor({ timeout: 30_000 });
    const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await view.locator('h1', { hasText: 'Against HEAD: this change opens 2 flows, closes 0 flows' }).waitFor({ timeout: 30_000 });
    const shown = (await view.locator('section[data-change=opened] li strong').allInnerTexts()).sort();
    await page.screenshot({ path: path.join(OUT, 'what-if.png') });

    // `netlens diff` on the same edit, saved, lists the very same flows.
    await page.keyboard.press(`${mod}+S`);
    const cli = spawnSync(process.execPath, [CLI, 'diff', '--format', 'json', '.'], { cwd: workspace, encoding: 'utf8' });
    const changes = (JSON.parse(cli.stdout) as { changes: Array<{ change: string; source: string; destination: string }> }).changes;
    assert.deepEqual(shown, changes.filter((c) => c.change === 'opened').map((c) => `${c.source} → ${c.destination}`).sort());
    assert.deepEqual(shown, ['storefront/cart → payments/payments-api', 'storefront/web → payments/payments-api']);

    await view.locator('section[data-change=opened] li', { hasText: 'storefront/cart' }).locator('button', { hasText: 'Explain' }).click();
    await page.locator('.tab', { hasText: 'Explain: storefront/cart → payments/payments-api' }).waitFor({ timeout: 30_000 });
    fs.writeFileSync(path.join(workspace, rel), original);
  });
});
