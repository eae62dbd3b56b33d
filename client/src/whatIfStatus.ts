/**
 * "$(git-compare) +3 −12 flows" in the status bar: what the edits since HEAD
 * do to reachability, refreshed when the model changes. Hidden outside a git
 * repository. Clicking opens the what-if panel: the flows, each explainable.
 */
import * as vscode from 'vscode';
import { WHAT_IF, type WhatIfResult } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
import { WhatIfPanel } from './whatIfPanel.js';

const UPDATE_DELAY_MS = 500;

export class WhatIfStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('netlens.whatIf', vscode.StatusBarAlignment.Left, 9);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: NetlensContext) {
    this.item.name = 'Netlens: what this change does';
    this.item.command = 'netlens.showWhatIf';
    this.subscriptions.push(
      ctx.onClientReady(() => this.refreshSoon()),
      ctx.onModelChanged(() => this.refreshSoon()),
    );
  }

  private refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), UPDATE_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    this.timer = undefined;
    const r = await this.ctx.client?.sendRequest<WhatIfResult | null>(WHAT_IF, {}).catch(() => null);
    if (!r || r.error !== undefined) {
      this.item.hide();
      return;
    }
    this.item.text = `$(git-compare) +${r.opened} −${r.closed} flows`;
    this.item.tooltip = `Against ${r.base}: this change opens ${r.opened} flow${r.opened === 1 ? '' : 's'}, closes ${r.closed}. Click for the list.`;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
    this.item.dispose();
  }
}

/** The command behind the item and the lenses: the what-if panel. */
export function showWhatIf(ctx: NetlensContext): void {
  WhatIfPanel.show(ctx);
}
