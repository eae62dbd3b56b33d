/**
 * "Did you mean" quick fixes through the real server: for each typo in the
 * fixture, the fixes offered on its diagnostic (ranked, at most three), then
 * the preferred one applied and re-checked: the diagnostic goes away.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { FIXTURES } from './support/paths.js';

/** The quick fixes this feature offers (other helpers add suppressions to the same list). */
const OURS = /^(Change|Write)/;

interface Case {
  readonly code: string;
  readonly at: string;
  readonly after?: string;
  readonly titles: string[];
  readonly fixed: string;
}

/** Opens `file` of the fixture folder `dir` in the real server, waits for `ready`, then checks each case. */
function quickFixSuite(name: string, dir: string, file: string, ready: string, cases: readonly Case[]): void {
  const URI = uriOf(path.join(dir, file));
  describe(name, { timeout: 60_000 }, () => {
    let client: LspTestClient;
    before(async () => {
      client = await LspTestClient.start(dir);
      await client.open(URI, fs.readFileSync(path.join(dir, file), 'utf8'));
      await client.waitForDiagnostics(URI, (ds) => ds.some((d) => d.code === ready));
    });
    after(() => client.stop());
    for (const c of cases) {
      test(`${c.code} at ${JSON.stringify(c.at)}: ${c.titles[0]}`, async () => {
        const line = client.positionOf(URI, c.at, 0, c.after ?? '').line;
        // The selector findings sit on the selector or peer, a line or two above the typo.
        const near = (d: Diagnostic) => d.code === c.code && d.range.start.line <= line && line - d.range.start.line <= 3;
        const ds = client.diagnostics.get(URI)!;
        const diagnostic = ds.filter(near).sort((a, b) => b.range.start.line - a.range.start.line)[0];
        assert.ok(diagnostic, `no ${c.code} near line ${line + 1}: ${JSON.stringify(ds.map((d) => [d.code, d.range.start.line]))}`);
        const actions = ((await client.codeActions(URI, diagnostic.range, [diagnostic])) ?? []).filter((a): a is CodeAction => 'title' in a && OURS.test(a.title));
        assert.deepEqual(
          actions.map((a) => a.title),
          c.titles,
        );
        assert.equal(actions[0]!.isPreferred, true);
        assert.ok(actions.slice(1).every((a) => a.isPreferred !== true));
        const count = ds.filter((d) => d.code === c.code).length;
        await client.applyEdit(actions[0]!.edit!);
        const afterFix = await client.waitForDiagnostics(URI, (now) => now.filter((d) => d.code === c.code).length === count - 1);
        assert.equal(afterFix.filter(near).length, 0, 'the fixed typo is no longer reported');
        assert.ok(client.texts.get(URI)!.includes(c.fixed), client.texts.get(URI));
      });
    }
  });
}

quickFixSuite('did-you-mean quick fixes', path.join(FIXTURES, 'didyoumean'), 'typos.yaml', 'service-selects-no-pods', [
  { code: 'policy-selects-no-pods', at: 'app: chekout', titles: ['Change podSelector app: "chekout" to "checkout"'], fixed: 'app: checkout' },
  { code: 'peer-selects-no-pods', at: 'team: observabilty', titles: ['Change namespaceSelector team: "observabilty" to "observability"'], fixed: 'team: observability' },
  { code: 'port-invalid', at: '"8080"', titles: ['Write 8080 unquoted'], fixed: '- port: 8080\n' },
  { code: 'port-protocol-invalid', at: 'tcp', after: 'checkout-in', titles: ['Change to TCP'], fixed: 'protocol: TCP' },
  { code: 'policy-selects-no-pods', at: 'nme: carts', titles: ['Change podSelector key "nme" to "name"'], fixed: 'name: carts\n  ingress' },
  { code: 'peer-selects-no-pods', at: 'name: cart\n', titles: ['Change podSelector name: "cart" to "carts"'], fixed: 'name: carts\n        - namespaceSelector' },
  {
    code: 'peer-selects-no-pods',
    at: 'kubernetes.io/metadata.name: monitorng',
    titles: ['Change namespaceSelector kubernetes.io/metadata.name: "monitorng" to "monitoring"'],
    fixed: 'kubernetes.io/metadata.name: monitoring',
  },
  { code: 'service-selects-no-pods', at: '{app: Checkout}', titles: ['Change selector app: "Checkout" to "checkout"'], fixed: 'selector: {app: checkout}' },
  {
    code: 'peer-selects-no-pods',
    at: 'app: frontend_v1',
    titles: ['Change podSelector app: "frontend_v1" to "frontend-v1"', 'Change podSelector app: "frontend_v1" to "frontend-v10"', 'Change podSelector app: "frontend_v1" to "frontend-v2"'],
    fixed: 'app: frontend-v1',
  },
]);

// Calico selectors are strings: the fix changes the key or value inside the string, and is re-checked as Calico would match it.
quickFixSuite('did-you-mean quick fixes in Calico selectors', path.join(FIXTURES, 'calico', 'typos'), 'typos.yaml', 'policy-selects-no-pods', [
  { code: 'policy-selects-no-pods', at: "'databse'", titles: ['Change selector role: "databse" to "database"'], fixed: "selector: role == 'database'\n  ingress:\n    - action: Allow\n---" },
  { code: 'peer-selects-no-pods', at: "rol ==", titles: ['Change selector key "rol" to "role"'], fixed: "selector: role == 'frontend'" },
  // The namespace selector reads the namespace's labels (pcns. on the endpoint); the key stays as written.
  { code: 'peer-selects-no-pods', at: "'prd'", titles: ['Change selector env: "prd" to "prod"'], fixed: `namespaceSelector: "env == 'prod'"` },
  { code: 'peer-selects-no-pods', at: "'frontnd'", titles: ['Change selector role: "frontnd" to "frontend"'], fixed: "selector: role in {'frontend', 'reports'} && has(role)" },
]);
