/**
 * The Netlens language server: wires the engine to LSP. Each capability lives
 * in its own file; this one owns the connection, the workspace index, and the
 * schedule on which diagnostics follow edits.
 *
 * Run with --stdio (tests, other editors) or over IPC (the VS Code client).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWorkspaceFoldersNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeLens,
  type Connection,
  type InitializeResult,
  type WorkDoneProgressServerReporter,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './codeActions.js';
import { fixedLens, lensPlans, resolvedLens, whatIfLenses, type LensPlan } from './codeLens.js';
import { suppressionActions } from './suppressionActions.js';
import { SettleTracker } from './settle.js';
import { completions } from './completion.js';
import { diagnosticsFor } from './diagnostics.js';
import type { Analysis, Finding, ReachSummary } from './engine/index.js';
import { isManifestPath, scanFolder, type ScannedFile } from './fileScan.js';
import { parseInWorkers, parseWorkerCount, type ParseJob, type ParsedFile } from './parsePool.js';
import { compileGlob, matchesAny } from './globs.js';
import { readRegularFile } from './regularFile.js';
import { normalUri } from './uris.js';
import { hover } from './hover.js';
import { rangesOverlap, toOffset } from './positions.js';
import { DEFAULT_SETTINGS, readSettingsReport, type NetlensSettings, type SettingsReport } from './settings.js';
import { WorkspaceIndex } from './workspaceIndex.js';
import { bothSources, KustomizeRenders, NO_RENDERED_SOURCES } from './kustomizeRenders.js';
import { HelmRenders } from './helmRenders.js';
import { PROJECT_CONFIG_FILE, readProjectConfig } from './engine/projectConfig.js';
import { codesForPath, severitiesForPath } from './pathSuppressions.js';
import * as path from 'node:path';
import { explain, reachers, summaryOf, workloads } from './customRequests.js';
import { graphData } from './graph.js';
import { WhatIf } from './whatIf.js';
import { WHAT_IF, type WhatIfParams, type WhatIfResult } from './requests.js';
import { EXPLAIN, GRAPH, INDEXED, LIST_WORKLOADS, MODEL_CHANGED, REACHERS, SUMMARY, type GraphData, type ModelChangedParams, type ExplainParams, type ExplainResult, type IndexedParams, type ReachersParams, type ReachersResult, type SummaryResult } from './requests.js';

// The yaml parser reads process.env.LOG_TOKENS once per token, and Node's env
// object is a slow native accessor: a plain copy makes parsing a third faster.
// Done in the entry points only; the engine keeps away from global state.
process.env = { ...process.env };

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: NetlensSettings = DEFAULT_SETTINGS;
const index = new WorkspaceIndex(settings);
const indexedTexts = () => new Map(index.uris().map((uri) => [uri, index.text(uri) ?? '']));
/** The latest kustomize and Helm renders, which the index analyses in place of the raw files. */
let rendered = { kustomize: NO_RENDERED_SOURCES, helm: NO_RENDERED_SOURCES };
function useRendered(next: Partial<typeof rendered>): void {
  rendered = { ...rendered, ...next };
  index.updateRenderedSources(bothSources(rendered.kustomize, rendered.helm));
  scheduleValidation();
}
/** Kustomize roots rendered in place of their raw bases. */
const kustomize = new KustomizeRenders({
  binary: () => settings.kustomizeBinary,
  texts: indexedTexts,
  isOpen: (uri) => index.isOpen(uri),
  log: (message) => connection.console.log(message),
  changed: (sources) => useRendered({ kustomize: sources }),
});
/** Helm charts rendered in place of their templates. */
const helm = new HelmRenders({
  binary: () => settings.helmBinary,
  valueFiles: () => settings.helmValueFiles,
  texts: indexedTexts,
  isOpen: (uri) => index.isOpen(uri),
  changed: (sources) => useRendered({ helm: sources }),
});
let folders: WorkspaceFolder[] = [];
let supportsConfiguration = false;
/** What was last published per uri, so only changed diagnostics are sent. */
const published = new Map<string, string>();
let graph: GraphData | undefined;
/** The model version live views were last told about. */
let notifiedVersion = -1;

