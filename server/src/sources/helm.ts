/**
 * Helm charts as a source: a folder with `Chart.yaml` and `templates/` is
 * rendered with `helm template`, and each rendered object is traced back to
 * its template through the `# Source:` line helm writes above it. Templates
 * are not YAML until rendered, but with their actions blanked out they are
 * YAML often enough: a finding lands at the same YAML path in the template
 * where the template has that path, else on the line naming the object's
 * kind (else the template's first line), and a hover's position goes the
 * other way, to the same path of the object rendered from it.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, parseDocument, type Node } from 'yaml';
import { RULES, splitDocuments, type Finding, type SourceSpan } from '../engine/index.js';
import { pathAt, rangeAlong, remapFindings, samePlaceIn } from './remap.js';

export interface HelmChart {
  readonly dir: string;
  /** Its Chart.yaml. */
  readonly file: string;
  readonly name: string;
}

/** Charts among the files: a Chart.yaml whose folder has a templates/ folder. Subcharts render with their parent. */
export function helmCharts(texts: ReadonlyMap<string, string>): HelmChart[] {
  const charts: HelmChart[] = [];
  for (const [file, text] of texts) {
    if (path.basename(file) !== 'Chart.yaml') continue;
    const dir = path.dirname(path.resolve(file));
    if (!isDirectory(path.join(dir, 'templates'))) continue;
    const value = parseDocument(text).toJS() as { name?: unknown } | null;
    charts.push({ dir, file: path.resolve(file), name: typeof value?.name === 'string' ? value.name : path.basename(dir) });
  }
  // A chart inside another's charts/ folder is rendered by its parent.
  return charts.filter((c) => !charts.some((p) => p !== c && c.dir.startsWith(path.join(p.dir, 'charts') + path.sep)));
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export type HelmRender = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missingBinary: boolean; readonly error: string };

/**
 * The values files that apply to a chart: each entry relative to the chart's
 * folder (or absolute), kept only where the chart has it, so one list serves
 * several charts (values-prod.yaml where a chart has one; helm would fail on
 * the others).
 */
export function chartValueFiles(chart: HelmChart, valueFiles: readonly string[], exists: (file: string) => boolean = fileExists): string[] {
  return valueFiles.map((v) => path.resolve(chart.dir, v)).filter(exists);
}

function fileExists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * `helm template RELEASE CHART --values VALUES…`, the release named after the
 * chart; `dir` is where the chart is read (the chart itself, or a copy holding
 * unsaved buffers), and values files under the chart are read there too.
 */
function helmArgs(chart: HelmChart, valueFiles: readonly string[], dir = chart.dir): string[] {
  const inDir = (file: string) => (file.startsWith(chart.dir + path.sep) ? path.join(dir, path.relative(chart.dir, file)) : file);
  return ['template', chart.name, dir, ...chartValueFiles(chart, valueFiles).flatMap((v) => ['--values', inDir(v)])];
}

const HELM_OPTIONS = { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 } as const;

function helmOutcome(binary: string, error: (Error & { code?: unknown }) | null | undefined, status: number | null, stdout: string, stderr: string): HelmRender {
  if (error?.code === 'ENOENT') return { ok: false, missingBinary: true, error: `${binary} is not installed` };
  if ((error === null || error === undefined) && status === 0) return { ok: true, text: stdout };
  const reason = stderr.trim().split('\n').pop() ?? '';
  return { ok: false, missingBinary: false, error: reason !== '' ? reason : (error?.message ?? `exit status ${status}`) };
}

/**
 * Renders a chart without blocking; with `buffers` (unsaved editor texts by
 * absolute path) under the chart, from a scratch copy of the chart folder
 * holding them: helm reads only the disk. The `# Source:` lines name paths
 * inside the chart, so they map back to the real templates either way.
 */
