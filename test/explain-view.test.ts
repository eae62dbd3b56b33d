/**
 * The explain panel's page in real headless Chromium: the production HTML
 * with its CSP and the bundled script, fed the report the engine computes for
 * the explain fixture (and for Sock Shop, screenshotted). Checks what is
 * drawn, what the page posts back, and that hostile names stay text.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { analyze, analyzeTexts, declaredPorts, explainConnection, explanationReport, flowDiff, LineIndex, parseIP, parseManifestFile, resolveEndpoint, type Analysis, type ExplainReport } from '../server/src/engine/index.js';
import type { WhatIfResult } from '../server/src/requests.js';
import { CORPUS, CORPUS_MISSING, FIXTURES, REPO_ROOT } from './support/paths.js';
import { graphOf, postToPage, screenPoint, WebviewHarness } from './support/webviewHarness.js';

const OUT = path.join(REPO_ROOT, 'test-output', 'webview');
const harness = new WebviewHarness();
const SHOP = path.join(FIXTURES, 'explain', 'shop.yaml');

function reportOf(a: Analysis, texts: Map<string, string>, source: string, destination: string): ExplainReport {
  const toIP = (t: string) => {
    const ip = parseIP(t);
    return ip.ok ? ip.value : undefined;
  };
  const s = resolveEndpoint(a.workspace, source, toIP);
  const d = resolveEndpoint(a.workspace, destination, toIP);
  assert.ok(s.ok && d.ok);
  const e = explainConnection(a.workspace, a.reachability.namespaceLabels, { source: s.endpoint, destination: d.endpoint, ports: declaredPorts(d.endpoint) });
  return explanationReport(e, (file) => new LineIndex(texts.get(file) ?? ''));
}

before(async () => {
  await harness.start();
  fs.mkdirSync(OUT, { recursive: true });
});
after(() => harness.stop());

const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

async function openWith(report: ExplainReport, theme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const opened = await harness.open(theme, { width: 1100, height: 900 }, '/explain.html');
  await opened.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  await postToPage(opened.page, { type: 'explain', report });
  await opened.page.locator('h1').filter({ hasText: '→' }).waitFor();
  return opened;
}

test('the explain page draws verdicts, traced rules and near misses, and asks the host to open sources and apply fixes', async () => {
  const text = fs.readFileSync(SHOP, 'utf8');
  const report = reportOf(analyzeTexts([{ file: SHOP, text }]), new Map([[SHOP, text]]), 'front-end', 'carts');
  const { page, errors } = await openWith(report);
  assert.equal(await page.locator('h1').innerText(), 'shop/front-end → shop/carts: DENIED');
  assert.deepEqual(await page.locator('h2').allInnerTexts(), ['TCP 80 (http): DENIED', 'TCP 9090 (admin): DENIED']);
  const first = page.locator('article').first();
  assert.equal(
    await first.locator('section[data-direction=ingress] p.summary').innerText(),
    'denied: isolated by shop/cortex-access, shop/carts-admin, and no ingress rule of them admits this.',
  );
  assert.deepEqual(await first.locator('section[data-direction=ingress] li.check-fail').allInnerTexts(), [
    '✗ from pods name=cortex in shop: podSelector name=cortex: the pods of shop/front-end have name=front-end',
    '✗ TCP port "admn": shop/carts declares no TCP port named "admn"; 80 is "http"',
  ]);
  const miss = first.locator('.miss').first();
  assert.equal(await miss.locator('li a').innerText(), 'podSelector name=cart: the pods of shop/carts have name=carts (1 character)');
  await miss.locator('button').click();
  await miss.locator('li a').click();
  const line = text.slice(0, text.indexOf('name: cart\n')).split('\n').length - 1;
  assert.deepEqual((await posted(page)).slice(1), [
    { type: 'fix', port: 0, direction: 'ingress', miss: 0, change: 0 },
    { type: 'open', uri: SHOP, line },
  ]);
  assert.equal(await miss.locator('button').innerText(), 'Change name: cart to carts');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(OUT, 'explain-shop.png'), fullPage: true });
  await page.close();
});

test('names are drawn as text, and malformed messages are dropped', async () => {
  const hostile = '<img src=x onerror="window.__pwned=1">';
  const text = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: n, labels: {app: '${hostile}'}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: n, labels: {app: b}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: n}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress: [{from: [{podSelector: {matchLabels: {app: x}}}]}]
`;
  const report = reportOf(analyzeTexts([{ file: '/w/h.yaml', text }]), new Map([['/w/h.yaml', text]]), 'n/a', 'n/b');
  const { page, errors } = await openWith(report);
  const fail = await page.locator('li.check-fail').first().innerText();
  assert.equal(fail, `✗ from pods app=x in n: podSelector app=x: the pods of n/a have app=${hostile}`);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.equal(await page.locator('img').count(), 0);
  await postToPage(page, { type: 'explain', report: { source: 'x', destination: 'y', allowed: true, ports: [{ port: 'eighty' }] } });
  assert.equal(await page.locator('h1').innerText(), 'n/a → n/b: DENIED', 'the malformed report was dropped');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('screenshot: Sock Shop front-end → carts in light and dark theme', { skip: CORPUS_MISSING }, async () => {
  const dir = path.join(CORPUS!, 'sock-shop', 'deploy', 'kubernetes');
  const files = [path.join(dir, 'complete-demo.yaml'), ...fs.readdirSync(path.join(dir, 'manifests-policy')).map((f) => path.join(dir, 'manifests-policy', f))];
  const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const a = analyze(files.map((f) => parseManifestFile(f, texts.get(f)!)));
  const report = reportOf(a, texts, 'front-end', 'carts');
  for (const theme of ['light', 'dark'] as const) {
    const { page, errors } = await openWith(report, theme);
    assert.equal(await page.locator('.miss li a').first().innerText(), 'podSelector name=cart: the pods of sock-shop/carts have name=carts (1 character)');
    assert.deepEqual(errors, []);
    await page.screenshot({ path: path.join(OUT, `explain-sock-shop-${theme}.png`), fullPage: true });
    await page.close();
  }
});

test('the graph page offers "Explain…" on a flow between workloads, and asks the host for the explain view', async () => {
  const file = path.join(FIXTURES, 'graph', 'shop.yaml');
  const graph = graphOf([{ file, text: fs.readFileSync(file, 'utf8') }]);
  const { page, errors } = await harness.open('light');
  await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  await postToPage(page, { type: 'graph', graph });
  // The status names the layout time once the layout is done and nodes have their places.
  await page.waitForFunction(() => /layout \d+ ms$/.test(document.getElementById('status')?.textContent ?? ''));
  const at = await screenPoint(page, 'w:Deployment:shop/api->w:StatefulSet:shop/db');
  await page.mouse.click(at.x, at.y);
  await page.getByRole('button', { name: 'Explain…' }).click();
  assert.deepEqual((await posted(page)).slice(1), [{ type: 'explain', source: 'shop/api', destination: 'shop/db' }]);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the what-if view lists the flows an edit opens and closes, each with why, and asks the host to explain one', async () => {
  const base = fs.readFileSync(SHOP, 'utf8');
  // The edit: cart-access's selector fixed to the pods' real label, and front-end-open deleted.
  const head = base
    .replace('name: cart\n', 'name: carts\n')
    .split('\n---\n')
    .filter((doc) => !doc.includes('name: front-end-open'))
    .join('\n---\n');
  const changes = flowDiff(analyzeTexts([{ file: SHOP, text: base }]), analyzeTexts([{ file: SHOP, text: head }]));
  const result: WhatIfResult = { base: 'HEAD', opened: 1, closed: 1, changes };
  const opened = await harness.open('light', { width: 1100, height: 700 }, '/explain.html');
  const { page, errors } = opened;
  await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  await postToPage(page, { type: 'whatIf', result });
  await page.locator('h1').filter({ hasText: 'Against HEAD' }).waitFor();
  assert.equal(await page.locator('h1').innerText(), 'Against HEAD: this change opens 1 flow, closes 1 flow');
  assert.deepEqual(await page.locator('h2').allInnerTexts(), ['Opened (1)', 'Closed (1)']);
  assert.deepEqual(await page.locator('section[data-change=opened] li').allInnerTexts(), [
    'shop/front-end → shop/carts TCP 80Explain\n\ningress of shop/carts allowed: isolated by shop/cortex-access, shop/cart-access, shop/carts-admin; allowed by shop/cart-access ingress rule 1.',
  ]);
  assert.deepEqual(await page.locator('section[data-change=closed] li').allInnerTexts(), [
    'shop/carts → shop/front-end TCP 8079Explain\n\ningress of shop/front-end denied: isolated by shop/cortex-access, and no ingress rule of it admits this.',
  ]);
  // The closed flow is second in the result the host holds: the page names it by that index.
  await page.locator('section[data-change=closed] button').click();
  assert.deepEqual((await posted(page)).slice(1), [{ type: 'explainFlow', index: changes.findIndex((c) => c.change === 'closed') }]);
  await page.screenshot({ path: path.join(OUT, 'what-if-shop.png'), fullPage: true });

  const hostile = '<img src=x onerror="window.__pwned=1">';
  await postToPage(page, { type: 'whatIf', result: { base: hostile, opened: 1, closed: 0, changes: [{ ...changes[0]!, source: hostile, why: hostile }] } });
  await page.locator('h1').filter({ hasText: 'onerror' }).waitFor();
  assert.equal(await page.locator('strong').first().innerText(), `${hostile} → ${changes[0]!.destination}`);
  assert.equal(await page.locator('img').count(), 0);
  await postToPage(page, { type: 'whatIf', result: { base: 'HEAD', opened: 'one', closed: 0, changes: [] } });
  await postToPage(page, { type: 'whatIf', result: { base: 'HEAD', opened: 0, closed: 0, changes: [{ change: 'moved' }] } });
  assert.match(await page.locator('h1').innerText(), /onerror/, 'the malformed results were dropped');
  await postToPage(page, { type: 'whatIf', result: { base: 'main', opened: 0, closed: 0, changes: [], error: 'not a git repository' } });
  await page.locator('h1').filter({ hasText: 'against main' }).waitFor();
  assert.equal(await page.locator('main p').innerText(), 'not a git repository');
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
