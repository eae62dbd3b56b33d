/**
 * Every manifest of the workspace: files on disk overlaid with the unsaved
 * text of open documents. Each file keeps a DocumentCache, so an edit
 * re-parses only the `---` document it touched; the whole-workspace analysis
 * is rebuilt lazily, once per batch of changes. Files are keyed by their
 * normal URI (see uris.ts), whatever spelling a caller passes.
 */
import {
  analyze,
  AnalysisMemo,
  buildGraph,
  GraphMemo,
  DocumentCache,
  LineIndex,
  manifestOfChunks,
  parseManifestFile,
  PROJECT_CONFIG_FILE,
  readProjectConfig,
  ReachSummary,
  type Analysis,
  type DocumentChunk,
  type Finding,
  type ManifestDocument,
  type ManifestFile,
  type ProjectConfig,
  type ReachabilityGraph,
  type SourceSpan,
} from './engine/index.js';
import { applySuppressions, readSuppressionComments, type SuppressionComment, type SuppressionSources } from './engine/suppressions.js';
import { NO_RENDERED_SOURCES, type RenderedSources } from './kustomizeRenders.js';
import type { NetlensSettings } from './settings.js';
import { isTestSuite, testExpectationFiles } from './sources/testExpectations.js';
import { normalUri } from './uris.js';

interface FileEntry {
  text: string;
  manifest: ManifestFile;
  readonly cache: DocumentCache;
  lineIndex: LineIndex | undefined;
  /** Its `# netlens-disable` comments, read once per text. */
  suppressions: SuppressionComment[] | undefined;
  /** Open in the editor: its text comes from the client, not the disk. */
  open: boolean;
  /** An end-to-end test suite's own file (isTestSuite), read once per text. */
  suite: boolean;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, FileEntry>();
  private current: { analysis: Analysis; byFile: Map<string, Finding[]> } | undefined;
  /** Lets each analysis reuse what the last one computed for objects an edit left alone. */
  private readonly memo = new AnalysisMemo();
  /** The counts lenses and hovers read, for the current analysis; each one patched from the one before. */
  private summary: ReachSummary | undefined;
  /** End-to-end tests' expectation files (testExpectations.ts), left out of the analysis; worked out again when files come or go or a suite's file changes. */
  private expectations: Set<string> | undefined;
  /** The graph panel's graph for the current analysis, and what the next one keeps of it. */
  private graph: { analysis: Analysis; graph: ReachabilityGraph } | undefined;
  private readonly graphMemo = new GraphMemo();
  /** Bumped on every change; lets expensive derived data know it is stale. */
  version = 0;

  /** The codes the workspace's .netlens.yaml silences for a uri, and the severities its overrides set there. */
  private pathRules: Pick<SuppressionSources, 'codesForPath' | 'severitiesForPath'> = {};

  /** Kustomize renders standing in for raw files, and each render's parse cache and line index. */
  private rendered: RenderedSources = NO_RENDERED_SOURCES;
  private readonly renderedFiles = new Map<string, { text: string; manifest: ManifestFile; cache: DocumentCache; lineIndex: LineIndex | undefined }>();

  constructor(private settings: NetlensSettings) {}

  /** New kustomize renders: their objects replace the raw files they stand for. */
  updateRenderedSources(rendered: RenderedSources): void {
    const before = this.rendered.namespaceOf;
    this.rendered = rendered;
    for (const [uri, entry] of this.files) {
      if (before.get(uri) !== rendered.namespaceOf.get(uri)) entry.manifest = this.parse(uri, entry);
    }
    const live = new Set(rendered.roots.map((r) => r.uri));
    for (const uri of this.renderedFiles.keys()) if (!live.has(uri)) this.renderedFiles.delete(uri);
    for (const root of rendered.roots) {
      let entry = this.renderedFiles.get(root.uri);
      if (entry?.text === root.text) continue;
      entry ??= { text: root.text, manifest: { file: root.uri, documents: [] }, cache: new DocumentCache(false), lineIndex: undefined };
      entry.text = root.text;
      entry.lineIndex = undefined;
      entry.manifest = parseManifestFile(root.uri, root.text, { defaultNamespace: this.settings.defaultNamespace }, entry.cache);
      this.renderedFiles.set(root.uri, entry);
    }
    this.changed();
  }

