/**
 * Helm charts in the language server: each chart of the workspace is
 * rendered with `helm template` (netlens.helmBinary, with
 * netlens.helmValueFiles), and the rendered objects are analysed in place of
 * the templates. helm reads the chart from disk, so charts render again when
 * a file of theirs is saved or changes on disk, not on unsaved edits. A
 * chart that cannot be rendered gets one information finding on Chart.yaml.
 */
import * as path from 'node:path';
import type { Finding } from './engine/index.js';
import { chartNotRenderedFinding, chartSpanMapper, helmCharts, mapChartSpans, renderChart, renderedChart, type HelmChart, type RenderedChart } from './sources/helm.js';
import { tryReadFile } from './sources/kustomize.js';
import type { RenderedSources } from './kustomizeRenders.js';
import { pathOf, uriOf } from './uris.js';

export interface HelmHost {
  binary(): string;
  valueFiles(): readonly string[];
  /** Every indexed file under a file: uri, by uri. */
  texts(): ReadonlyMap<string, string>;
  changed(sources: RenderedSources): void;
}

interface ChartState {
  readonly chart: HelmChart;
  last: RenderedChart | undefined;
  failure: Finding | undefined;
}

export class HelmRenders {
  private states = new Map<string, ChartState>();
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly host: HelmHost) {}

  /** Finds the charts afresh and renders each; passes run one after another. */
  renderAll(): Promise<void> {
    this.running = this.running.then(() => this.pass());
    return this.running;
  }

  /** A file was saved or changed on disk: charts holding it, or a new Chart.yaml, render again. */
  noteSaved(uri: string): void {
    const file = pathOf(uri);
    if (file === undefined) return;
    if (path.basename(file) === 'Chart.yaml' || [...this.states.values()].some((s) => file.startsWith(s.chart.dir + path.sep))) void this.renderAll();
  }

  private async pass(): Promise<void> {
    const texts = new Map<string, string>();
    for (const [uri, text] of this.host.texts()) {
      const file = pathOf(uri);
      if (file !== undefined) texts.set(file, text);
    }
    const binary = this.host.binary();
    const charts = binary === 'none' ? [] : helmCharts(texts);
    const next = new Map<string, ChartState>();
    for (const chart of charts) {
      const state: ChartState = this.states.get(chart.file) ?? { chart, last: undefined, failure: undefined };
      const chartUri = uriOf(chart.file);
      const render = await renderChart(chart, binary, this.host.valueFiles());
      if (render.ok) {
        state.last = renderedChart(chart, chartUri, render.text);
        state.failure = undefined;
      } else state.failure = chartNotRenderedFinding(chartUri, binary, render);
      next.set(chart.file, state);
    }
    this.states = next;
    this.host.changed(this.sources(texts));
  }

  private sources(texts: ReadonlyMap<string, string>): RenderedSources {
    const rendered = [...this.states.values()].flatMap((s) => (s.last === undefined ? [] : [s]));
    const replaced = new Set<string>();
    for (const s of rendered) for (const file of texts.keys()) if (file.startsWith(path.join(s.chart.dir, 'templates') + path.sep)) replaced.add(uriOf(file));
    const readSource = (file: string) => texts.get(file) ?? tryReadFile(file);
    return {
      roots: rendered.map((s) => ({ uri: s.last!.virtualFile, text: s.last!.text })),
      replaced,
      namespaceOf: new Map(),
      findings: [...this.states.values()].flatMap((s) => (s.failure === undefined ? [] : [s.failure])),
      mapFindings: (all) => rendered.reduce((acc, s) => mapChartSpans(s.last!, acc, readSource, uriOf), [...all]),
      placeSpan: (span) => {
        const chart = rendered.find((s) => s.last!.virtualFile === span.file)?.last;
        return chart === undefined ? span : chartSpanMapper(chart, readSource, uriOf)(span);
      },
      // Templates are not YAML until rendered: a position in one stands for no particular place in the render.
      renderedAt: () => [],
    };
  }
}
