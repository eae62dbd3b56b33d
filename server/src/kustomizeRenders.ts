/**
 * Kustomize roots in the language server: each root of the workspace is
 * rendered through the same source module as the CLI, and the index analyses
 * the rendered objects in place of the raw bases. Renders follow edits (of
 * saved files and of unsaved buffers) after a pause, one pass at a time; a
 * root keeps its last good render while the next one runs, and when the next
 * one fails.
 */
import * as path from 'node:path';
import type { Finding, SourceSpan } from './engine/index.js';
import {
  KUSTOMIZATION_FILES,
  kustomizePatchFiles,
  kustomizeTrees,
  notRenderedFinding,
  remoteResources,
  renderedAway,
  renderedRoot,
  RenderedSpans,
  renderTree,
  treeSources,
  tryReadFile,
  uniqueFindings,
  type KustomizeTree,
  type RenderedRoot,
  type RenderResult,
  type SourceDocuments,
} from './sources/kustomize.js';
import { remapFindings } from './sources/remap.js';
import { pathOf, uriOf } from './uris.js';

/** What the renders put in place of raw files, for the workspace index. */
export interface RenderedSources {
  /** The rendered text of each root, under a uri of its own. */
  readonly roots: ReadonlyArray<{ readonly uri: string; readonly text: string }>;
  /** Raw files a render stands for, and files kustomizations name as patches: left out of the analysis. */
  readonly replaced: ReadonlySet<string>;
  /** Namespaces applied natively to the files of trees with no render. */
  readonly namespaceOf: ReadonlyMap<string, string>;
  /** Findings about the renders themselves. */
  readonly findings: readonly Finding[];
  /** Moves findings on rendered text to the base or overlay file the user edits. */
  mapFindings(findings: readonly Finding[]): Finding[];
  /** Where a span of rendered text shows in the files the user edits (for lenses, hover ranges and links); other spans as they are. */
  placeSpan(span: SourceSpan): SourceSpan;
  /** The places in rendered text that an offset of a replaced file stands for: one per root rendering it. */
  renderedAt(uri: string, offset: number): ReadonlyArray<{ readonly uri: string; readonly offset: number }>;
}

export const NO_RENDERED_SOURCES: RenderedSources = {
  roots: [],
  replaced: new Set(),
  namespaceOf: new Map(),
  findings: [],
  mapFindings: (f) => [...f],
  placeSpan: (span) => span,
  renderedAt: () => [],
};

/** Kustomize and Helm renders side by side: a file a chart renders is not in a kustomize tree, and the other way round. */
export function bothSources(a: RenderedSources, b: RenderedSources): RenderedSources {
  return {
    roots: [...a.roots, ...b.roots],
    replaced: new Set([...a.replaced, ...b.replaced]),
    namespaceOf: new Map([...b.namespaceOf, ...a.namespaceOf]),
    findings: [...a.findings, ...b.findings],
    mapFindings: (findings) => b.mapFindings(a.mapFindings(findings)),
    placeSpan: (span) => b.placeSpan(a.placeSpan(span)),
    renderedAt: (uri, offset) => [...a.renderedAt(uri, offset), ...b.renderedAt(uri, offset)],
  };
}

export interface KustomizeHost {
  /** The binary setting: `kubectl`, `kustomize`, a path to either, or `none`. */
  binary(): string;
  /** Every indexed file under a file: uri, by uri. */
  texts(): ReadonlyMap<string, string>;
  /** Whether a uri's text comes from the editor rather than the disk. */
  isOpen(uri: string): boolean;
  log(message: string): void;
  /** New sources are ready. */
  changed(sources: RenderedSources): void;
}

/**
 * What a render reads: the workspace's texts by absolute path, and among them
 * the unsaved buffers (open, and not what the disk holds) that a render has to
 * be given, since kubectl and helm read only the disk.
 */
export function renderInputs(host: Pick<KustomizeHost, 'texts' | 'isOpen'>): { texts: Map<string, string>; buffers: Map<string, string> } {
  const texts = new Map<string, string>();
  const buffers = new Map<string, string>();
  for (const [uri, text] of host.texts()) {
    const file = pathOf(uri);
    if (file === undefined) continue;
    texts.set(file, text);
    if (host.isOpen(uri) && tryReadFile(file) !== text) buffers.set(file, text);
  }
  return { texts, buffers };
}

/** The pause after an edit before rendering again: kubectl takes a tenth of a second or more per root. */
export const RENDER_DEBOUNCE_MS = 300;

interface RootState {
  last: RenderedRoot | undefined;
  /** Why the latest render failed, if it did. */
  failure: { error: string; missingBinary: boolean } | undefined;
}

export class KustomizeRenders {
  private trees: KustomizeTree[] = [];
  /** Files some kustomization names as a patch: fragments, never objects of their own. */
  private patchFiles: ReadonlySet<string> = new Set();
  /** Per root file, every file its render reads. */
  private sourcesOf = new Map<string, ReadonlySet<string>>();
  private readonly states = new Map<string, RootState>();
  /** Files changed since the last pass; undefined entries mean everything. */
  private pending = new Set<string>();
  private renderAllPending = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Binaries already reported missing: the output channel says it once. */
  private readonly saidMissing = new Set<string>();
  private readonly parsed: SourceDocuments = new Map();

