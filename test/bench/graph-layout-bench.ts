/**
 * `npm run bench:graph`: the graph panel's first layout, per layout engine, on
 * examples/, every corpus folder with workloads and generated clusters of 50
 * and 200 workloads: overlapping nodes and namespace boxes, flow crossings and
 * layout time (median of several runs), in headless Chromium. Then the time
 * from graph message to a drawn, laid-out canvas for 500 workloads. Not a
 * test: the machines are shared, so figures are reported, never asserted.
 */
import { generateCluster } from '../support/generateCluster.js';
import { layoutWorkspaces } from '../support/layoutWorkspaces.js';
import { graphOf, layoutQuality, postToPage, waitForLayout, WebviewHarness } from '../support/webviewHarness.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const engines = (process.env['BENCH_ENGINES'] ?? 'layered,fcose').split(',').filter((e) => e !== '');
async function main(): Promise<void> {
const harness = new WebviewHarness();
await harness.start();
try {
  const rows: string[] = ['| workspace | workloads | flows drawn | engine | overlapping nodes | overlapping boxes | crossings | layout ms (median) |', '|---|---|---|---|---|---|---|---|'];
  const only = process.env['BENCH_ONLY']?.split(',');
  for (const { name, graph } of layoutWorkspaces().filter((w) => only === undefined || only.includes(w.name))) {
    const workloads = graph.nodes.filter((n) => n.kind === 'workload').length;
    for (const engine of engines) {
      const times: number[] = [];
      const nodes: number[] = [];
      const boxes: number[] = [];
      const crossings: number[] = [];
      let drawn = 0;
      for (let i = 0; i < runs; i++) {
        const { page } = await harness.open('light', { width: 1400, height: 900 });
        await page.evaluate((e) => ((window as unknown as { netlens: { view: { layoutEngine: string } } }).netlens.view.layoutEngine = e), engine);
        await postToPage(page, { type: 'graph', graph });
        await waitForLayout(page);
        const q = await layoutQuality(page);
        drawn = await page.evaluate(() => (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy.edges(':visible').length);
        times.push(q.layoutMs);
        nodes.push(q.nodeOverlaps.length);
        boxes.push(q.boxOverlaps.length);
        crossings.push(q.crossings);
        await page.close();
      }
      const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}–${Math.max(...xs)}`);
      rows.push(`| ${name} | ${workloads} | ${drawn} | ${engine} | ${range(nodes)} | ${range(boxes)} | ${range(crossings)} | ${Math.round(median(times))} |`);
      console.log(rows.at(-1));
    }
  }
  console.log(`\n${rows.join('\n')}`);

  // 500 workloads: message posted to laid-out canvas, and selecting a workload.
  const files = generateCluster({ workloads: 500, policies: 250, namespaces: 10, perFile: 25, seed: 7 });
  const big = graphOf(files);
  const drawTimes: number[] = [];
  const selectTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { page } = await harness.open('dark', { width: 1400, height: 900 });
    const drawMs = await page.evaluate(async (json) => {
      const start = performance.now();
      window.postMessage(JSON.parse(json), '*');
      await new Promise<void>((resolve) => {
        // Builds before the layered layout only set data-layout-ms once drawn: the bench times them too.
        const drawn = () => document.body.dataset['layout'] === 'done' || (document.body.dataset['layout'] === undefined && document.body.dataset['layoutMs'] !== undefined);
        const check = () => (drawn() ? resolve() : setTimeout(check, 5));
        check();
      });
      return performance.now() - start;
    }, JSON.stringify({ type: 'graph', graph: big }));
    const target = big.nodes.find((n) => n.kind === 'workload')!.id;
    const selectMs = await page.evaluate((id) => {
      const start = performance.now();
      (window as unknown as { netlens: { view: { select(id: string): void } } }).netlens.view.select(id);
      return performance.now() - start;
    }, target);
    drawTimes.push(drawMs);
    selectTimes.push(selectMs);
    await page.close();
  }
  console.log(`\n500 workloads, ${big.edges.length} flows: message to laid-out canvas ${Math.round(median(drawTimes))} ms, select a workload ${Math.round(median(selectTimes))} ms (median of ${runs})`);
} finally {
  await harness.stop();
}
}

void main();
