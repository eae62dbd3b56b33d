/**
 * Commands that ask the server about reachability: the graph panel, explain
 * one connection, list what can reach a pod.
 */
import * as vscode from 'vscode';
import { LIST_WORKLOADS, REACHERS, type ExplainParams, type ReachersResult, type WorkloadInfo } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
import { ExplainPanel } from './explainPanel.js';
import { showWhatIf } from './whatIfStatus.js';
import { asFocus } from './graphMessages.js';
import { GraphPanel } from './graphPanel.js';

async function pickWorkload(ctx: NetlensContext, placeHolder: string, allowIP: boolean): Promise<string | undefined> {
  const list = (await ctx.client?.sendRequest<WorkloadInfo[]>(LIST_WORKLOADS)) ?? [];
  const items: vscode.QuickPickItem[] = list.map((w) => ({ label: w.id, description: `${w.kind}${w.replicas !== 1 ? ` ×${w.replicas}` : ''}`, detail: w.ports.join(', ') || undefined }));
  if (!allowIP) {
    return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.label;
  }
  // Accept a workload or a typed IP address.
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.items = items;
    qp.placeholder = `${placeHolder} (or type an IP address)`;
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.label ?? (qp.value.trim() || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** The workload under the cursor, if the active editor shows one. */
async function workloadAtCursor(ctx: NetlensContext): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const list = (await ctx.client?.sendRequest<WorkloadInfo[]>(LIST_WORKLOADS)) ?? [];
  const here = list.filter((w) => w.uri === editor.document.uri.toString() && w.line <= editor.selection.active.line);
  return here.sort((a, b) => b.line - a.line)[0]?.id;
}

/** `{ source, destination }` as the graph and the lenses pass it. */
function asExplainParams(arg: unknown): ExplainParams | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  return typeof a['source'] === 'string' && typeof a['destination'] === 'string' ? { source: a['source'], destination: a['destination'] } : undefined;
}

export const GRAPH_COMMANDS: Record<string, (ctx: NetlensContext) => (...args: unknown[]) => unknown> = {
  // From a code lens the argument says what to focus; from the palette there is none.
  'netlens.showGraph': (ctx) => (arg?: unknown) => GraphPanel.show(ctx, asFocus(arg)),
  // From the palette: pick both ends and a port (empty: every port the destination declares).
  // From the graph or a lens: { source, destination } given.
  'netlens.explainTraffic': (ctx) => async (arg?: unknown) => {
    const given = asExplainParams(arg);
    if (given) return ExplainPanel.show(ctx, given);
    const source = await pickWorkload(ctx, 'Source', true);
    if (!source) return;
    const destination = await pickWorkload(ctx, 'Destination', true);
    if (!destination) return;
    const portText = await vscode.window.showInputBox({
      prompt: 'Port and protocol (empty: every port the destination declares)',
      value: '',
      validateInput: (v) => (v.trim() === '' || /^\d{1,5}(\/(TCP|UDP|SCTP))?$/i.test(v.trim()) ? undefined : 'e.g. 5432/TCP'),
    });
    if (portText === undefined) return;
    const [port, protocol = 'TCP'] = portText.trim().split('/');
    ExplainPanel.show(ctx, portText.trim() === '' ? { source, destination } : { source, destination, port: Number(port), protocol: protocol!.toUpperCase() as 'TCP' | 'UDP' | 'SCTP' });
  },
  // From a workload's lens or the palette: who can reach it; picking one (or any other source) explains that connection.
  'netlens.whatCanReach': (ctx) => async (arg?: unknown) => {
    const id = (typeof arg === 'string' ? arg : undefined) ?? (await workloadAtCursor(ctx)) ?? (await pickWorkload(ctx, 'Which pod?', false));
    if (!id) return;
    const result = await ctx.client?.sendRequest<ReachersResult | null>(REACHERS, { id });
    if (!result) return;
    const pods = result.sources.reduce((n, s) => n + s.replicas, 0);
    const other = '$(search) Explain from another source…';
    const items: vscode.QuickPickItem[] = [
      ...result.sources.map((s) => ({ label: s.id, description: s.replicas !== 1 ? `×${s.replicas}` : '' })),
      ...(result.external ? [{ label: result.external, description: 'addresses outside the pods', kind: vscode.QuickPickItemKind.Separator }] : []),
      { label: other, alwaysShow: true },
    ];
    const reachedBy = `${pods} pod${pods === 1 ? '' : 's'} in ${result.sources.length} workload${result.sources.length === 1 ? '' : 's'}${result.external ? ` and ${result.external}` : ''}`;
    const choice = await vscode.window.showQuickPick(items, { placeHolder: `${reachedBy} can reach ${id}: pick one to explain` });
    if (!choice) return;
    const source = choice.label === other ? await pickWorkload(ctx, `Explain traffic to ${id} from`, true) : choice.label;
    if (source) ExplainPanel.show(ctx, { source, destination: id });
  },
  // From the status bar item: the flows the edits since HEAD open and close.
  'netlens.showWhatIf': (ctx) => () => showWhatIf(ctx),
};
