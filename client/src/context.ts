/**
 * The one object that owns the language client and every disposable of the
 * extension. Commands receive it; nothing else holds global state.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { MODEL_CHANGED, type ModelChangedParams } from '../../server/src/requests.js';

export class NetlensContext implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private languageClient: LanguageClient | undefined;
  private readonly clientChanged = new vscode.EventEmitter<LanguageClient>();
  /** Fires when a (re)started language client is ready. */
  readonly onClientReady = this.clientChanged.event;
  private readonly modelChanged = new vscode.EventEmitter<ModelChangedParams>();
  /** Fires when the server has analysed a new version of the workspace. */
  readonly onModelChanged = this.modelChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Netlens', { log: true });
    this.push(this.output, this.clientChanged, this.modelChanged);
  }

  push(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  get client(): LanguageClient | undefined {
    return this.languageClient;
  }

  async start(): Promise<void> {
    const serverModule = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', language: 'json' },
        { scheme: 'file', language: 'conflist' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      synchronize: {
        configurationSection: 'netlens',
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json,conflist,conf}'),
      },
      outputChannel: this.output,
    };
    this.languageClient = new LanguageClient('netlens', 'Netlens', serverOptions, clientOptions);
    await this.languageClient.start();
    this.languageClient.onNotification(MODEL_CHANGED, (params: ModelChangedParams) => this.modelChanged.fire(params));
    this.clientChanged.fire(this.languageClient);
  }

  async restart(): Promise<void> {
    const old = this.languageClient;
    this.languageClient = undefined;
    if (old) await old.stop().catch((err: unknown) => this.output.appendLine(`stopping the server failed: ${String(err)}`));
    await this.start();
  }

  dispose(): void {
    void this.languageClient?.stop();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
