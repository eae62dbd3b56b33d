/**
 * The graph panel's page in real headless Chromium: the bundled script and
 * stylesheet, the production HTML with its CSP, graphs computed by the engine
 * from YAML fixtures. Screenshots go to test-output/webview/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { GraphData } from '../server/src/requests.js';
import { generateCluster } from './support/generateCluster.js';
import { GRAPH_ATTACKS, serverGraph } from './support/graphAttacks.js';
import { CORPUS, CORPUS_MISSING, FIXTURES, REPO_ROOT } from './support/paths.js';
import { layoutWorkspaces } from './support/layoutWorkspaces.js';
import { graphOf, layoutQuality, postToPage, readTree, screenPoint, setTheme, THEMES, waitForLayout, WebviewHarness, type ThemeName } from './support/webviewHarness.js';

const OUT = path.join(REPO_ROOT, 'test-output', 'webview');
const harness = new WebviewHarness();

function fixture(name: string): { file: string; text: string } {
  const file = path.join(FIXTURES, 'graph', name);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

const shop = fixture('shop.yaml');
const shopGraph = graphOf([shop]);
/** Flows drawn as edges by default: allow-all flows are badges on their nodes. */
const drawnByDefault = (graph: GraphData) => graph.edges.filter((e) => e.allowAll !== true).length;

interface PageState {
  nodes: number;
  edges: number;
  visibleEdges: number;
  selected: string[];
  faded: string[];
  details: string;
  status: string;
}

function state(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy;
    return {
      nodes: cy.nodes().length,
      edges: cy.edges().length,
      visibleEdges: (window as unknown as { netlens: { view: { visibleEdgeCount(): number } } }).netlens.view.visibleEdgeCount(),
      selected: cy.$(':selected').map((e) => e.id()),
      faded: cy.$('.faded').map((e) => e.id()),
      // One line per block; the parts of a list item or table row joined by spaces.
      details: [...document.querySelectorAll('#details h2, #details h3, #details p, #details li, #details tr')]
        .map((e) => (e.tagName === 'LI' || e.tagName === 'TR' ? [...e.childNodes].map((c) => c.textContent).join(' ') : (e.textContent ?? '')).replace(/\s+/g, ' ').trim())
        .join('\n'),
      status: document.getElementById('status')!.textContent ?? '',
    };
  });
}

async function load(graph: GraphData, theme: ThemeName = 'light', size?: { width: number; height: number }) {
  const opened = await harness.open(theme, size);
  await postToPage(opened.page, { type: 'graph', graph });
  await opened.page.waitForFunction((n) => (window as unknown as { netlens: { view: { cy: { nodes(): { length: number } } } } }).netlens.view.cy.nodes().length === n, graph.nodes.length);
  await waitForLayout(opened.page);
  return opened;
}

const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  await harness.start();
});
after(() => harness.stop());