  updatePathRules(pathRules: Pick<SuppressionSources, 'codesForPath' | 'severitiesForPath'>): void {
    this.pathRules = pathRules;
    this.changed();
  }

  updateSettings(settings: NetlensSettings): void {
    this.settings = settings;
    for (const [uri, entry] of this.files) entry.manifest = this.parse(uri, entry);
    for (const [uri, entry] of this.renderedFiles) entry.manifest = parseManifestFile(uri, entry.text, { defaultNamespace: settings.defaultNamespace }, entry.cache);
    this.changed();
  }

  private parse(uri: string, entry: FileEntry): ManifestFile {
    return parseManifestFile(uri, entry.text, { defaultNamespace: this.defaultNamespaceOf(uri) }, entry.cache);
  }

  private defaultNamespaceOf(uri: string): string {
    return this.rendered.namespaceOf.get(uri) ?? this.settings.defaultNamespace;
  }

  /** What a parse of the file elsewhere (parsePool.ts) must be given: the name its spans carry and its default namespace. */
  parseInput(uri: string): { file: string; defaultNamespace: string } {
    uri = normalUri(uri);
    return { file: uri, defaultNamespace: this.defaultNamespaceOf(uri) };
  }

  /**
   * setText(uri, text, false) for a file parsed elsewhere from parseInput(uri): its chunks (splitDocuments of the
   * text) and what parseChunks built from them.
   * A default namespace changed since (new settings) makes it parse here after all.
   */
  setParsed(uri: string, text: string, defaultNamespace: string, chunks: readonly DocumentChunk[], built: ReadonlyArray<ManifestDocument[] | undefined>): boolean {
    uri = normalUri(uri);
    if (this.files.has(uri) || defaultNamespace !== this.defaultNamespaceOf(uri)) return this.setText(uri, text, false);
    const cache = new DocumentCache(false);
    cache.seed(chunks, defaultNamespace, built);
    this.files.set(uri, { text, manifest: manifestOfChunks(uri, built), cache, lineIndex: undefined, suppressions: undefined, open: false, suite: isTestSuite(uri, text) });
    this.expectations = undefined;
    this.changed();
    return true;
  }

  private changed(): void {
    this.version++;
    this.current = undefined;
  }

  has(uri: string): boolean {
    uri = normalUri(uri);
    return this.files.has(uri);
  }