  constructor(private readonly host: KustomizeHost) {}

  /** For the status bar: set while roots go unrendered for want of the binary. */
  unrendered(): string | undefined {
    const missing = [...this.states.values()].some((s) => s.failure?.missingBinary === true);
    return missing ? `${this.host.binary()} not found: kustomizations are not rendered; only their namespace is applied (netlens.kustomizeBinary names the binary).` : undefined;
  }

  /** Reads the trees afresh and renders every root; resolves once the sources are handed over. */
  renderAll(): Promise<void> {
    this.renderAllPending = true;
    return this.pass();
  }

  /** A file changed (an edit, a save, the disk): the trees holding it render again after a pause. */
  noteChange(uri: string): void {
    const file = pathOf(uri);
    if (file === undefined) return;
    if (!KUSTOMIZATION_FILES.has(path.basename(file)) && ![...this.sourcesOf.values()].some((files) => files.has(file))) return;
    this.pending.add(file);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pass();
    }, RENDER_DEBOUNCE_MS);
  }

  /** One pass at a time; changes that come in while one runs start another when it ends. */
  private async pass(): Promise<void> {
    while (this.running !== undefined) await this.running;
    if (!this.renderAllPending && this.pending.size === 0) return;
    this.running = this.renderChanged().finally(() => (this.running = undefined));
    return this.running;
  }

  private async renderChanged(): Promise<void> {
    const all = this.renderAllPending;
    const changed = this.pending;
    this.renderAllPending = false;
    this.pending = new Set();
    const { texts, buffers } = renderInputs(this.host);
    const binary = this.host.binary();
    this.trees = binary === 'none' ? [] : kustomizeTrees(texts);
    this.patchFiles = binary === 'none' ? new Set() : kustomizePatchFiles(texts);
    this.sourcesOf = new Map(this.trees.map((t) => [t.root.file, new Set([...t.files, ...treeSources(t)])]));
    const roots = new Set(this.trees.map((t) => t.root.file));
    for (const root of this.states.keys()) if (!roots.has(root)) this.states.delete(root);
    let missing = false;
    for (const tree of this.trees) {
      const state = this.states.get(tree.root.file);
      const reads = this.sourcesOf.get(tree.root.file)!;
      const touched = all || state === undefined || [...changed].some((f) => reads.has(f));
      if (!touched) continue;
      // Once the binary is missing for one root it is missing for all: do not try it once per root.
      const result: RenderResult = missing ? { ok: false, missingBinary: true, error: `${binary} is not installed` } : await renderTree(tree, binary, buffers);
      const next: RootState = state ?? { last: undefined, failure: undefined };
      if (result.ok) {
        next.last = renderedRoot(uriOf(tree.root.file), result);
        next.failure = undefined;
      } else {
        next.failure = { error: result.error, missingBinary: result.missingBinary };
        missing ||= result.missingBinary;
      }
      this.states.set(tree.root.file, next);
    }
    if (missing && !this.saidMissing.has(binary)) {
      this.saidMissing.add(binary);
      this.host.log(`netlens: ${this.unrendered()!.replace(/\.$/, '')}`);
    }
    this.host.changed(this.sources(binary));
  }

  private sources(binary: string): RenderedSources {
    const rendered: RenderedRoot[] = [];
    const replaced = new Set<string>();
    const namespaceOf = new Map<string, string>();
    const findings: Finding[] = [];
    for (const tree of this.trees) {
      const state = this.states.get(tree.root.file);
      const rootUri = uriOf(tree.root.file);
      if (state?.failure !== undefined && !state.failure.missingBinary) findings.push(notRenderedFinding(rootUri, binary, state.failure.error, state.last !== undefined, remoteResources(tree)));
      if (state?.last !== undefined) {
        rendered.push(state.last);
        for (const f of renderedAway(tree)) replaced.add(uriOf(f));
      } else if (tree.root.namespace !== undefined) {
        for (const f of tree.files) if (!namespaceOf.has(uriOf(f))) namespaceOf.set(uriOf(f), tree.root.namespace);
      }
    }
    for (const f of this.patchFiles) replaced.add(uriOf(f));
    const texts = this.host.texts();
    const readSource = (file: string) => texts.get(uriOf(file)) ?? tryReadFile(file);
    const spans = rendered.map((root) => new RenderedSpans(root, readSource, uriOf, this.parsed));
    const placeSpan = (span: SourceSpan) => spans.find((s) => s.root.virtualFile === span.file)?.toSource(span) ?? span;
    return {
      roots: rendered.map((r) => ({ uri: r.virtualFile, text: r.text })),
      replaced,
      namespaceOf,
      findings,
      mapFindings: (all) => uniqueFindings(spans.reduce((acc, s) => remapFindings(s.root.virtualFile, acc, s.toSource), all)),
      placeSpan,
      renderedAt: (uri, offset) => {
        const file = pathOf(uri);
        return file === undefined ? [] : spans.flatMap((s) => s.toRendered(file, offset).map((at) => ({ uri: s.root.virtualFile, offset: at })));
      },
    };
  }
}
