/**
 * A webview panel showing the explain page (explain.js and explain.css under
 * the explain CSP), re-asked of the server a moment after the model changes.
 * The explain and what-if panels differ only in what they ask and what the
 * page may ask back.
 */
import * as vscode from 'vscode';
import type { HostToExplainMessage } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
import { explainHtml } from './explainHtml.js';
import { newNonce } from './graphHtml.js';

export abstract class ExplainPageView implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  protected readonly panel: vscode.WebviewPanel;
  /** Set once the page has said it listens: posts before that are lost. */
  protected ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  protected constructor(
    protected readonly ctx: NetlensContext,
    viewType: string,
    title: string,
    private readonly updateDelayMs: number,
  ) {
    const extensionUri = ctx.extension.extensionUri;
    const scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [scripts, media] });
    const webview = this.panel.webview;
    webview.html = explainHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'explain.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      ctx.onModelChanged(() => this.updateSoon()),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Ask the server again and post the answer to the page. */
  protected abstract update(): Promise<void>;
  /** A message from the page: untrusted until checked. */
  protected abstract onMessage(message: unknown): void | Promise<void>;

  protected post(message: HostToExplainMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private updateSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, this.updateDelayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
