/**
 * Commands that ask the server about reachability: the graph panel, explain
 * one connection, list what can reach a pod.
 */
import * as vscode from 'vscode';
import { EXPLAIN, LIST_WORKLOADS, REACHERS, type ExplainResult, type ReachersResult, type WorkloadInfo } from '../../server/src/requests.js';
import type { NetlensContext } from './context.js';
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

export const GRAPH_COMMANDS: Record<string, (ctx: NetlensContext) => (...args: unknown[]) => unknown> = {
  // From a code lens the argument says what to focus; from the palette there is none.
  'netlens.showGraph': (ctx) => (arg?: unknown) => GraphPanel.show(ctx, asFocus(arg)),
  'netlens.explainTraffic': (ctx) => async () => {
    const source = await pickWorkload(ctx, 'Source', true);
    if (!source) return;
    const destination = await pickWorkload(ctx, 'Destination', true);
    if (!destination) return;
    const portText = await vscode.window.showInputBox({ prompt: 'Port and protocol', value: '80/TCP', validateInput: (v) => (/^\d{1,5}(\/(TCP|UDP|SCTP))?$/i.test(v.trim()) ? undefined : 'e.g. 5432/TCP') });
    if (!portText) return;
    const [port, protocol = 'TCP'] = portText.trim().split('/');
    const result = await ctx.client?.sendRequest<ExplainResult | null>(EXPLAIN, { source, destination, port: Number(port), protocol: protocol.toUpperCase() });
    if (!result) return;
    ctx.output.appendLine(result.lines.join('\n'));
    const open = result.rules.length > 0 ? 'Open Rule' : undefined;
    const choice = await (result.allowed ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(result.lines.join(' '), ...(open ? [open] : []));
    if (choice === open && result.rules[0]) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.rules[0].uri));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(result.rules[0].line, 0, result.rules[0].line, 0) });
    }
  },
  'netlens.whatCanReach': (ctx) => async (arg?: unknown) => {
    const id = (typeof arg === 'string' ? arg : undefined) ?? (await workloadAtCursor(ctx)) ?? (await pickWorkload(ctx, 'Which pod?', false));
    if (!id) return;
    const result = await ctx.client?.sendRequest<ReachersResult | null>(REACHERS, { id });
    if (!result) return;
    const pods = result.sources.reduce((n, s) => n + s.replicas, 0);
    await vscode.window.showQuickPick(
      result.sources.map((s) => ({ label: s.id, description: s.replicas !== 1 ? `×${s.replicas}` : '' })),
      { placeHolder: `${pods} pods in ${result.sources.length} workloads can reach ${id}` },
    );
  },
};
