/**
 * The what-if panel: the flows the edits since a git ref open and close, each
 * with why, drawn by the explain page and re-asked of the server when the
 * model changes. "Explain" on a flow opens the explain panel for it; the page
 * names the flow by position in the result held here, never by content.
 */
import * as vscode from 'vscode';
import { WHAT_IF, type ExplainToHostMessage, type HostToExplainMessage, type WhatIfResult } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
import { explainHtml } from './explainHtml.js';
import { ExplainPanel } from './explainPanel.js';
import { newNonce } from './graphHtml.js';

const UPDATE_DELAY_MS = 500;

function isPageMessage(v: unknown): v is ExplainToHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m['type'] === 'ready' || (m['type'] === 'explainFlow' && Number.isInteger(m['index']) && (m['index'] as number) >= 0);
}

export class WhatIfPanel implements vscode.Disposable {
  private static current: WhatIfPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly panel: vscode.WebviewPanel;
  private result: WhatIfResult | undefined;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  static show(ctx: NetlensContext): void {
    if (WhatIfPanel.current) {
      WhatIfPanel.current.panel.reveal(undefined, false);
      void WhatIfPanel.current.update();
      return;
    }
    WhatIfPanel.current = new WhatIfPanel(ctx);
  }

  private constructor(private readonly ctx: NetlensContext) {
    const extensionUri = ctx.extension.extensionUri;
    const scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel('netlens.whatIf', 'Netlens: What this change does', vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [scripts, media] });
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

  private post(message: HostToExplainMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private updateSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  private async update(): Promise<void> {
    this.timer = undefined;
    if (!this.ready || !this.ctx.client) return;
    const result = await this.ctx.client.sendRequest<WhatIfResult | null>(WHAT_IF, {}).catch((err: unknown) => {
      this.ctx.output.error(`what-if request failed: ${String(err)}`);
      return null;
    });
    if (!result) return;
    this.result = result;
    this.panel.title = result.error === undefined ? `What-if vs ${result.base}: +${result.opened} −${result.closed}` : 'Netlens: What this change does';
    this.post({ type: 'whatIf', result });
  }

  private onMessage(message: unknown): void {
    if (!isPageMessage(message)) {
      this.ctx.output.warn('what-if panel: ignored a malformed message from the webview');
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      void this.update();
      return;
    }
    if (message.type !== 'explainFlow') return;
    const c = this.result?.changes[message.index];
    if (c) ExplainPanel.show(this.ctx, { source: c.source, destination: c.destination, port: c.port, protocol: c.protocol });
  }

  dispose(): void {
    if (WhatIfPanel.current === this) WhatIfPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
