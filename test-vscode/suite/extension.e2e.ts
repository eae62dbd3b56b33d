/**
 * Netlens in a real VS Code, through the `vscode` API only: the planted
 * findings in the Problems data, a hover over a selector, a code lens, a
 * quick fix applied, the graph command opening its webview panel. Waits on
 * real signals (diagnostics changing, tabs opening), never on sleeps.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const workspace = () => vscode.workspace.workspaceFolders![0]!.uri;
const file = (rel: string) => vscode.Uri.joinPath(workspace(), ...rel.split('/'));

/** Resolves when the diagnostics of uri satisfy the predicate (now or after a change). */
function diagnosticsOf(uri: vscode.Uri, predicate: (d: readonly vscode.Diagnostic[]) => boolean, what: string): Promise<readonly vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.code))}`));
    }, 45_000);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const ds = vscode.languages.getDiagnostics(uri);
      if (!predicate(ds)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(ds);
    });
  });
}

const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const has = (c: string) => (ds: readonly vscode.Diagnostic[]) => ds.some((d) => code(d) === c);

describe('Netlens in VS Code', () => {
  before(async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'netlens');
    assert.ok(ext, 'the extension is installed');
    await ext.activate();
  });

  it('lists the planted findings of examples/', async () => {
    const ds = await diagnosticsOf(file('storefront/policies.yaml'), has('policy-selects-no-pods'), 'storefront findings');
    assert.ok(ds.every((d) => d.source === 'netlens'));
    const codes = ds.map(code);
    for (const c of ['policy-selects-no-pods', 'peer-selects-no-pods', 'named-port-not-found', 'policy-types-missing-ingress']) assert.ok(codes.includes(c), c);
  });

  it('hovers a podSelector with the pods it selects', async () => {
    const doc = await vscode.workspace.openTextDocument(file('storefront/policies.yaml'));
    await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('matchLabels: {app: cart}') + 20);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /storefront\/cart/);
  });

  it('shows "reachable from N pods" code lenses over workloads', async () => {
    const doc = await vscode.workspace.openTextDocument(file('storefront/apps.yaml'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /^reachable from \d+ pods? · can reach \d+ pods?$/.test(t)), titles.join('\n'));
  });

  it('applies the canonical-CIDR quick fix', async () => {
    const uri = file('payments/policies.yaml');
    const ds = await diagnosticsOf(uri, has('cidr-not-canonical'), 'cidr-not-canonical');
    const d = ds.find((x) => code(x) === 'cidr-not-canonical')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.diagnostics?.some((x) => code(x) === 'cidr-not-canonical') && a.edit);
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await diagnosticsOf(uri, (x) => !has('cidr-not-canonical')(x), 'the finding to clear');
  });

  it('opens the reachability graph in a webview panel', async () => {
    const opened = new Promise<void>((resolve) => {
      const sub = vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.opened.some((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Netlens: Reachability Graph')) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('netlens.showGraph', { focus: 'storefront/cart' });
    await opened;
  });
});
