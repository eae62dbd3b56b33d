/**
 * Part of `npm run bench:graph`: the graph panel drawing 500 workloads (about
 * 42,000 flows) in headless Chromium, from the graph message posted to a
 * laid-out canvas, and then selecting a workload; median of BENCH_RUNS runs.
 *
 * It imports only the cluster generator and the page harness, which builds
 * from before issue 17 also have, so the same figure can be taken on an older
 * build: copy out/test/bench/graph-render-bench.js into that build's
 * out/test/bench/ and run it there. Each build draws its own engine's graph.
 */
import { generateCluster } from '../support/generateCluster.js';
import { graphOf, WebviewHarness } from '../support/webviewHarness.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const runs = Number(process.env['BENCH_RUNS'] ?? 3);

async function main(): Promise<void> {
  const harness = new WebviewHarness();
  await harness.start();
  try {
    const big = graphOf(generateCluster({ workloads: 500, policies: 250, namespaces: 10, perFile: 25, seed: 7 }));
    const drawTimes: number[] = [];
    const selectTimes: number[] = [];
    const layoutTimes: number[] = [];
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
      layoutTimes.push(Number(await page.evaluate(() => document.body.dataset['layoutMs'])));
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
    const ms = (xs: number[]) => `${Math.round(median(xs))} ms (${xs.map(Math.round).join(', ')})`;
    console.log(`500 workloads, ${big.edges.length} flows, median of ${runs}: message to laid-out canvas ${ms(drawTimes)}, of which layout ${ms(layoutTimes)}; select a workload ${ms(selectTimes)}`);
  } finally {
    await harness.stop();
  }
}

void main();
