/**
 * "42 pods · 7 policies" in the status bar, with a warning state when the
 * cluster's CNI does not enforce NetworkPolicy. Refreshed when diagnostics change.
 */
import * as vscode from 'vscode';
import { SUMMARY, type SummaryResult } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('netlens.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: NetlensContext) {
    this.item.name = 'Netlens';
    this.item.command = 'netlens.showGraph';
    this.item.text = '$(loading~spin) Netlens';
    this.item.show();
    this.subscriptions.push(
      ctx.onClientReady(() => this.refreshSoon()),
      vscode.languages.onDidChangeDiagnostics(() => this.refreshSoon()),
    );
  }

  /** Diagnostics arrive in bursts; ask the server once per burst. */
  private refreshSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.refresh();
    }, 250);
  }

  private async refresh(): Promise<void> {
    const client = this.ctx.client;
    if (!client) return;
    const s = await client.sendRequest<SummaryResult | null>(SUMMARY).catch(() => null);
    if (!s) return;
    this.item.text = `${s.warning ? '$(warning)' : '$(type-hierarchy)'} ${s.pods} pods · ${s.policies} policies`;
    this.item.tooltip = s.warning ?? `Netlens: ${s.workloads} workloads (${s.pods} pods), ${s.services} Services, ${s.policies} NetworkPolicies. Click for the reachability graph.`;
    this.item.backgroundColor = s.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.subscriptions) d.dispose();
    this.item.dispose();
  }
}
