/**
 * The what-if panel: the flows the edits since a git ref open and close, each
 * with why, drawn by the explain page and re-asked of the server when the
 * model changes. "Explain" on a flow opens the explain panel for it; the page
 * names the flow by position in the result held here, never by content.
 */
import { WHAT_IF, type ExplainToHostMessage, type WhatIfResult } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
import { ExplainPanel } from './explainPanel.js';
import { ExplainPageView } from './explainPageView.js';

const UPDATE_DELAY_MS = 500;

function isPageMessage(v: unknown): v is ExplainToHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m['type'] === 'ready' || (m['type'] === 'explainFlow' && Number.isInteger(m['index']) && (m['index'] as number) >= 0);
}

export class WhatIfPanel extends ExplainPageView {
  private static current: WhatIfPanel | undefined;
  private result: WhatIfResult | undefined;

  static show(ctx: NetlensContext): void {
    if (WhatIfPanel.current) {
      WhatIfPanel.current.panel.reveal(undefined, false);
      void WhatIfPanel.current.update();
      return;
    }
    WhatIfPanel.current = new WhatIfPanel(ctx);
  }

  private constructor(ctx: NetlensContext) {
    super(ctx, 'netlens.whatIf', 'Netlens: What this change does', UPDATE_DELAY_MS);
  }

  protected async update(): Promise<void> {
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

  protected onMessage(message: unknown): void {
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

  override dispose(): void {
    if (WhatIfPanel.current === this) WhatIfPanel.current = undefined;
    super.dispose();
  }
}