export async function renderChart(chart: HelmChart, binary: string, valueFiles: readonly string[], buffers: ReadonlyMap<string, string> = new Map()): Promise<HelmRender> {
  const touched = [...buffers.keys()].filter((f) => f.startsWith(chart.dir + path.sep));
  const scratch = touched.length > 0 ? fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-helm-')) : undefined;
  try {
    let dir = chart.dir;
    if (scratch !== undefined) {
      dir = path.join(scratch, path.basename(chart.dir));
      fs.cpSync(chart.dir, dir, { recursive: true, dereference: false });
      for (const file of touched) {
        fs.mkdirSync(path.dirname(path.join(dir, path.relative(chart.dir, file))), { recursive: true });
        fs.writeFileSync(path.join(dir, path.relative(chart.dir, file)), buffers.get(file)!);
      }
    }
    return await new Promise((resolve) =>
      execFile(binary, helmArgs(chart, valueFiles, dir), HELM_OPTIONS, (error, stdout, stderr) => resolve(helmOutcome(binary, error, error === null ? 0 : 1, stdout, stderr))),
    );
  } finally {
    if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** For the CLI, which runs one step after another. */
export function renderChartSync(chart: HelmChart, binary: string, valueFiles: readonly string[]): HelmRender {
  const run = spawnSync(binary, helmArgs(chart, valueFiles), HELM_OPTIONS);
  return helmOutcome(binary, run.error, run.status, run.stdout ?? '', run.stderr ?? '');
}

interface ChartObject {
  readonly start: number;
  readonly end: number;
  /** The template it came from, absolute. */
  readonly template: string | undefined;
  readonly kind: string | undefined;
}

export interface RenderedChart {
  /** The name the engine sees for the rendered text: the chart's Chart.yaml plus a suffix. */
  readonly virtualFile: string;
  readonly text: string;
  readonly objects: readonly ChartObject[];
}

/** `chartFile` is the chart's Chart.yaml as the caller names files. */
export function renderedChart(chart: HelmChart, chartFile: string, text: string): RenderedChart {
  const objects = splitDocuments(text).map((chunk) => {
    // helm writes `# Source: CHART/templates/x.yaml` (CHART/charts/SUB/templates/… for subcharts).
    const source = /^# Source: [^/\n]+\/(.+)$/m.exec(chunk.text)?.[1]?.trim();
    return {
      start: chunk.start,
      end: chunk.start + chunk.text.length,
      template: source === undefined ? undefined : path.join(chart.dir, source),
      kind: /^kind:\s*(\S+)/m.exec(chunk.text)?.[1],
    };
  });
  return { virtualFile: `${chartFile}#rendered`, text, objects };
}

/**
 * Moves spans in the rendered text to the template: to the node at the same
 * YAML path where the template has it (templateRange), else to the line
 * naming the object's kind (the object as a whole, and what an action wrote);
 * other spans stay.
 */
export function chartSpanMapper(chart: RenderedChart, readSource: (file: string) => string | undefined, fileName: (absolute: string) => string): (span: SourceSpan) => SourceSpan {
  return (span: SourceSpan): SourceSpan => {
    if (span.file !== chart.virtualFile) return span;
    const object = chart.objects.find((o) => o.start <= span.start && span.start < o.end);
    if (object?.template === undefined) return { file: chart.virtualFile.replace(/#rendered$/, ''), start: 0, end: 0 };
    const text = readSource(object.template) ?? '';
    const file = fileName(object.template);
    const precise = templateRange(chart, object, text, span);
    if (precise !== undefined) {
      // A block node's range runs on to the next line: the finding ends where its text does.
      let end = precise[1];
      while (end > precise[0] && /\s/.test(text[end - 1]!)) end--;
      return { file, start: precise[0], end };
    }
    const kindLine = object.kind === undefined ? null : new RegExp(`^kind:\\s*${object.kind.replace(/[^A-Za-z0-9]/g, '')}\\s*$`, 'm').exec(text);
    return kindLine === null ? { file, start: 0, end: 0 } : { file, start: kindLine.index, end: kindLine.index + kindLine[0].length };
  };
}

/** Moves findings on the rendered text to the templates (chartSpanMapper). */
export function mapChartSpans(chart: RenderedChart, findings: readonly Finding[], readSource: (file: string) => string | undefined, fileName: (absolute: string) => string): Finding[] {
  return remapFindings(chart.virtualFile, findings, chartSpanMapper(chart, readSource, fileName));
}

/** The one finding on a chart that is not analysed, saying why. */
export function chartNotRenderedFinding(chartFile: string, binary: string, render: Extract<HelmRender, { ok: false }>, keptLastRender = false): Finding {
  const why = render.missingBinary ? `${binary} is not installed or not on PATH (the netlens.helmBinary setting or the CLI's --helm names it)` : `${binary} template failed: ${render.error}`;
  return {
    code: 'helm-chart-not-rendered',
    severity: RULES['helm-chart-not-rendered'].severity,
    message: keptLastRender ? `This chart could not be rendered, so the last render that worked is analysed: ${why}.` : `This chart's templates are not analysed: ${why}.`,
    span: { file: chartFile, start: 0, end: 0 },
    related: [],
  };
}

/**
 * A template with each `{{ … }}` action blanked out, every offset kept: an
 * action alone on its line (`{{- if … }}`, `{{- toYaml … | nindent 8 }}`)
 * becomes spaces, one inside a value (`name: {{ include … }}`) becomes `x`s
 * (its whitespace kept), so the YAML around the actions parses as it stands.
 */
export function maskTemplateActions(text: string): string {
  // Whitespace inside an action stays, so that an action running over lines keeps their indentation.
  const marked = text.replace(/\{\{[\s\S]*?\}\}/g, (action) => action.replace(/\S/g, '\u0001'));
  return marked
    .split('\n')
    .map((line) => (line.includes('\u0001') ? line.replace(/\u0001/g, line.replace(/\u0001/g, '').trim() === '' ? ' ' : 'x') : line))
    .join('\n');
}

/** A template's documents as YAML (its actions blanked out), with each one's kind. */
interface TemplateDocs {
  readonly text: string;
  readonly docs: ReadonlyArray<{ readonly contents: Node | null; readonly kind: unknown }>;
}

/** Per rendered chart: its templates read as YAML, and its objects parsed; kept while the render is. */
const templateDocsOf = new WeakMap<RenderedChart, Map<string, TemplateDocs>>();
const renderedDocOf = new WeakMap<ChartObject, Node | null>();

function templateDocs(chart: RenderedChart, template: string, text: string): TemplateDocs {
  let byTemplate = templateDocsOf.get(chart);
  if (byTemplate === undefined) templateDocsOf.set(chart, (byTemplate = new Map()));
  let entry = byTemplate.get(template);
  if (entry === undefined || entry.text !== text) {
    const parsed = parseAllDocuments(maskTemplateActions(text));
    const docs = (Array.isArray(parsed) ? parsed : []).map((d) => {
      let kind: unknown;
      try {
        kind = (d.toJS() as { kind?: unknown } | null)?.kind;
      } catch {
        kind = undefined;
      }
      return { contents: d.contents, kind };
    });
    byTemplate.set(template, (entry = { text, docs }));
  }
  return entry;
}

function renderedContents(chart: RenderedChart, object: ChartObject): Node | null {
  let contents = renderedDocOf.get(object);
  if (contents === undefined) renderedDocOf.set(object, (contents = parseDocument(chart.text.slice(object.start, object.end)).contents));
  return contents;
}

/**
 * The template document an object was rendered from, and the other way:
 * documents pair up in order among those of one kind (a document an `if`
 * left out shifts the rest, which then match nothing of their kind or the
 * wrong one). Undefined where nothing pairs.
 */
function pairedTemplateDoc(chart: RenderedChart, object: ChartObject, docs: TemplateDocs): Node | null | undefined {
  const nth = chart.objects.filter((o) => o.template === object.template && o.kind === object.kind).indexOf(object);
  return docs.docs.filter((d) => d.kind === object.kind)[nth]?.contents;
}

/**
 * Where an offset of a template (an absolute path, with its text) lands in
 * the chart's rendered text: the same YAML path in the object rendered from
 * the template's document there, the same distance into a scalar. Empty
 * where nothing matches.
 */
export function templatePositionInRender(chart: RenderedChart, template: string, text: string, offset: number): number[] {
  const { docs } = templateDocs(chart, template, text);
  const at = docs.findIndex((d) => {
    const r = d.contents?.range;
    return r !== undefined && r !== null && r[0] <= offset && offset <= r[2];
  });
  const doc = docs[at];
  if (doc === undefined || doc.contents === null) return [];
  const nth = docs.slice(0, at).filter((d) => d.kind === doc.kind).length;
  const object = chart.objects.filter((o) => o.template === template && o.kind === doc.kind)[nth];
  if (object === undefined) return [];
  const into = samePlaceIn(doc.contents, renderedContents(chart, object), offset);
  return into === undefined ? [] : [object.start + into];
}

/**
 * Where a span inside a rendered object sits in its template: the node at
 * the same YAML path, when the template (its actions blanked out) has that
 * whole path. Undefined for the object as a whole, and where the path runs
 * into an action that wrote a whole block (`{{- toYaml … }}`): the caller
 * then names the kind line.
 */
function templateRange(chart: RenderedChart, object: ChartObject, text: string, span: SourceSpan): [number, number] | undefined {
  const rendered = renderedContents(chart, object);
  const steps = pathAt(rendered, span.start - object.start, span.end - object.start);
  if (steps.length === 0) return undefined;
  const doc = pairedTemplateDoc(chart, object, templateDocs(chart, object.template!, text));
  if (doc === undefined || doc === null) return undefined;
  return rangeAlong(doc, steps, true);
}
