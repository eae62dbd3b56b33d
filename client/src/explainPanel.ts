/**
 * The explain panel: one source → destination, re-asked of the server when
 * the model changes (so applying a fix shows its effect), drawn by the
 * explain page. The page may open only files the report links to, and apply
 * only fixes the report holds, named by position.
 */
import * as vscode from 'vscode';
import { EXPLAIN, type ExplainParams, type ExplainReport, type ExplainResult, type ExplainToHostMessage, type ReportFix } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
import { ExplainPageView } from './explainPageView.js';

const UPDATE_DELAY_MS = 300;

function isPageMessage(v: unknown): v is ExplainToHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const index = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  switch (m['type']) {
    case 'ready':
      return true;
    case 'open':
      return typeof m['uri'] === 'string' && index(m['line']);
    case 'fix':
      return index(m['port']) && (m['direction'] === 'ingress' || m['direction'] === 'egress') && index(m['miss']) && index(m['change']);
    default:
      return false;
  }
}

/** Every file the report links to: the only ones the page may ask to open. */
function linkedUris(report: ExplainReport): Set<string> {
  const uris = new Set<string>();
  for (const p of report.ports) {
    for (const d of [p.egress, p.ingress]) {
      for (const policy of d.policies) uris.add(policy.at.uri);
      for (const r of [...d.policies.flatMap((x) => x.rules), ...d.ignored]) uris.add(r.at.uri);
      for (const m of d.nearMisses) for (const c of [m, ...m.changes]) uris.add(c.at.uri);
    }
  }
  return uris;
}

export class ExplainPanel extends ExplainPageView {
  private static current: ExplainPanel | undefined;
  private report: ExplainReport | undefined;

  static show(ctx: NetlensContext, params: ExplainParams): void {
    if (ExplainPanel.current) {
      ExplainPanel.current.params = params;
      ExplainPanel.current.panel.reveal(undefined, false);
      void ExplainPanel.current.update();
      return;
    }
    ExplainPanel.current = new ExplainPanel(ctx, params);
  }

  private constructor(
    ctx: NetlensContext,
    private params: ExplainParams,
  ) {
    super(ctx, 'netlens.explain', 'Netlens: Explain', UPDATE_DELAY_MS);
  }

  protected async update(): Promise<void> {
    if (!this.ready || !this.ctx.client) return;
    const result = await this.ctx.client.sendRequest<ExplainResult | null>(EXPLAIN, this.params).catch((err: unknown) => {
      this.ctx.output.error(`explain request failed: ${String(err)}`);
      return null;
    });
    if (!result) return;
    this.report = result.report;
    this.panel.title = `Explain: ${this.params.source} → ${this.params.destination}`;
    this.post(result.report ? { type: 'explain', report: result.report } : { type: 'error', message: result.lines.join('\n') });
  }

  private fixAt(m: { port: number; direction: 'ingress' | 'egress'; miss: number; change: number }): ReportFix | undefined {
    return this.report?.ports[m.port]?.[m.direction].nearMisses[m.miss]?.changes[m.change]?.fix;
  }

  protected async onMessage(message: unknown): Promise<void> {
    if (!isPageMessage(message)) {
      this.ctx.output.warn('explain panel: ignored a malformed message from the webview');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.update();
        return;
      case 'open': {
        if (!this.report || !linkedUris(this.report).has(message.uri)) {
          this.ctx.output.warn(`explain panel: refused to open ${message.uri}: not a file of the explanation`);
          return;
        }
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(message.uri));
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(message.line, 0, message.line, 0) });
        return;
      }
      case 'fix': {
        const fix = this.fixAt(message);
        if (!fix) return;
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(vscode.Uri.parse(e.uri), new vscode.Range(e.start.line, e.start.character, e.end.line, e.end.character), e.newText);
        await vscode.workspace.applyEdit(edit);
        return;
      }
    }
  }

  override dispose(): void {
    if (ExplainPanel.current === this) ExplainPanel.current = undefined;
    super.dispose();
  }
}