function reachSummary(): ReachSummary {
  return index.reachSummary();
}

function currentGraph(): GraphData {
  if (graph === undefined || graph.version !== index.version) graph = graphData(index.reachabilityGraph(), index.version, index.lineIndex, index.placeSpan);
  return graph;
}

/** Runs a handler; an internal error becomes one log line and an empty answer, never a crash or a popup. */
function guarded<A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (err) {
      const where = JSON.stringify(args[0] && typeof args[0] === 'object' ? { uri: (args[0] as { textDocument?: { uri?: string } }).textDocument?.uri, position: (args[0] as { position?: unknown }).position } : {});
      connection.console.error(`netlens: ${name} failed ${where}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}

// ---- diagnostics, following edits ----------------------------------------

/** Set while the workspace is being read from disk. */
let indexing = false;
/** Holds findings on the word being typed until the document is still. */
const settle = new SettleTracker();
let releaseTimer: NodeJS.Timeout | undefined;

/**
 * When changes come in a burst (a macro, a formatter, a client replaying
 * edits), the analysis waits until they stop for this long, but never longer
 * than BURST_MAX_WAIT_MS from the start of the burst, so the view stays live.
 */
const BURST_QUIET_MS = 30;
const BURST_MAX_WAIT_MS = 1000;
/** Changes so far: the schedule compares counts to see whether more arrived while it waited. */
let changeCount = 0;
let tickPending = false;
let burstTimer: NodeJS.Timeout | undefined;
let burstStarted = 0;

/**
 * Coalesces changes into one analysis. A lone change is analysed two ticks
 * later, which adds no visible latency. Waiting one tick is not enough: the
 * JSON-RPC layer handles one queued message per tick and queues its next tick
 * after ours, so only the second tick comes after the next message; if that
 * message was a change too, a burst has begun and a real debounce takes over.
 */
function scheduleValidation(): void {
  changeCount++;
  if (burstTimer !== undefined) {
    clearTimeout(burstTimer);
    burstTimer = setTimeout(runValidation, Math.max(0, Math.min(BURST_QUIET_MS, burstStarted + BURST_MAX_WAIT_MS - Date.now())));
    return;
  }
  if (tickPending) return;
  tickPending = true;
  const seen = changeCount;
  setImmediate(() =>
    setImmediate(() => {
      tickPending = false;
      if (changeCount === seen) runValidation();
      else {
        burstStarted = Date.now();
        burstTimer = setTimeout(runValidation, BURST_QUIET_MS);
      }
    }),
  );
}

/**
 * The findings each uri's diagnostics were last made from, under which
 * settings. An incremental analysis hands back the same finding objects for
 * what an edit did not touch (and a finding's object is made afresh when its
 * document moves), so a uri whose findings are the same objects needs no new
 * diagnostics: a keystroke converts only what changed.
 */
const madeFrom = new Map<string, { settings: NetlensSettings; findings: readonly Finding[] }>();

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

const runValidation = guarded('validation', undefined, () => {
  if (burstTimer !== undefined) clearTimeout(burstTimer);
  burstTimer = undefined;
  // Mid-index, findings would judge a half-read workspace; indexing publishes once it is done.
  if (!indexing) publishAll();
});

function publishAll(): void {
  // Files gone from the index are cleared first: one run can follow a burst of changes, and a client waiting on a later file's diagnostics should find earlier removals done.
  const uris = new Set([...[...published.keys()].filter((uri) => !index.has(uri)), ...index.uris()]);
  for (const uri of uris) {
    const findings = index.has(uri) ? settle.visible(uri, index.findingsFor(uri), settings.settleDelay) : [];
    const last = madeFrom.get(uri);
    if (last !== undefined && last.settings === settings && sameFindings(last.findings, findings)) continue;
    if (findings.length === 0) madeFrom.delete(uri);
    else madeFrom.set(uri, { settings, findings });
    const diagnostics = diagnosticsFor(findings, index.lineIndex, settings);
    const key = JSON.stringify(diagnostics);
    if (published.get(uri) === key) continue;
    if (diagnostics.length === 0 && !published.has(uri)) continue;
    if (diagnostics.length === 0) published.delete(uri);
    else published.set(uri, key);
    void connection.sendDiagnostics({ uri, diagnostics });
  }
  const wait = settle.nextRelease(settings.settleDelay);
  if (releaseTimer !== undefined) clearTimeout(releaseTimer);
  releaseTimer = wait === undefined ? undefined : setTimeout(scheduleValidation, wait);
  if (notifiedVersion !== index.version) {
    notifiedVersion = index.version;
    const changed: ModelChangedParams = { version: index.version };
    void connection.sendNotification(MODEL_CHANGED, changed);
  }
}

// ---- the workspace on disk -----------------------------------------------

function readDisk(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let p: string;
  try {
    p = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  const read = readRegularFile(p, settings.maxFileSize);
  if (read.ok) return read.text;
  // A file that vanished is simply gone; anything else is worth a line in the output.
  if (read.reason !== 'no such file or directory') connection.console.log(`netlens: not indexing ${p}: ${read.reason}${read.reason.startsWith('larger') ? ' (netlens.maxFileSize)' : ''}`);
  return undefined;
}

/** Whether netlens.exclude (or files.exclude) covers a file of one of the workspace folders. */
function isExcluded(uri: string): boolean {
  if (!uri.startsWith('file:')) return false;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return false;
  }
  const globs = settings.exclude.map(compileGlob);
  return folders.some((f) => {
    if (!f.uri.startsWith('file:')) return false;
    const rel = path.relative(fileURLToPath(f.uri), file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && matchesAny(rel.split(path.sep).join('/'), globs);
  });
}

/** Reads one file into the index; whatever goes wrong with it is logged and stops no other file. */
function indexFromDisk(uri: string): void {
  try {
    const text = isExcluded(uri) ? undefined : readDisk(uri);
    if (text === undefined) index.remove(uri);
    else index.setText(uri, text, false);
  } catch (err) {
    index.remove(uri);
    connection.console.error(`netlens: not indexing ${uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

/** The `suppress` rules of .netlens.yaml at the root of the first workspace folder. */
function loadProjectConfig(): void {
  const root = folders[0]?.uri.startsWith('file:') ? fileURLToPath(folders[0].uri) : undefined;
  if (root === undefined) return;
  const uri = pathToFileURL(path.join(root, PROJECT_CONFIG_FILE)).href;
  const config = readProjectConfig(uri, readDisk(uri) ?? '');
  // Its problems are also diagnostics on the file, which is indexed like any YAML file.
  for (const f of config.findings) connection.console.error(`netlens: ${PROJECT_CONFIG_FILE}: ${f.message}`);
  index.updatePathRules({ codesForPath: codesForPath(config, root), severitiesForPath: severitiesForPath(config, root) });
}

/** How long indexing reads files before it lets other messages through and reports progress. */
const INDEX_SLICE_MS = 50;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads and parses the files one by one, yielding every INDEX_SLICE_MS; returns how many it went through before a cancel. */
async function indexHere(files: readonly ScannedFile[], progress: WorkDoneProgressServerReporter | undefined): Promise<number> {
  let done = 0;
  let sliceStart = performance.now();
  for (const file of files) {
    if (progress?.token.isCancellationRequested) break;
    done++;
    if (!index.isOpen(file.uri)) indexFromDisk(file.uri);
    if (performance.now() - sliceStart >= INDEX_SLICE_MS) {
      progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return done;
}

/**
 * indexHere with the parsing shared out with worker threads (parsePool.ts). The main thread reads the files, parses
 * its share a batch at a time (answering edits, requests and the user's cancel in between), and takes each file's
 * models into the index in scan order as they come back (the order analyses see files in, as indexHere gives it).
 * A file opened in the editor meanwhile keeps the editor's text; a file the workers hand back is parsed here.
 */
async function indexInWorkers(files: readonly ScannedFile[], threads: number, progress: WorkDoneProgressServerReporter | undefined): Promise<number> {
  const started = performance.now();
  const read: Array<{ uri: string; open?: true; job: ParseJob | undefined }> = files.map((file) => {
    if (index.isOpen(file.uri)) return { uri: file.uri, open: true, job: undefined };
    try {
      const text = isExcluded(file.uri) ? undefined : readDisk(file.uri);
      return { uri: file.uri, job: text === undefined ? undefined : { ...index.parseInput(file.uri), text } };
    } catch (err) {
      connection.console.error(`netlens: not indexing ${file.uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { uri: file.uri, job: undefined };
    }
  });
  const parsed = new Map<number, ParsedFile | undefined>();
  const jobs = read.flatMap((r, i) => (r.job === undefined ? [] : [{ ...r.job, at: i }]));
  let done = 0;
  let reported = performance.now();
  const take = () => {
    for (; done < read.length && !progress?.token.isCancellationRequested; done++) {
      const { uri, open, job } = read[done]!;
      if (open || index.isOpen(uri)) continue;
      if (job === undefined) {
        index.remove(uri);
        continue;
      }
      if (!parsed.has(done)) return;
      const file = parsed.get(done);
      parsed.delete(done);
      try {
        if (file === undefined) index.setText(uri, job.text, false);
        else index.setParsed(uri, job.text, job.defaultNamespace, file.chunks, file.built);
      } catch (err) {
        index.remove(uri);
        connection.console.error(`netlens: not indexing ${uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  };
  const shared = await parseInWorkers(jobs, threads, (i, file) => {
    parsed.set(jobs[i]!.at, file);
    take();
    if (performance.now() - reported >= INDEX_SLICE_MS) {
      progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length} files`);
      reported = performance.now();
    }
  });
  take();
  connection.console.log(`netlens: parsed ${shared.onWorkers} of ${shared.batches} batches on ${threads} worker thread(s), the rest here, in ${Math.round(performance.now() - started)} ms`);
  return done;
}

/**
 * Reads every manifest of the workspace folders. Every INDEX_SLICE_MS it
 * reports progress and yields to the event loop, so the report reaches the
 * editor while indexing goes on (not all at the end), edits and requests are
 * answered in between, and the user's cancel is seen: the index then keeps
 * the files read so far.
 */
async function indexWorkspace(): Promise<void> {
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('Netlens: indexing manifests', 0, undefined, true);
  indexing = true;
  try {
    loadProjectConfig();
    const files = folders.flatMap((f) => (f.uri.startsWith('file:') ? scanFolder(fileURLToPath(f.uri), settings.exclude) : []));
    const threads = parseWorkerCount(files.reduce((n, f) => n + f.size, 0));
    const done = threads > 0 ? await indexInWorkers(files, threads, progress) : await indexHere(files, progress);
    if (done < files.length) connection.console.log(`netlens: indexing cancelled after ${done} of ${files.length} files; the rest are read when opened or changed`);
    else connection.console.log(`netlens: indexed ${files.length} files in ${folders.length} folder(s)`);
    // Rendered before the first diagnostics, so none of them judges a raw base.
    await Promise.all([kustomize.renderAll(), helm.renderAll()]);
  } finally {
    indexing = false;
    progress?.done();
  }
  publishAll();
  const indexed: IndexedParams = { files: index.uris().length };
  void connection.sendNotification(INDEXED, indexed);
}

async function loadSettings(): Promise<void> {
  if (!supportsConfiguration) return;
  const [netlens, files] = await connection.workspace.getConfiguration([{ section: 'netlens' }, { section: 'files.exclude' }]);
  useSettings(readSettingsReport(netlens, files));
}

/** Problems already shown: a setting a workspace gets wrong is reported once, not on every reload. */
const reportedProblems = new Set<string>();

function useSettings(report: SettingsReport): void {
  const binaryBefore = settings;
  settings = report.settings;
  index.updateSettings(settings);
  if (settings.kustomizeBinary !== binaryBefore.kustomizeBinary && !indexing) void kustomize.renderAll();
  if ((settings.helmBinary !== binaryBefore.helmBinary || settings.helmValueFiles.join('\n') !== binaryBefore.helmValueFiles.join('\n')) && !indexing) void helm.renderAll();
  for (const problem of report.problems) {
    if (reportedProblems.has(problem)) continue;
    reportedProblems.add(problem);
    connection.console.warn(`netlens: ${problem}`);
    // A notification, not window/showMessageRequest: nothing to answer, nothing waits on the user.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Netlens setting ${problem}` });
  }
}

/** Folders opened or closed in a running editor: the new ones are indexed, what only the old ones held is dropped. */
function changeFolders(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
  const gone = new Set(removed.map((f) => normalUri(f.uri)));
  folders = folders.filter((f) => !gone.has(normalUri(f.uri)));
  for (const f of added) if (!folders.some((g) => normalUri(g.uri) === normalUri(f.uri))) folders.push(f);
  const inFolder = (uri: string, folder: WorkspaceFolder) => uri.startsWith(normalUri(folder.uri).replace(/\/?$/, '/'));
  for (const uri of index.uris()) {
    if (!index.isOpen(uri) && removed.some((f) => inFolder(uri, f)) && !folders.some((f) => inFolder(uri, f))) index.remove(uri);
  }
  loadProjectConfig();
  for (const f of added) {
    if (!f.uri.startsWith('file:')) continue;
    for (const file of scanFolder(fileURLToPath(f.uri), settings.exclude)) if (!index.isOpen(file.uri)) indexFromDisk(file.uri);
  }
  void kustomize.renderAll();
  void helm.renderAll();
  scheduleValidation();
}

// ---- LSP wiring -----------------------------------------------------------

connection.onInitialize((params): InitializeResult => {
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  if (params.initializationOptions && typeof params.initializationOptions === 'object') {
    useSettings(readSettingsReport((params.initializationOptions as Record<string, unknown>)['settings']));
  }
  // Registered here, after the library's own workspace-folder feature has set its handler up, so this one is used.
  connection.onNotification(
    DidChangeWorkspaceFoldersNotification.type,
    guarded('workspace folders', undefined, (p) => changeFolders(p.event.added, p.event.removed)),
  );
  return {
    capabilities: {
      // Saves re-render kustomize roots at once, whether or not the client watches files.
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: true },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      completionProvider: { triggerCharacters: [':', ' ', '-', '{', ','] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'netlens', version: '0.1.0' },
  };
});

connection.onInitialized(
  guarded('initialized', undefined, () => {
    if (supportsConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'netlens' });
    void loadSettings()
      .catch((err) => connection.console.error(`netlens: reading settings failed: ${String(err)}`))
      .then(() => indexWorkspace())
      .catch((err) => connection.console.error(`netlens: indexing failed: ${String(err)}`));
  }),
);

connection.onDidChangeConfiguration(
  guarded('configuration', undefined, (change) => {
    if (!supportsConfiguration && change.settings && typeof change.settings === 'object') {
      useSettings(readSettingsReport((change.settings as Record<string, unknown>)['netlens']));
      scheduleValidation();
      return;
    }
    void loadSettings().then(scheduleValidation);
  }),
);

documents.onDidChangeContent(
  guarded('change', undefined, (e) => {
    if (!isManifestPath(e.document.uri) && e.document.languageId !== 'yaml' && e.document.languageId !== 'json') return;
    const before = index.isOpen(e.document.uri) ? index.text(e.document.uri) : undefined;
    const after = e.document.getText();
    if (before !== undefined && before !== after) settle.noteEdit(e.document.uri, before, after);
    if (index.setText(e.document.uri, after, true)) {
      kustomize.noteChange(normalUri(e.document.uri));
      helm.noteChange(normalUri(e.document.uri));
      scheduleValidation();
    }
  }),
);

documents.onDidSave(
  guarded('save', undefined, (e) => {
    kustomize.noteChange(normalUri(e.document.uri));
    helm.noteSaved(normalUri(e.document.uri));
  }),
);

documents.onDidClose(
  guarded('close', undefined, (e) => {
    settle.forget(e.document.uri);
    index.close(e.document.uri, isExcluded(e.document.uri) ? undefined : readDisk(normalUri(e.document.uri)));
    kustomize.noteChange(normalUri(e.document.uri));
    helm.noteChange(normalUri(e.document.uri));
    scheduleValidation();
  }),
);

connection.onDidChangeWatchedFiles(
  guarded('watched files', undefined, (params) => {
    for (const change of params.changes) {
      if (change.uri.endsWith(`/${PROJECT_CONFIG_FILE}`)) loadProjectConfig();
      if (!isManifestPath(change.uri) || index.isOpen(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) index.remove(change.uri);
      else indexFromDisk(change.uri);
      kustomize.noteChange(normalUri(change.uri));
      helm.noteSaved(normalUri(change.uri));
    }
    scheduleValidation();
  }),
);

connection.onHover(
  guarded('hover', null, (params) => {
    const text = index.text(params.textDocument.uri);
    if (text === undefined) return null;
    const offset = toOffset(index.lineIndex(params.textDocument.uri), params.position);
    // A base or overlay file a kustomize render stands for: hover what it rendered (the first root rendering it).
    const rendered = index.renderedAt(params.textDocument.uri, offset)[0];
    const renderedText = rendered === undefined ? undefined : index.renderedText(rendered.uri);
    if (rendered !== undefined && renderedText !== undefined) {
      const found = hover(index.analysis(), reachSummary(), rendered.uri, renderedText, rendered.offset, index.lineIndex, index.placeSpan);
      // A Helm template's spans are placed on its kind line, not at the YAML path: a range elsewhere than the pointer would highlight the wrong text.
      if (found?.range !== undefined && !rangesOverlap(found.range, { start: params.position, end: params.position })) return { contents: found.contents };
      return found;
    }
    return hover(index.analysis(), reachSummary(), normalUri(params.textDocument.uri), text, offset, index.lineIndex, index.placeSpan);
  }),
);

/** Editors ask for lenses again on every scroll and focus; they only change with the model. */
const lensCache = new Map<string, { version: number; plans: LensPlan[]; resolved: Map<number, CodeLens> }>();

/** What the edits since HEAD do, for the status bar and the lenses on changed policies (one answer per analysis). */
const whatIf = new WhatIf();

/** What-if lenses on the policies of a file; a failure there (git, the base) costs only these lenses. */
function changedPolicyLenses(analysis: Analysis, uri: string): CodeLens[] {
  try {
    return whatIfLenses(analysis, whatIf.answer(analysis, workspaceRoot(), {}), uri, index.lineIndex(uri));
  } catch (err) {
    connection.console.error(`netlens: what-if lenses: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return [];
  }
}

/** The first workspace folder's path: what-if compares it against git. */
function workspaceRoot(): string | undefined {
  return folders[0]?.uri.startsWith('file:') ? fileURLToPath(folders[0].uri) : undefined;
}

/** The plans of a file's lenses for the current model version, worked out once. */
function lensPlansFor(uri: string): LensPlan[] {
  const cached = lensCache.get(uri);
  if (cached !== undefined && cached.version === index.version) return cached.plans;
  const analysis = index.analysis();
  const plans = [...lensPlans(analysis, reachSummary(), uri, index.lineIndex(uri), index.placeSpan), ...changedPolicyLenses(analysis, uri).map(fixedLens)];
  lensCache.set(uri, { version: index.version, plans, resolved: new Map() });
  return plans;
}

/** A plan's lens, worked out once per model version. */
function resolvedAt(uri: string, i: number): CodeLens | undefined {
  const plan = lensPlansFor(uri)[i];
  if (plan === undefined) return undefined;
  const resolved = lensCache.get(uri)!.resolved;
  let lens = resolved.get(i);
  if (lens === undefined) resolved.set(i, (lens = resolvedLens(plan)));
  return lens;
}

/**
 * Above this many lenses in a file (a generated file of thousands of pods),
 * the answer carries only their places and the editor asks for the titles of
 * the lenses it shows (codeLens/resolve); below it, one answer holds all.
 */
const RESOLVE_LENSES_ABOVE = 500;

/** A lens's file (by number: a long uri repeated on thousands of lenses would dominate the answer) and its place among the file's lenses. */
interface LensData {
  readonly file: number;
  readonly index: number;
}
const lensFiles: string[] = [];
const lensFileNumbers = new Map<string, number>();
function lensFileNumber(uri: string): number {
  let n = lensFileNumbers.get(uri);
  if (n === undefined) lensFileNumbers.set(uri, (n = lensFiles.push(uri) - 1));
  return n;
}

connection.onCodeLens(
  guarded('code lens', [], (params) => {
    const uri = normalUri(params.textDocument.uri);
    if (!index.has(uri)) return [];
    const plans = lensPlansFor(uri);
    if (plans.length > RESOLVE_LENSES_ABOVE) {
      const file = lensFileNumber(uri);
      return plans.map((p, i): CodeLens => ({ range: p.range, data: { file, index: i } satisfies LensData }));
    }
    return plans.map((_, i) => resolvedAt(uri, i)!);
  }),
);

/** What a lens asked about after the model moved on shows: nothing to run. */
function staleLens(lens: CodeLens): CodeLens {
  return { ...lens, command: { title: '…', command: '' } };
}

connection.onCodeLensResolve((lens) =>
  guarded('code lens resolve', staleLens(lens), () => {
    const data = lens.data as LensData | undefined;
    const uri = typeof data?.file === 'number' ? lensFiles[data.file] : undefined;
    if (uri === undefined || typeof data?.index !== 'number') return lens;
    // Asked after the model moved on: the plan at the same place in the file's new lenses, if it still sits on that line.
    const now = resolvedAt(uri, data.index);
    return now !== undefined && now.range.start.line === lens.range.start.line ? { ...now, data } : staleLens(lens);
  })(),
);

connection.onCodeAction(
  guarded('code action', [], (params) => {
    const uri = normalUri(params.textDocument.uri);
    const findings = index.findingsFor(uri);
    const fixes = codeActions(findings, uri, params.range, index.lineIndex, settings);
    const text = index.text(uri);
    return text === undefined ? fixes : [...fixes, ...suppressionActions(findings, uri, text, params.range, index.lineIndex, settings)];
  }),
);

connection.onCompletion(
  guarded('completion', [], (params) => {
    const text = index.text(params.textDocument.uri);
    if (text === undefined) return [];
    const li = index.lineIndex(params.textDocument.uri);
    return completions(index.analysis(), text, toOffset(li, params.position), li);
  }),
);

connection.onRequest(SUMMARY, guarded<[], SummaryResult | null>('summary', null, () => summaryOf(index.analysis(), kustomize.unrendered())));
connection.onRequest(LIST_WORKLOADS, guarded('workloads', [], () => workloads(index.analysis(), index.lineIndex)));
connection.onRequest(EXPLAIN, guarded<[ExplainParams], ExplainResult | null>('explain', null, (params) => explain(index.analysis(), params, index.lineIndex)));
connection.onRequest(REACHERS, guarded<[ReachersParams], ReachersResult | null>('reachers', null, (params) => reachers(index.analysis(), reachSummary(), params.id)));
connection.onRequest(GRAPH, guarded<[], GraphData | null>('graph', null, () => currentGraph()));
connection.onRequest(
  WHAT_IF,
  guarded<[WhatIfParams], WhatIfResult | null>('whatIf', null, (params) => whatIf.answer(index.analysis(), workspaceRoot(), params ?? {})),
);

documents.listen(connection);
connection.listen();
