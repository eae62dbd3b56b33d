/**
 * `npm run bench:graph`: the graph panel's first layout, per layout engine, on
 * examples/, every corpus folder with workloads and generated clusters of 50
 * and 200 workloads: overlapping nodes and namespace boxes, flow crossings and
 * layout time (median of several runs), in headless Chromium. The time to
 * draw 500 workloads is graph-render-bench.ts. Not a test: the machines are
 * shared, so figures are reported, never asserted.
 */
import { layoutWorkspaces } from '../support/layoutWorkspaces.js';
import { layoutQuality, postToPage, waitForLayout, WebviewHarness } from '../support/webviewHarness.js';

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
  const rows: string[] = ['| workspace | workloads | flows drawn | engine | overlapping nodes | overlapping boxes | crossings | of which with a default-allow flow | layout ms (median) |', '|---|---|---|---|---|---|---|---|---|'];
  const only = process.env['BENCH_ONLY']?.split(',');
  for (const { name, graph } of layoutWorkspaces().filter((w) => only === undefined || only.includes(w.name))) {
    const workloads = graph.nodes.filter((n) => n.kind === 'workload').length;
    for (const engine of engines) {
      const times: number[] = [];
      const nodes: number[] = [];
      const boxes: number[] = [];
      const crossings: number[] = [];
      const defaultCrossings: number[] = [];
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
        defaultCrossings.push(q.defaultCrossings);
        await page.close();
      }
      const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}–${Math.max(...xs)}`);
      rows.push(`| ${name} | ${workloads} | ${drawn} | ${engine} | ${range(nodes)} | ${range(boxes)} | ${range(crossings)} | ${range(defaultCrossings)} | ${Math.round(median(times))} |`);
      console.log(rows.at(-1));
    }
  }
  console.log(`\n${rows.join('\n')}`);
} finally {
  await harness.stop();
}
}

void main();
