/**
 * What decided a flow, as the graph page shows it in real headless Chromium:
 * an L7-filtered flow says so on its edge and in its details, a rule of a
 * tier names the tier, and an end the default allow decided is said to be.
 * Graphs computed by the engine from test/fixtures/flow-decisions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { GraphData } from '../server/src/requests.js';
import { FIXTURES } from './support/paths.js';
import { graphOf, postToPage, screenPoint, waitForLayout, WebviewHarness } from './support/webviewHarness.js';

const harness = new WebviewHarness();
const fixture = (name: string) => {
  const file = path.join(FIXTURES, 'flow-decisions', name);
  return { file, text: fs.readFileSync(file, 'utf8') };
};

async function load(graph: GraphData): Promise<Page> {
  const { page } = await harness.open('light');
  await postToPage(page, { type: 'graph', graph });
  await page.waitForFunction((n) => (window as unknown as { netlens: { view: { cy: { nodes(): { length: number } } } } }).netlens.view.cy.nodes().length === n, graph.nodes.length);
  await waitForLayout(page);
  return page;
}

/** The label the canvas draws on an edge, and the details panel's paragraphs after clicking it. */
async function clickEdge(page: Page, id: string): Promise<{ label: string; details: string[] }> {
  const at = await screenPoint(page, id);
  await page.mouse.click(at.x, at.y);
  return page.evaluate((edgeId) => {
    const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy;
    return {
      label: cy.getElementById(edgeId).data('display') as string,
      details: [...document.querySelectorAll('#details p, #details li')].map((e) => [...e.childNodes].map((c) => c.textContent).join(' ').replace(/\s+/g, ' ').trim()),
    };
  }, id);
}

before(() => harness.start());
after(() => harness.stop());

test('an L7-filtered flow says so on its edge and in its details', async () => {
  const page = await load(graphOf([fixture('cilium-l7.yaml')]));
  const shown = await clickEdge(page, 'w:Pod:orders/client->w:Pod:orders/api');
  assert.equal(shown.label, 'TCP 8080 · L7-filtered');
  assert.ok(shown.details.includes('L7-filtered (HTTP): decided here at L4; the CNI also filters the requests.'), shown.details.join('\n'));
  const plain = await clickEdge(page, 'w:Pod:orders/admin->w:Pod:orders/api');
  assert.equal(plain.label, 'TCP 9090');
  assert.ok(!plain.details.some((p) => p.includes('L7-filtered')), plain.details.join('\n'));
  await page.close();
});

test('a tier rule that decided is named with its tier, and the end the default allow decided is said to be', async () => {
  const page = await load(graphOf([fixture('shop.yaml'), fixture('tiers.yaml')]));
  const shown = await clickEdge(page, 'w:Pod:guest/visitor->w:Pod:shop/db');
  assert.deepEqual(shown.details.slice(-2), [
    'Egress: let through by the default allow (no policy has a say there, or every tier passed it on).',
    'admin-guard, ingress rule 3 TCP 8000-8999 from all pods in namespaces team=guest decided in the admin tier at priority 10',
  ]);
  const byDefault = await clickEdge(page, 'w:Pod:shop/db->w:Pod:shop/web');
  assert.equal(byDefault.details.at(-1), 'Allowed by default: no policy decides it at either end (none has a say there, or every tier that has one passes it on).');
  await page.close();
});

test('a workload open to all ingress through an L7-filtered rule says so in its badge', async () => {
  const page = await load(graphOf([fixture('calico-l7.yaml')]));
  const label = await page.evaluate(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.getElementById('w:Pod:store/front').data('display') as string);
  assert.equal(label, 'front\nPod\n◀ open to all ingress (TCP 80, L7-filtered)');
  await page.close();
});