  isOpen(uri: string): boolean {
    uri = normalUri(uri);
    return this.files.get(uri)?.open ?? false;
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  text(uri: string): string | undefined {
    uri = normalUri(uri);
    return this.files.get(uri)?.text;
  }

  /** A rendered root's text (a kustomize or Helm render, under its own uri). */
  renderedText(uri: string): string | undefined {
    return this.renderedFiles.get(uri)?.text;
  }

  /** Where a span of the analysis shows in the files the user edits: a rendered object in its base or overlay file. */
  placeSpan = (span: SourceSpan): SourceSpan => this.rendered.placeSpan(span);

  /** For a file a render stands for: the places in the rendered text an offset of it became (one per root rendering it). */
  renderedAt(uri: string, offset: number): ReadonlyArray<{ readonly uri: string; readonly offset: number }> {
    uri = normalUri(uri);
    return this.rendered.replaced.has(uri) ? this.rendered.renderedAt(uri, offset) : [];
  }

  /** Sets a file's text (from disk, or from the editor when `open`). Returns false when nothing changed. */
  setText(uri: string, text: string, open: boolean): boolean {
    uri = normalUri(uri);
    let entry = this.files.get(uri);
    if (entry !== undefined && entry.text === text) {
      // Opening a file already indexed with the same text changes where its text comes from, not what it says.
      entry.open = open;
      entry.cache.keepSyntax = open;
      return false;
    }
    if (entry === undefined) {
      entry = { text, manifest: { file: uri, documents: [] }, cache: new DocumentCache(open), lineIndex: undefined, suppressions: undefined, open, suite: false };
      this.files.set(uri, entry);
      this.expectations = undefined;
    }
    const suite = isTestSuite(uri, text);
    if (suite || entry.suite) this.expectations = undefined;
    entry.suite = suite;
    entry.text = text;
    entry.open = open;
    // Syntax trees for the files being edited only: most of the memory, and only edits above a document reuse them.
    entry.cache.keepSyntax = open;
    entry.lineIndex = undefined;
    entry.suppressions = undefined;
    entry.manifest = this.parse(uri, entry);
    this.changed();
    return true;
  }

  /** A document closed in the editor: its disk text (if any) takes over. */
  close(uri: string, diskText: string | undefined): void {
    if (diskText === undefined) this.remove(uri);
    else this.setText(uri, diskText, false);
  }

  remove(uri: string): void {
    uri = normalUri(uri);
    if (this.files.delete(uri)) {
      this.expectations = undefined;
      this.changed();
    }
  }

  lineIndex = (uri: string): LineIndex => {
    uri = normalUri(uri);
    const entry = this.files.get(uri) ?? this.renderedFiles.get(uri);
    if (entry === undefined) return new LineIndex('');
    if (entry.lineIndex === undefined) entry.lineIndex = new LineIndex(entry.text);
    return entry.lineIndex;
  };

  private readonly commentsOf = (uri: string): readonly SuppressionComment[] => {
    const entry = this.files.get(uri);
    if (entry === undefined) return [];
    return (entry.suppressions ??= readSuppressionComments(uri, entry.text));
  };

  analysis(): Analysis {
    return this.snapshot().analysis;
  }

  /** Who reaches whom, for lenses and hovers: brought up to date from the last one, not computed afresh, when an edit kept the pod classes. */
  reachSummary(): ReachSummary {
    const analysis = this.analysis();
    if (this.summary?.analysis !== analysis) this.summary = new ReachSummary(analysis, this.summary);
    return this.summary;
  }

  /** The reachability graph: its class pairs decided again only where an edit changed what decides them (GraphMemo). */
  reachabilityGraph(): ReachabilityGraph {
    const analysis = this.analysis();
    if (this.graph?.analysis !== analysis) this.graph = { analysis, graph: buildGraph(analysis.reachability, this.graphMemo) };
    return this.graph.graph;
  }

  /** How many pod classes had their flows decided again for the last graph (all of them when it was worked out whole). */
  graphClassesDecided(): number {
    return this.graphMemo.lastDecided;
  }

  findingsFor(uri: string): readonly Finding[] {
    uri = normalUri(uri);
    return this.snapshot().byFile.get(uri) ?? [];
  }

  private testExpectations(): Set<string> {
    if (this.expectations === undefined) {
      const suites = new Map<string, string>();
      for (const [uri, f] of this.files) if (f.suite) suites.set(uri, f.text);
      this.expectations = suites.size === 0 ? new Set() : testExpectationFiles(suites, this.files.keys());
    }
    return this.expectations;
  }

  private snapshot(): { analysis: Analysis; byFile: Map<string, Finding[]> } {
    if (this.current === undefined) {
      // .netlens.yaml files are indexed like any YAML file (and stay silent as manifests); read them as the workspace's config.
      // One pass over the files, without copying the map: a keystroke in a workspace of hundreds of files walks them once here.
      const configName = `/${PROJECT_CONFIG_FILE}`;
      const configs: ProjectConfig[] = [];
      const manifests: ManifestFile[] = [];
      const expectations = this.testExpectations();
      for (const [uri, f] of this.files) {
        if (uri.endsWith(configName)) configs.push(readProjectConfig(uri, f.text));
        if (!this.rendered.replaced.has(uri) && !expectations.has(uri)) manifests.push(f.manifest);
      }
      for (const r of this.renderedFiles.values()) manifests.push(r.manifest);
      const analysis = analyze(
        manifests,
        {
          podCIDRs: this.settings.podCIDR,
          serviceCIDRs: this.settings.serviceCIDR,
          cni: this.settings.cni,
          underlayMTU: this.settings.underlayMTU,
          externalComponents: configs.flatMap((c) => c.externalComponents),
        },
        this.memo,
      );
      const findings = applySuppressions([...this.rendered.mapFindings(analysis.findings), ...this.rendered.findings, ...configs.flatMap((c) => c.findings)], this.files.keys(), { commentsOf: this.commentsOf, ...this.pathRules });
      const byFile = new Map<string, Finding[]>();
      for (const f of findings) {
        const list = byFile.get(f.span.file);
        if (list === undefined) byFile.set(f.span.file, [f]);
        else list.push(f);
      }
      this.current = { analysis, byFile };
    }
    return this.current;
  }
}
