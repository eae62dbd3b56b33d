/**
 * A real LSP client for tests: starts the bundled server over stdio and
 * speaks the protocol with vscode-languageserver-protocol. Waits are on real
 * signals (published diagnostics), never on timers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRequest,
  CodeLensResolveRequest,
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Position,
  type ProtocolConnection,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../server/src/engine/index.js';
import { REPO_ROOT } from './paths.js';

export const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');

/** How to start a language server: Netlens's bundle by default; the benchmark also starts others. */
export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export const NETLENS_SERVER: ServerCommand = { command: process.execPath, args: [SERVER] };

export function uriOf(file: string): string {
  return pathToFileURL(file).toString();
}

type Waiter = { uri: string; predicate: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void };

export class LspTestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly logs: string[] = [];
  /** window/showMessage notifications: what the editor would pop up. */
  readonly shownMessages: string[] = [];
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  readonly texts = new Map<string, string>();
  /** Every work-done progress notification, with when it arrived (performance.now()). */
  readonly progress: Array<{ token: string | number; value: { kind: string; percentage?: number; message?: string }; at: number }> = [];

  private constructor(
    private readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(rootDir: string | undefined, settings: Record<string, unknown> = {}, server: ServerCommand = NETLENS_SERVER): Promise<LspTestClient> {
    const proc = spawn(server.command, [...server.args, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspTestClient(proc, connection);
    proc.stderr!.on('data', (d: Buffer) => client.logs.push(d.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.waiters = client.waiters.filter((w) => {
        if (w.uri !== p.uri || !w.predicate(p.diagnostics)) return true;
        w.resolve(p.diagnostics);
        return false;
      });
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
    });
    connection.onNotification('window/showMessage', (p: { message: string }) => {
      client.shownMessages.push(p.message);
    });
    connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section !== undefined && i.section in settings ? settings[i.section] : i.section === 'netlens' ? settings : i.section === 'files.exclude' ? {} : null)),
    );
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (p: { token: string | number; value: { kind: string; percentage?: number; message?: string } }) => {
      client.progress.push({ ...p, at: performance.now() });
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: rootDir ? uriOf(rootDir) : null,
      workspaceFolders: rootDir ? [{ uri: uriOf(rootDir), name: path.basename(rootDir) }] : null,
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves with the next (or current) diagnostics of uri that satisfy the predicate. */
  waitForDiagnostics(uri: string, predicate: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const current = this.diagnostics.get(uri);
    if (current !== undefined && predicate(current)) return Promise.resolve(current);
    return new Promise((resolve) => this.waiters.push({ uri, predicate, resolve }));
  }

  /**
   * Resolves once the server's model holds the file's objects: its code lenses
   * appear. For files without findings, whose diagnostics are never published
   * (waiting for them would wait forever).
   */
  async waitForModel(uri: string, timeoutMs = 20_000): Promise<void> {
    const started = Date.now();
    while (((await this.codeLenses(uri)) ?? []).length === 0) {
      if (Date.now() - started > timeoutMs) throw new Error(`no code lenses for ${uri} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves with the next published diagnostics of uri, whatever they are. */
  nextDiagnostics(uri: string, predicate: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiters.push({ uri, predicate, resolve }));
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** An incremental edit, as an editor sends on a keystroke. */
  async edit(uri: string, range: Range, newText: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, applyEdits(this.texts.get(uri) ?? '', [{ range, newText }]));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
  }

  /** Replaces the whole text, as an editor does after a paste or a reload. */
  async setText(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Replaces the first occurrence of `find` (after `after`, if given) with `replacement`. */
  async replace(uri: string, find: string, replacement: string, after = ''): Promise<void> {
    const text = this.texts.get(uri)!;
    const start = text.indexOf(find, after ? text.indexOf(after) : 0);
    if (start === -1) throw new Error(`"${find}" not in ${uri}`);
    const idx = new LineIndex(text);
    await this.edit(uri, { start: idx.positionAt(start), end: idx.positionAt(start + find.length) }, replacement);
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  positionOf(uri: string, find: string, delta = 0, after = ''): Position {
    const text = this.texts.get(uri)!;
    const at = text.indexOf(find, after ? text.indexOf(after) : 0);
    if (at === -1) throw new Error(`"${find}" not in ${uri}`);
    return new LineIndex(text).positionAt(at + delta);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  /** The lenses of a file, each resolved as an editor resolves the lenses it shows (codeLens/resolve) when it came without its command. */
  async codeLenses(uri: string, visibleLines?: readonly [number, number]): Promise<CodeLens[] | null> {
    const lenses = await this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    if (lenses === null) return null;
    // An editor resolves only the lenses on the lines it shows; without visibleLines, every one.
    const shown = (l: CodeLens) => visibleLines === undefined || (l.range.start.line >= visibleLines[0] && l.range.start.line <= visibleLines[1]);
    return Promise.all(lenses.map((l) => (l.command !== undefined || !shown(l) ? l : this.connection.sendRequest(CodeLensResolveRequest.type, l))));
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<Array<CodeAction> | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[] | null>;
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return Array.isArray(r) ? r : (r?.items ?? []);
  }

  /** Applies a workspace edit to the open documents, as the editor would, and tells the server. */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const before = this.texts.get(uri);
      if (before === undefined) throw new Error(`edit for a document that is not open: ${uri}`);
      const after = applyEdits(before, edits);
      const idx = new LineIndex(before);
      const version = (this.versions.get(uri) ?? 0) + 1;
      this.versions.set(uri, version);
      this.texts.set(uri, after);
      await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 0, character: 0 }, end: idx.positionAt(before.length) }, text: after }],
      });
    }
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get exitCode(): number | null {
    return this.proc.exitCode;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    }
    this.connection.dispose();
    if (this.proc.exitCode === null) await new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
  }
}

/** Resolves like the promise, or rejects when it takes longer than ms. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const idx = new LineIndex(text);
  const abs = edits.map((e) => ({ start: idx.offsetAt(e.range.start), end: idx.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
