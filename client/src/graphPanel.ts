/**
 * The reachability graph panel. The server computes the graph; this class
 * fetches it when the model changes (debounced), hands it to the webview,
 * and carries out the webview's two requests: open a source line, save an
 * export.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GRAPH, type GraphData, type GraphFocus, type HostToWebviewMessage } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
import { ExplainPanel } from './explainPanel.js';
import { graphHtml, newNonce } from './graphHtml.js';
import { isWebviewMessage, linkedUris } from './graphMessages.js';

/** Typing produces a model per keystroke; the graph follows once the burst settles. */
const UPDATE_DELAY_MS = 300;

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private graph: GraphData | undefined;
  private ready = false;
  private pendingFocus: GraphFocus | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  static show(ctx: NetlensContext, focus?: GraphFocus): void {
    if (GraphPanel.current) {
      GraphPanel.current.panel.reveal(undefined, false);
      if (focus) GraphPanel.current.focus(focus);
      return;
    }
    const groupsBefore = vscode.window.tabGroups.all.length;
    GraphPanel.current = new GraphPanel(ctx, focus);
    // Opened beside a lone editor, the panel would get half the window (about
    // 400 px on a laptop): give it the larger column, the YAML keeps 40%.
    if (groupsBefore === 1 && vscode.window.tabGroups.all.length === 2) {
      void vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 0.4 }, { size: 0.6 }] }).then(undefined, () => undefined);
    }
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(
    private readonly ctx: NetlensContext,
    focus: GraphFocus | undefined,
  ) {
    const extensionUri = ctx.extension.extensionUri;
    const scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel('netlens.graph', 'Netlens: Reachability Graph', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [scripts, media],
      retainContextWhenHidden: true,
    });
    const webview = this.panel.webview;
    webview.html = graphHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'graph.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.css')).toString(),
    });
    this.pendingFocus = focus;
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      ctx.onModelChanged(() => this.updateSoon()),
      ctx.onClientReady(() => this.updateSoon()),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: HostToWebviewMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private focus(focus: GraphFocus): void {
    if (this.ready && this.graph) this.post({ type: 'focus', focus });
    else this.pendingFocus = focus;
  }

  private updateSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  private async update(): Promise<void> {
    this.timer = undefined;
    const client = this.ctx.client;
    if (!client || !this.ready) return;
    const graph = await client.sendRequest<GraphData | null>(GRAPH).catch((err: unknown) => {
      this.ctx.output.error(`graph request failed: ${String(err)}`);
      return null;
    });
    if (!graph || graph.version === this.graph?.version) return;
    this.graph = graph;
    const focus = this.pendingFocus;
    this.pendingFocus = undefined;
    this.post({ type: 'graph', graph, ...(focus ? { focus } : {}) });
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.ctx.output.warn('graph panel: ignored a malformed message from the webview');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.graph = undefined;
        await this.update();
        return;
      case 'open': {
        if (!this.graph || !linkedUris(this.graph).has(message.uri)) {
          this.ctx.output.warn(`graph panel: refused to open ${message.uri}: not a file of the graph`);
          return;
        }
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(message.uri));
        const at = new vscode.Range(message.line, 0, message.line, 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: at });
        return;
      }
      case 'explain':
        // Only workloads of the graph: the explain request answers anything else with "unknown" anyway.
        if (!this.graph?.nodes.some((n) => n.ref === message.source) || !this.graph.nodes.some((n) => n.ref === message.destination)) return;
        ExplainPanel.show(this.ctx, { source: message.source, destination: message.destination });
        return;
      case 'export': {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const name = `netlens-graph.${message.format}`;
        const target = await vscode.window.showSaveDialog({
          ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
          filters: message.format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
        });
        if (!target) return;
        const bytes = message.format === 'png' ? Buffer.from(message.data.slice(message.data.indexOf(',') + 1), 'base64') : Buffer.from(message.data, 'utf8');
        await vscode.workspace.fs.writeFile(target, bytes);
        this.post({ type: 'exported', format: message.format, path: target.fsPath || path.basename(target.path) });
        return;
      }
    }
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