test('draws every node and flow of the graph, and says so', async () => {
  const { page, errors } = await load(shopGraph);
  const s = await state(page);
  // 2 namespaces, 4 workloads, "anywhere" and one CIDR.
  assert.equal(s.nodes, 8);
  assert.equal(s.nodes, shopGraph.nodes.length);
  // 8 flows, 3 of them allowed only by web-from-anywhere's allow-all rule: badges, not edges.
  assert.equal(shopGraph.edges.length, 8);
  assert.equal(s.edges, 5);
  assert.equal(s.edges, drawnByDefault(shopGraph));
  assert.match(s.status, /^4 workloads · 8 flows \(5 shown\) · layout \d+ ms$/);
  assert.deepEqual(await posted(page), [{ type: 'ready' }]);
  // The page loaded under its CSP without a single violation (cytoscape's own stylesheet included).
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the first layout overlaps no nodes and no namespace boxes on examples/, the corpus and generated clusters', async (t) => {
  const workspaces = layoutWorkspaces();
  // examples/, the two generated clusters and, with the corpus, every folder of it that has workloads.
  assert.equal(workspaces.filter((w) => w.name === 'examples' || w.name.startsWith('generated-')).length, 3);
  for (const { name, graph } of workspaces) {
    const { page, errors } = await load(graph);
    const q = await layoutQuality(page);
    t.diagnostic(`${name}: ${graph.nodes.length} nodes, ${q.crossings} crossings (${q.defaultCrossings} with a default-allow flow), layout ${Math.round(q.layoutMs)} ms`);
    assert.deepEqual(q.nodeOverlaps, [], `${name}: overlapping nodes`);
    assert.deepEqual(q.boxOverlaps, [], `${name}: overlapping namespace boxes`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('clicking a workload highlights what reaches it and what it reaches', async () => {
  const { page, errors } = await load(shopGraph);
  const at = await screenPoint(page, 'w:Deployment:shop/api');
  await page.mouse.click(at.x, at.y);
  const s = await state(page);
  assert.deepEqual(s.selected, ['w:Deployment:shop/api']);
  // web → api and api → db, api → web, api → backup: all four other workloads are neighbours...
  for (const id of ['w:Deployment:shop/web', 'w:StatefulSet:shop/db', 'w:Deployment:ops/backup']) assert.ok(!s.faded.includes(id), `${id} should stay lit`);
  // ...while the external peers, not connected to api, fade, and so do flows not touching api.
  assert.ok(s.faded.includes('any'));
  assert.ok(s.faded.includes('cidr:198.51.100.0/24'));
  assert.ok(s.faded.includes('w:StatefulSet:shop/db->cidr:198.51.100.0/24'));
  assert.match(s.details, /^shop\/api\n/);
  assert.match(s.details, /Reached by \(1\)\nshop\/web TCP 8000/);
  assert.match(s.details, /Reaches \(3\)/);
  assert.match(s.details, /Selected by\nshop\/api-from-web/);
  // Open YAML posts the workload's own line.
  await page.getByRole('button', { name: 'Open YAML' }).click();
  const line = shop.text.split('\n').findIndex((l) => l === '  name: api');
  assert.deepEqual((await posted(page)).at(-1), { type: 'open', uri: shop.file, line });
  // Clicking the background clears the highlight.
  const box = (await page.locator('#graph').boundingBox())!;
  await page.mouse.click(box.x + 5, box.y + 5);
  assert.deepEqual((await state(page)).faded, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('clicking a flow lists the rules that allow it, with links to their source', async () => {
  const { page, errors } = await load(shopGraph);
  const at = await screenPoint(page, 'w:Deployment:shop/api->w:StatefulSet:shop/db');
  await page.mouse.click(at.x, at.y);
  const s = await state(page);
  assert.deepEqual(s.selected, ['w:Deployment:shop/api->w:StatefulSet:shop/db']);
  assert.match(s.details, /^shop\/api → shop\/db\nPorts\nTCP 5432\n/);
  assert.match(s.details, /Allowed by \(1\)\nshop\/db-from-api, ingress rule 1 TCP 5432 from pods app=api in shop$/);
  await page.getByRole('button', { name: 'shop/db-from-api, ingress rule 1' }).click();
  const policyAt = shop.text.indexOf('name: db-from-api');
  const ruleLine = shop.text.slice(0, shop.text.indexOf('    - from:', policyAt)).split('\n').length - 1;
  assert.deepEqual((await posted(page)).at(-1), { type: 'open', uri: shop.file, line: ruleLine });
  assert.deepEqual(errors, []);
  await page.close();
});

test('labels and names that are markup render as text and run nothing', async () => {
  const hostile = fixture('hostile.yaml');
  const graph = graphOf([hostile]);
  const { page, errors } = await load(graph);
  const evilId = graph.nodes.find((n) => n.label === '<img src=x onerror=window.__pwned=1>')!.id;
  // Reach it the keyboard way: the workload list in the side panel.
  await page.getByRole('button', { name: '"><svg onload=window.__pwned=3>/<img src=x onerror=window.__pwned=1>' }).click();
  const s = await state(page);
  assert.deepEqual(s.selected, [evilId]);
  assert.ok(s.details.includes('<img src=x onerror=window.__pwned=1>'));
  assert.ok(s.details.includes('<script>window.__pwned=2</script>'));
  const injected = await page.evaluate(() => document.querySelectorAll('#details img, #details script, #details svg, body > img, body > svg').length);
  assert.equal(injected, 0);
  // The SVG export escapes them too.
  await page.locator('#export-svg').click();
  const svg = ((await posted(page)).at(-1) as { type: string; format: string; data: string });
  assert.equal(svg.type, 'export');
  assert.equal(svg.format, 'svg');
  assert.ok(svg.data.includes('&lt;img src=x onerror=window.__pwned=1&gt;'));
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, foreign: doc.querySelectorAll('img, script, foreignObject').length, texts: [...doc.querySelectorAll('text')].map((t) => t.textContent) };
  }, svg.data);
  assert.equal(parsed.error, false);
  assert.equal(parsed.foreign, 0);
  assert.ok(parsed.texts.includes('"><svg onload=window.__pwned=3>'));
  await page.waitForTimeout(200); // an onerror/onload handler would have fired by now
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Content-Security-Policy blocks an inline script that lacks the nonce', async () => {
  harness.inject = '<script>window.__inline = 1</script>';
  try {
    const { page, errors } = await load(shopGraph);
    assert.equal(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline), undefined);
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert.deepEqual(violations, ['script-src-elem inline']);
    // The nonce'd bundle still ran: the graph is drawn.
    assert.equal((await state(page)).nodes, shopGraph.nodes.length);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    harness.inject = '';
  }
});

test('filters by namespace, port and protocol, and by default-allow', async () => {
  const { page, errors } = await load(shopGraph);
  await page.locator('#port').fill('5432');
  let s = await state(page);
  // api → db on 5432, and the two default flows into backup (every port).
  assert.equal(s.visibleEdges, 3);
  await page.locator('#show-default').uncheck();
  assert.equal((await state(page)).visibleEdges, 1);
  await page.locator('#port').fill('');
  await page.locator('#protocol').selectOption('UDP');
  assert.equal((await state(page)).visibleEdges, 0);
  await page.locator('#protocol').selectOption('');
  await page.locator('#show-default').check();
  await page.locator('#namespace').selectOption('ops');
  s = await state(page);
  // Only flows touching ops: web → backup, api → backup (backup → web is web's "open to all ingress" badge).
  assert.equal(s.visibleEdges, 2);
  assert.match(s.status, /\(2 shown\)/);
  const hidden = await page.evaluate(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.$('.hidden').nodes().map((n) => n.id()));
  assert.deepEqual(hidden.sort(), ['any', 'cidr:198.51.100.0/24', 'w:StatefulSet:shop/db']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard: / searches, Enter selects the first match, Escape clears', async () => {
  const { page, errors } = await load(shopGraph);
  await page.locator('#graph').focus();
  await page.keyboard.press('/');
  await page.keyboard.type('app=db');
  await page.keyboard.press('Enter');
  assert.deepEqual((await state(page)).selected, ['w:StatefulSet:shop/db']);
  await page.keyboard.press('Escape');
  assert.deepEqual((await state(page)).selected, []);
  // Tab reaches the toolbar controls in order.
  await page.locator('#search').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'namespace');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a code lens focus selects the workload, a policy focus lights its pods', async () => {
  const { page, errors } = await harness.open('light');
  await postToPage(page, { type: 'graph', graph: shopGraph, focus: { focus: 'shop/db' } });
  await page.waitForFunction(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.$(':selected').length === 1);
  assert.deepEqual((await state(page)).selected, ['w:StatefulSet:shop/db']);
  await postToPage(page, { type: 'focus', focus: { focus: 'shop/web-from-anywhere', kind: 'policy' } });
  const s = await state(page);
  assert.deepEqual(s.selected, ['w:Deployment:shop/web']);
  assert.match(s.status, /Policy shop\/web-from-anywhere: 1 workload$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a live update keeps unchanged nodes where they were and adds the new one', async () => {
  const { page, errors } = await load(shopGraph);
  const positions = () =>
    page.evaluate(() => Object.fromEntries((window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.nodes().filter((n) => !n.isParent()).map((n) => [n.id(), (n as import('cytoscape').NodeSingular).position()])));
  const before = await positions();
  const grown = { ...shop, text: `${shop.text}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: shop\n  labels: {app: debug}\nspec:\n  containers: [{name: c, image: busybox}]\n` };
  const next = graphOf([grown], 2);
  await postToPage(page, { type: 'graph', graph: next });
  await page.waitForFunction((n) => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.nodes().length === n, next.nodes.length);
  await waitForLayout(page);
  const afterUpdate = await positions();
  assert.ok('w:Pod:shop/debug' in afterUpdate);
  for (const [id, p] of Object.entries(before)) {
    assert.ok(Math.abs(afterUpdate[id]!.x - p.x) < 0.5 && Math.abs(afterUpdate[id]!.y - p.y) < 0.5, `${id} moved from ${JSON.stringify(p)} to ${JSON.stringify(afterUpdate[id])}`);
  }
  assert.equal((await state(page)).edges, drawnByDefault(next));
  assert.deepEqual(errors, []);
  await page.close();
});

test('malformed messages from the host are ignored', async () => {
  const { page, errors } = await load(shopGraph);
  const bad = [
    { type: 'graph', graph: { version: 2, nodes: 'many', edges: [] } },
    { type: 'graph', graph: { version: 2, nodes: [{ id: 'a', kind: 'workload', label: 'a' }], edges: [{ id: 'e', source: 'a', target: 'missing', ports: [], explicit: true, rules: [] }] } },
    { type: 'graph', graph: { version: 2, nodes: [{ id: 'a', kind: 'workload', label: 1 }], edges: [] } },
    { type: 'run', code: 'alert(1)' },
    'graph',
    null,
  ];
  for (const m of bad) await postToPage(page, m);
  const s = await state(page);
  assert.equal(s.nodes, shopGraph.nodes.length);
  assert.equal(s.edges, drawnByDefault(shopGraph));
  assert.deepEqual(errors, []);
  await page.close();
});

for (const attack of GRAPH_ATTACKS) {
  test(`${attack.name}: the real server's graph draws every node and flow (issue 14, class 7)`, async () => {
    const graph = await serverGraph(attack);
    const { page, errors } = await load(graph);
    const s = await state(page);
    assert.equal(s.nodes, attack.nodes);
    assert.equal(s.edges, attack.edges);
    assert.equal(s.visibleEdges, attack.edges);
    assert.match(s.status, new RegExp(`^${attack.nodes - 1} workloads · ${attack.edges} flows · layout \\d+ ms$`));
    const q = await layoutQuality(page);
    assert.deepEqual(q.nodeOverlaps, []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a graph the page cannot draw says why instead of staying blank, and keeps the one drawn before', async () => {
  const opened = await harness.open('light');
  const page = opened.page;
  // Two nodes with one id, as the same Deployment in two files gave before ids were unique by construction.
  const twice = { ...shopGraph, nodes: [...shopGraph.nodes, shopGraph.nodes.find((n) => n.kind === 'workload')!] };
  await postToPage(page, { type: 'graph', graph: twice });
  await page.waitForFunction(() => document.body.dataset['refused'] !== undefined);
  let s = await state(page);
  assert.equal(s.nodes, 0);
  assert.equal(s.status, 'Cannot draw this graph: two elements have the id "w:Deployment:shop/web".');
  assert.equal(s.details, 'Cannot draw the graph\nThe graph from Netlens was refused: two elements have the id "w:Deployment:shop/web". Edit the workspace or run "Netlens: Restart Server" to get a new one.');
  assert.equal(await page.locator('#status.error').count(), 1);
  // A good graph replaces the message...
  await postToPage(page, { type: 'graph', graph: shopGraph });
  await waitForLayout(page);
  s = await state(page);
  assert.equal(s.nodes, shopGraph.nodes.length);
  assert.match(s.status, /^4 workloads · 8 flows \(5 shown\) · layout \d+ ms$/);
  assert.equal(await page.locator('#status.error').count(), 0);
  // ...and a later bad one leaves it drawn, saying why the new one is not: a flow that shares a node's id.
  const edgeAsNode = { ...shopGraph, version: 2, edges: [...shopGraph.edges, { ...shopGraph.edges[0]!, id: 'ns:shop' }] };
  await postToPage(page, { type: 'graph', graph: edgeAsNode });
  await page.waitForFunction(() => document.body.dataset['refused'] !== undefined);
  s = await state(page);
  assert.equal(s.nodes, shopGraph.nodes.length);
  assert.equal(s.edges, drawnByDefault(shopGraph));
  assert.equal(s.status, 'Cannot draw this graph: two elements have the id "ns:shop". Showing the one before.');
  assert.deepEqual(opened.errors, []);
  await page.close();
});

test('allow-all flows are badges on their nodes, drawn as edges on request; explicit flows only on request', async () => {
  const { page, errors } = await load(shopGraph);
  const look = () =>
    page.evaluate(() => {
      const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy;
      return { web: cy.getElementById('w:Deployment:shop/web').data('display') as string, anyVisible: cy.getElementById('any').visible(), edges: cy.edges(':visible').map((e) => e.id()).sort() };
    });
  let seen = await look();
  assert.equal(seen.web, 'web\nDeployment ×3\n◀ open to all ingress (TCP 8080)');
  assert.equal(seen.anyVisible, false);
  assert.deepEqual(seen.edges, [
    'w:Deployment:shop/api->w:Deployment:ops/backup',
    'w:Deployment:shop/api->w:StatefulSet:shop/db',
    'w:Deployment:shop/web->w:Deployment:ops/backup',
    'w:Deployment:shop/web->w:Deployment:shop/api',
    'w:StatefulSet:shop/db->cidr:198.51.100.0/24',
  ]);
  await page.locator('#flows').selectOption('edges');
  await waitForLayout(page);
  seen = await look();
  assert.equal(seen.web, 'web\nDeployment ×3');
  assert.equal(seen.anyVisible, true);
  assert.equal(seen.edges.length, 8);
  await page.locator('#flows').selectOption('explicit');
  await waitForLayout(page);
  seen = await look();
  assert.deepEqual(seen.edges, ['w:Deployment:shop/api->w:StatefulSet:shop/db', 'w:Deployment:shop/web->w:Deployment:shop/api', 'w:StatefulSet:shop/db->cidr:198.51.100.0/24']);
  assert.equal((await layoutQuality(page)).nodeOverlaps.length, 0);
  // The workload's details say what its allow-all rule opens.
  await page.getByRole('button', { name: 'shop/web', exact: true }).click();
  assert.match((await state(page)).details, /\nAllow-all rules\n◀ open to all ingress \(TCP 8080\)\n/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a namespace lists the flows into and out of it; a flow inside a namespace box is clickable', async () => {
  const graph = graphOf(readTree(path.join(REPO_ROOT, 'examples')));
  const { page, errors } = await load(graph);
  const at = await screenPoint(page, 'ns:payments');
  // The box's label sits above it; click the box's top edge, inside the padding, away from workloads and flows.
  const box = await page.evaluate((id) => {
    const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy;
    const b = cy.getElementById(id).renderedBoundingBox({ includeLabels: false });
    const g = document.getElementById('graph')!.getBoundingClientRect();
    return { x: g.left + (b.x1 + b.x2) / 2, y: g.top + b.y1 + 5 };
  }, 'ns:payments');
  assert.ok(Math.abs(box.x - at.x) < 1);
  await page.mouse.click(box.x, box.y);
  let s = await state(page);
  assert.deepEqual(s.selected, ['ns:payments']);
  assert.match(s.details, /\nFlows in \(1\)\nstorefront\/checkout → payments\/payments-api TCP 8443\n/);
  assert.match(
    s.details,
    /\nFlows out \(4\)\nall pods in namespace payments → kube-system\/coredns TCP 53, UDP 53\npayments\/payments-api → 203\.0\.113\.0\/24 TCP 443\npayments\/settlement → 10\.244\.3\.0\/24 any port\npayments\/settlement → 0\.0\.0\.0\/24 TCP 443$/,
  );
  // payments-api → ledger-db runs inside the payments box: a click on it selects the flow, not the box.
  const flow = 'w:Deployment:payments/payments-api->w:StatefulSet:payments/ledger-db';
  const mid = await screenPoint(page, flow);
  await page.mouse.click(mid.x, mid.y);
  s = await state(page);
  assert.deepEqual(s.selected, [flow]);
  assert.match(s.details, /^payments\/payments-api → payments\/ledger-db\n/);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Whether every rendered box of the elements lies inside the canvas, and the canvas beside the details pane. */
function inView(page: Page, ids: string[]) {
  return page.evaluate((list) => {
    const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy;
    const g = document.getElementById('graph')!.getBoundingClientRect();
    const d = document.getElementById('details')!.getBoundingClientRect();
    const outside = list.filter((id) => {
      const b = cy.getElementById(id).renderedBoundingBox({ includeLabels: true });
      return b.x1 < 0 || b.y1 < 0 || b.x2 > g.width || b.y2 > g.height;
    });
    const detailsOverCanvas = d.left < g.right && g.left < d.right && d.top < g.bottom && g.top < d.bottom;
    return { outside, detailsOverCanvas };
  }, ids);
}

test('a selection is fitted with its neighbours inside the canvas, in a narrow panel too; filters refit', async () => {
  const graph = graphOf(readTree(path.join(REPO_ROOT, 'examples')));
  const { page, errors } = await load(graph, 'light', { width: 400, height: 700 });
  await page.locator('#search').fill('storefront/checkout');
  await page.keyboard.press('Enter');
  const neighbours = await page.evaluate(() => (window as unknown as { netlens: { view: { neighbourhood(id: string): import('cytoscape').Collection } } }).netlens.view.neighbourhood('w:Deployment:storefront/checkout').nodes().map((n) => n.id()));
  // checkout reaches payments-api, cart and coredns (grafana and node-exporter by badge or default).
  assert.ok(neighbours.includes('w:Deployment:payments/payments-api'));
  assert.ok(neighbours.includes('w:Deployment:storefront/cart'));
  assert.deepEqual(await inView(page, neighbours), { outside: [], detailsOverCanvas: false });
  // A filter refits the canvas to what is left: it fills the canvas on one axis.
  await page.locator('#namespace').selectOption('payments');
  const fill = await page.evaluate(() => {
    const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy;
    const b = cy.elements(':visible').renderedBoundingBox({});
    return Math.max(b.w / cy.width(), b.h / cy.height());
  });
  assert.ok(fill > 0.8 && fill <= 1, `visible elements fill ${fill} of the canvas`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard on the canvas: arrows move between neighbours, Enter shows details, Escape clears; focus visible; details a region', async () => {
  const { page, errors } = await load(shopGraph);
  const focused = () => page.evaluate(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.nodes('.keyboard-focus').map((n) => n.id()));
  await page.locator('#search').fill('app=web');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  // Tab from the toolbar's last button reaches the canvas, and shows it has focus.
  await page.locator('#export-svg').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'graph');
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('graph')!).outlineStyle), 'solid');
  await page.keyboard.press('ArrowRight');
  const first = await focused();
  assert.equal(first.length, 1);
  // From web, right along its flow to api, right again to db (api → db): each a neighbour. api's drawn
  // neighbours: web, db and backup (its flow back to web is web's "open to all ingress" badge).
  await page.evaluate(() => (window as unknown as { netlens: { view: { focusNode(id: string): void } } }).netlens.view.focusNode('w:Deployment:shop/web'));
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await focused(), ['w:Deployment:shop/api']);
  assert.match((await state(page)).status, /^shop\/api: 3 neighbours · Enter for details$/);
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await focused(), ['w:StatefulSet:shop/db']);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await focused(), ['w:Deployment:shop/api']);
  await page.keyboard.press('Enter');
  const s = await state(page);
  assert.deepEqual(s.selected, ['w:Deployment:shop/api']);
  assert.match(s.details, /^shop\/api\n/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'details');
  assert.deepEqual(await page.evaluate(() => { const d = document.getElementById('details')!; return [d.getAttribute('role'), d.getAttribute('aria-label'), d.getAttribute('aria-live')]; }), ['region', 'Details', 'polite']);
  assert.equal(await page.getByRole('region', { name: 'Details' }).count(), 1);
  await page.keyboard.press('Escape');
  assert.deepEqual((await state(page)).selected, []);
  assert.deepEqual(await focused(), []);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'graph');
  assert.deepEqual(errors, []);
  await page.close();
});

async function screenshot(name: string, graph: GraphData, theme: ThemeName): Promise<void> {
  const { page, errors } = await load(graph, theme);
  await page.locator('#graph').click({ position: { x: 3, y: 3 } });
  await page.screenshot({ path: path.join(OUT, `${name}-${theme}.png`) });
  assert.deepEqual(errors, []);
  await page.close();
}

test('screenshots of examples/ in light and dark theme', async () => {
  const graph = graphOf(readTree(path.join(REPO_ROOT, 'examples')));
  assert.equal(graph.nodes.filter((n) => n.kind === 'workload').length, 12, 'the twelve workloads of examples/');
  for (const theme of ['light', 'dark'] as const) await screenshot('examples', graph, theme);
  // Switching theme live restyles the canvas with the new colours.
  const { page } = await load(graph, 'light');
  const colour = () => page.evaluate(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.nodes('[kind="workload"]').first().style('color'));
  const light = await colour();
  await setTheme(page, 'dark');
  assert.notEqual(await colour(), light);
  await page.close();
});

const SERVICE_DEMOS = ['online-boutique', 'sock-shop'];

test('screenshots of Online Boutique and Sock Shop in light, dark and high contrast themes', async (t) => {
  for (const name of SERVICE_DEMOS) {
    const dir = CORPUS === undefined ? undefined : path.join(CORPUS, name);
    if (dir === undefined || !fs.existsSync(dir)) {
      t.skip(`${CORPUS_MISSING}: no ${name} screenshots`);
      return;
    }
    const graph = graphOf(readTree(dir));
    for (const theme of ['light', 'dark', 'high-contrast'] as const) await screenshot(name, graph, theme);
  }
});

/** WCAG 2 contrast ratio of two opaque colours given as cytoscape reports them ("rgb(r,g,b)") or as #rrggbb. */
function contrast(a: string, b: string): number {
  const channels = (c: string) => (c.startsWith('#') ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) : c.match(/\d+/g)!.slice(0, 3).map(Number));
  const luminance = (c: string) => {
    const [r, g, bl] = channels(c).map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

test('every theme draws labels, borders and flows with enough contrast; high contrast outlines nodes in contrastBorder and selects in focusBorder', async (t) => {
  const dir = CORPUS === undefined ? undefined : path.join(CORPUS, 'online-boutique');
  if (dir === undefined || !fs.existsSync(dir)) {
    t.skip(`${CORPUS_MISSING}: no online-boutique graph`);
    return;
  }
  const graph = graphOf(readTree(dir));
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    const vars = THEMES[theme].vars as Record<string, string>;
    const { page, errors } = await load(graph, theme);
    const styles = await page.evaluate(() => {
      const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core; select(id: string): void } } }).netlens.view;
      const workload = cy.cy.nodes('[kind="workload"]').first();
      const read = (el: { style(name: string): unknown }, ...names: string[]) => Object.fromEntries(names.map((n) => [n, String(el.style(n))]));
      const explicitFlow = cy.cy.edges('[?explicit]').first();
      const before = read(workload, 'color', 'background-color', 'border-color', 'border-width');
      cy.select(workload.id());
      return {
        workload: before,
        selected: read(workload, 'border-color', 'border-width'),
        namespace: read(cy.cy.nodes('[kind="namespace"]').first(), 'border-color', 'background-opacity', 'color'),
        flow: explicitFlow.nonempty() ? read(explicitFlow, 'line-color', 'color', 'text-background-color') : undefined,
      };
    });
    const canvas = vars['--vscode-editor-background']!;
    const text = theme === 'high-contrast' ? 7 : 4.5;
    assert.ok(contrast(styles.workload['color']!, styles.workload['background-color']!) >= text, `${theme}: workload label ${styles.workload['color']} on ${styles.workload['background-color']}`);
    assert.ok(contrast(styles.namespace['color']!, canvas) >= text, `${theme}: namespace label ${styles.namespace['color']} on ${canvas}`);
    // Non-text contrast (WCAG 1.4.11): what tells a node or a flow from the canvas. Namespace boxes
    // are a quiet panel-border frame in the ordinary themes (their names say what they group), a
    // full-contrast one in high contrast.
    const outlines = [['workload border', styles.workload['border-color']!], ['selection', styles.selected['border-color']!], ['flow', styles.flow?.['line-color'] ?? canvas]];
    if (theme === 'high-contrast') outlines.push(['namespace border', styles.namespace['border-color']!]);
    for (const [what, colour] of outlines) {
      assert.ok(contrast(colour, canvas) >= 3, `${theme}: ${what} ${colour} on ${canvas}`);
    }
    assert.ok(styles.flow !== undefined, `${theme}: online-boutique draws an explicit flow`);
    assert.ok(contrast(styles.flow['color']!, styles.flow['text-background-color']!) >= text, `${theme}: flow label ${styles.flow['color']} on ${styles.flow['text-background-color']}`);
    if (theme === 'high-contrast') {
      const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')})`;
      assert.equal(styles.workload['border-color'], rgb(vars['--vscode-contrastBorder']!));
      assert.equal(styles.workload['border-width'], '2px');
      assert.equal(styles.selected['border-color'], rgb(vars['--vscode-focusBorder']!));
      assert.equal(styles.namespace['border-color'], rgb(vars['--vscode-contrastBorder']!));
      assert.equal(styles.namespace['background-opacity'], '0');
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('500 workloads lay out and stay interactive', async (t) => {
  const files = generateCluster({ workloads: 500, policies: 250, namespaces: 10, perFile: 25, seed: 7 });
  const graph = graphOf(files);
  assert.equal(graph.nodes.filter((n) => n.kind === 'workload').length, 500);
  const started = Date.now();
  const { page, errors } = await load(graph, 'dark');
  const layoutMs = Number(await page.evaluate(() => document.body.dataset['layoutMs']));
  t.diagnostic(`500 workloads, ${graph.edges.length} flows: layout ${layoutMs} ms, message to drawn ${Date.now() - started} ms`);
  // Too many flows to draw one by one: one edge per pair of namespaces, each no more than once.
  const drawn = await page.evaluate(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.edges().map((e) => `${e.data('source')} ${e.data('target')}`));
  assert.ok(graph.edges.length > 2000);
  assert.ok(drawn.length > 0 && drawn.length <= 10 * 9 + 2 * 20, `${drawn.length} summary edges`);
  assert.equal(new Set(drawn).size, drawn.length);
  assert.match((await state(page)).status, /drawn per namespace/);
  // Selecting a workload draws exactly its own flows.
  const target = graph.nodes.find((n) => n.kind === 'workload')!;
  const own = graph.edges.filter((e) => e.allowAll !== true && (e.source === target.id || e.target === target.id || e.source === target.parent || e.target === target.parent)).length;
  const clickStarted = Date.now();
  await page.locator('#search').fill(target.ref!);
  await page.keyboard.press('Enter');
  const s = await state(page);
  t.diagnostic(`search + select + draw ${own} own flows: ${Date.now() - clickStarted} ms`);
  assert.deepEqual(s.selected, [target.id]);
  assert.equal(await page.evaluate(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.edges('.own').length), own);
  assert.ok(s.faded.length > 0);
  assert.match(s.details, new RegExp(`Reached by \\(${graph.edges.filter((e) => (e.target === target.id || e.target === target.parent) && e.source !== target.id).length}\\)`));
  await page.screenshot({ path: path.join(OUT, 'generated-500-dark.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
