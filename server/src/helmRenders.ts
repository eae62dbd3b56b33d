/**
 * Helm charts in the language server: each chart of the workspace is
 * rendered with `helm template` (netlens.helmBinary, with
 * netlens.helmValueFiles), and the rendered objects are analysed in place of
 * the templates. Charts render again 300 ms after an edit of one of their
 * files (from a scratch copy holding the unsaved buffers: helm reads only the
 * disk), and when one is saved or changes on disk. A chart that cannot be
 * rendered gets one information finding on Chart.yaml; one that rendered
 * before keeps its last good render.
 */
import * as path from 'node:path';
import type { Finding } from './engine/index.js';
import { chartNotRenderedFinding, chartSpanMapper, helmCharts, mapChartSpans, renderChart, renderedChart, templatePositionInRender, type HelmChart, type RenderedChart } from './sources/helm.js';
import { tryReadFile } from './sources/kustomize.js';
import { RENDER_DEBOUNCE_MS, renderInputs, type RenderedSources } from './kustomizeRenders.js';
import { pathOf, uriOf } from './uris.js';

export interface HelmHost {
  binary(): string;
  valueFiles(): readonly string[];
  /** Every indexed file under a file: uri, by uri. */
  texts(): ReadonlyMap<string, string>;
  /** Whether a uri's text comes from the editor rather than the disk. */
  isOpen(uri: string): boolean;
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
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: HelmHost) {}

  /** Finds the charts afresh and renders each; passes run one after another. */
  renderAll(): Promise<void> {
    this.running = this.running.then(() => this.pass());
    return this.running;
  }

  /** A file was saved or changed on disk: charts holding it, or a new Chart.yaml, render again. */
  noteSaved(uri: string): void {
    if (this.holds(uri)) void this.renderAll();
  }

  /** An unsaved edit (or a close, back to the disk text): charts holding the file render again after a pause. */
  noteChange(uri: string): void {
    if (!this.holds(uri)) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.renderAll();
    }, RENDER_DEBOUNCE_MS);
  }

  private holds(uri: string): boolean {
    const file = pathOf(uri);
    return file !== undefined && (path.basename(file) === 'Chart.yaml' || [...this.states.values()].some((s) => file.startsWith(s.chart.dir + path.sep)));
  }

  private async pass(): Promise<void> {
    const { texts, buffers } = renderInputs(this.host);
    const binary = this.host.binary();
    const charts = binary === 'none' ? [] : helmCharts(texts);
    const next = new Map<string, ChartState>();
    for (const chart of charts) {
      const state: ChartState = this.states.get(chart.file) ?? { chart, last: undefined, failure: undefined };
      const chartUri = uriOf(chart.file);
      const render = await renderChart(chart, binary, this.host.valueFiles(), buffers);
      if (render.ok) {
        state.last = renderedChart(chart, chartUri, render.text);
        state.failure = undefined;
      } else state.failure = chartNotRenderedFinding(chartUri, binary, render, state.last !== undefined);
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
      // A hover in a template reads the object rendered from it, at the same YAML path (templatePositionInRender).
      renderedAt: (uri, offset) => {
        const file = pathOf(uri);
        const text = file === undefined ? undefined : readSource(file);
        if (file === undefined || text === undefined) return [];
        return rendered.flatMap((s) => templatePositionInRender(s.last!, file, text, offset).map((at) => ({ uri: s.last!.virtualFile, offset: at })));
      },
    };
  }
}
