/**
 * Suppression the way linters do it: comments in YAML, .netlens.yaml path rules
 * for JSON, quick fixes that write the comments, unused ones reported as hints.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { analyzeTexts, type Finding } from '../server/src/engine/index.js';
import { readProjectConfig } from '../server/src/engine/projectConfig.js';
import { applySuppressions, readSuppressionComments } from '../server/src/engine/suppressions.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { CLI } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - {}
    - from: [{podSelector: {matchLabels: {app: web}}}]
  egress:
    - {}
    - to: [{podSelector: {matchLabels: {app: db}}}]
`;

function checked(text: string): Finding[] {
  const analysis = analyzeTexts([{ file: 'p.yaml', text }]);
  return applySuppressions(analysis.findings, ['p.yaml'], { commentsOf: (f) => readSuppressionComments(f, text) });
}

const summary = (fs_: readonly Finding[], text: string) => fs_.map((f) => `${f.code} ${JSON.stringify(text.slice(f.span.start, f.span.end))}`).sort();

describe('suppression comments', () => {
  test('without comments: both empty rules are reported', () => {
    assert.deepEqual(summary(checked(POLICY), POLICY), ['namespace-not-defined "shop"', 'rule-allows-all "{}"', 'rule-allows-all "{}"']);
  });

  test('disable-next-line silences its line only, and takes several codes', () => {
    const text = POLICY.replace('  ingress:\n', '  ingress:\n    # netlens-disable-next-line rule-allows-all, egress-blocks-dns\n');
    const left = checked(text);
    assert.deepEqual(summary(left, text), ['namespace-not-defined "shop"', 'rule-allows-all "{}"', 'suppression-unused "egress-blocks-dns"']);
    assert.equal(left.find((f) => f.code === 'rule-allows-all')!.span.start, text.lastIndexOf('{}'));
    assert.equal(left.find((f) => f.code === 'suppression-unused')!.message, 'Nothing reports egress-blocks-dns on the next line, so this suppression does nothing: remove it.');
  });

  test('disable silences the code from the comment to the end of the file', () => {
    const text = `# netlens-disable rule-allows-all\n${POLICY}`;
    assert.deepEqual(summary(checked(text), text), ['namespace-not-defined "shop"']);
    const late = POLICY.replace('  egress:\n', '  # netlens-disable rule-allows-all\n  egress:\n');
    assert.deepEqual(summary(checked(late), late), ['namespace-not-defined "shop"', 'rule-allows-all "{}"']);
  });

  test('an unknown code is an unused suppression that says so; a # inside a value is no comment', () => {
    const text = `# netlens-disable rule-allow-all\n${POLICY.replace('name: open', 'name: "a#netlens-disable rule-allows-all"')}`;
    const unused = checked(text).filter((f) => f.code === 'suppression-unused');
    assert.deepEqual(
      unused.map((f) => f.message),
      ['Netlens has no rule rule-allow-all, so this suppression does nothing: fix the code (netlens explain-code lists them) or remove it.'],
    );
    assert.equal(checked(text).filter((f) => f.code === 'rule-allows-all').length, 2);
  });

  test('.netlens.yaml: suppress entries are read, bad ones are named, unknown keys left alone', () => {
    const read = (text: string) => readProjectConfig('.netlens.yaml', text);
    const good = read('suppress:\n  - paths: "cni/*.conflist"\n    codes: [cni-plugins-empty]\ncomponents: []\n');
    assert.deepEqual(good.suppress, [{ paths: ['cni/*.conflist'], codes: ['cni-plugins-empty'] }]);
    assert.deepEqual(good.findings, []);
    assert.deepEqual(read('suppress:\n  - codes: [x]\n').findings.map((f) => [f.code, f.message]), [['project-config-invalid', 'A suppress entry needs paths and codes, each a string or a list of strings. Fix the entry in .netlens.yaml; until then it is ignored.']]);
    assert.deepEqual(read('suppress: [\n').suppress, []);
    assert.equal(read('suppress: [\n').findings.length, 1);
    assert.deepEqual(read(''), { externalComponents: [], suppress: [], overrides: [], findings: [] });
  });
});

const EMPTY_CONFLIST = '{"cniVersion": "1.0.0", "name": "net", "plugins": []}\n';

const workspace = (files: Record<string, string>) => scratchWorkspace('suppress', files);

test('check: .netlens.yaml in the working directory silences a code under its paths only', () => {
  const dir = workspace({
    '.netlens.yaml': 'suppress:\n  - paths: ["legacy/**"]\n    codes: [cni-plugins-empty]\n',
    'legacy/old.conflist': EMPTY_CONFLIST,
    'cni/new.conflist': EMPTY_CONFLIST,
  });
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
  const findings = (JSON.parse(r.stdout) as { findings: Array<{ file: string; code: string }> }).findings;
  assert.deepEqual(
    findings.map((f) => `${f.file} ${f.code}`),
    ['cni/new.conflist cni-plugins-empty'],
  );
});

describe('over LSP: quick fixes write suppressions, .netlens.yaml applies', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  let dir: string;
  before(async () => {
    dir = workspace({ '.netlens.yaml': 'suppress:\n  - paths: legacy.conflist\n    codes: cni-plugins-empty\n', 'legacy.conflist': EMPTY_CONFLIST, 'cni.conflist': EMPTY_CONFLIST });
    client = await LspTestClient.start(dir);
  });
  after(async () => {
    await client.stop();
  });
  const count = (code: string) => (ds: Diagnostic[]) => ds.filter((d) => d.code === code).length;

  test('.netlens.yaml silences the listed file and no other', async () => {
    const ds = await client.waitForDiagnostics(uriOf(path.join(dir, 'cni.conflist')), (d) => d.length > 0);
    assert.deepEqual(ds.map((d) => d.code), ['cni-plugins-empty']);
    assert.equal(client.diagnostics.get(uriOf(path.join(dir, 'legacy.conflist'))), undefined);
    const actions = (await client.codeActions(uriOf(path.join(dir, 'cni.conflist')), ds[0]!.range, ds)) ?? [];
    assert.deepEqual(actions.filter((a) => a.title.startsWith('Disable')), [], 'JSON takes no comments');
  });

  test('"Disable for this line" then "for this file": the findings go, the line comment left behind is a hint', async () => {
    const u = uriOf(path.join(dir, 'open.yaml'));
    await client.open(u, POLICY);
    let ds = await client.waitForDiagnostics(u, (d) => count('rule-allows-all')(d) === 2);
    const first = ds.find((d) => d.code === 'rule-allows-all')!;
    assert.match(String(first.message), /^This empty rule allows ingress from every source on every port, so the other ingress rule of this policy adds nothing\. List the peers and ports/);
    let actions = (await client.codeActions(u, first.range, [first])) ?? [];
    assert.deepEqual(
      actions.map((a) => a.title).filter((t) => t.startsWith('Disable')),
      ['Disable rule-allows-all for this line', 'Disable rule-allows-all for this file'],
    );
    await client.applyEdit(actions.find((a) => a.title.endsWith('this line'))!.edit!);
    assert.match(client.texts.get(u)!, /  ingress:\n    # netlens-disable-next-line rule-allows-all\n    - \{\}\n/);
    ds = await client.waitForDiagnostics(u, (d) => count('rule-allows-all')(d) === 1);
    const second = ds.find((d) => d.code === 'rule-allows-all')!;
    actions = (await client.codeActions(u, second.range, [second])) ?? [];
    await client.applyEdit(actions.find((a) => a.title.endsWith('this file'))!.edit!);
    assert.match(client.texts.get(u)!, /^# netlens-disable rule-allows-all\napiVersion/);
    ds = await client.waitForDiagnostics(u, (d) => count('rule-allows-all')(d) === 0);
    const hint = ds.find((d) => d.code === 'suppression-unused');
    assert.equal(hint?.severity, 4, 'a hint');
    assert.equal(hint?.range.start.line, 8, 'on the next-line comment under ingress:');
  });
});

test('explain-code says what a code means, what to do, an example of the mistake and the fix, and how to silence it; an unknown code is bad usage', () => {
  const r = spawnSync(process.execPath, [CLI, 'explain-code', 'rule-allows-all'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(
    r.stdout,
    [
      'rule-allows-all (default severity: information)',
      '',
      'An empty rule ({}) beside other rules of its direction allows all traffic there, so those rules add nothing; a lone {} is taken as a deliberate allow-all.',
      '',
      'What to do: List the peers and ports this rule is for; if every peer is meant, the other rules can go (a lone {} says so).',
      '',
      'Example of the mistake:',
      '    ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}, {}]   # meant: only the frontend',
      'and of the fix:',
      '    ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]',
      '',
      'Where it is intended, silence it on the line below a comment:  # netlens-disable-next-line rule-allows-all',
      'or for the rest of a file:  # netlens-disable rule-allows-all',
      'JSON files: list them under suppress in .netlens.yaml. Severity everywhere: the netlens.severity setting.',
      '',
    ].join('\n'),
  );
  const bad = spawnSync(process.execPath, [CLI, 'explain-code', 'rule-allow-all'], { encoding: 'utf8' });
  assert.deepEqual([bad.status, bad.stderr], [2, 'netlens: no rule rule-allow-all; netlens explain-code lists them\n']);
});

const OVERRIDES = `overrides:
  - paths: ["examples/**"]
    severity: {rule-allows-all: hint, namespace-not-defined: off}
  - paths: ["examples/strict/**"]
    severity: {rule-allows-all: error}
  - paths: "x/**"
    severity: {rule-allow-all: off, namespace-not-defined: loud}
`;

test('check: .netlens.yaml overrides set severities per path, the later entry winning; bad entries are named', () => {
  const dir = workspace({ '.netlens.yaml': OVERRIDES, 'examples/open.yaml': POLICY, 'examples/strict/open.yaml': POLICY, 'prod/open.yaml': POLICY });
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
  const findings = (JSON.parse(r.stdout) as { findings: Array<{ file: string; code: string; severity: string; message: string }> }).findings;
  const of = (file: string) => findings.filter((f) => f.file === file && f.code !== 'pods-not-in-workspace').map((f) => `${f.code} ${f.severity}`);
  assert.deepEqual(of('examples/open.yaml'), ['rule-allows-all hint', 'rule-allows-all hint']);
  assert.deepEqual(of('examples/strict/open.yaml'), ['rule-allows-all error', 'rule-allows-all error']);
  assert.deepEqual(of('prod/open.yaml'), ['namespace-not-defined information', 'rule-allows-all information', 'rule-allows-all information']);
  assert.deepEqual(
    findings.filter((f) => f.code === 'project-config-invalid').map((f) => f.message),
    [
      'Netlens has no rule rule-allow-all; netlens explain-code lists them. Fix the entry in .netlens.yaml; until then it is ignored.',
      'The severity of namespace-not-defined must be error, warning, information, hint or off. Fix the entry in .netlens.yaml; until then it is ignored.',
    ],
  );
});

test('over LSP: a path override beats the netlens.severity setting, which still applies elsewhere', { timeout: 60_000 }, async () => {
  const dir = workspace({ '.netlens.yaml': OVERRIDES, 'examples/open.yaml': POLICY, 'prod/open.yaml': POLICY });
  const client = await LspTestClient.start(dir, { severity: { 'rule-allows-all': 'warning', 'namespace-not-defined': 'error' } });
  try {
    const severities = (ds: Diagnostic[]) => ds.filter((d) => d.code !== 'pods-not-in-workspace').map((d) => `${d.code} ${d.severity}`);
    const examples = await client.waitForDiagnostics(uriOf(path.join(dir, 'examples/open.yaml')), (d) => d.length > 0);
    assert.deepEqual(severities(examples), ['rule-allows-all 4', 'rule-allows-all 4']);
    const prod = await client.waitForDiagnostics(uriOf(path.join(dir, 'prod/open.yaml')), (d) => d.length > 0);
    assert.deepEqual(severities(prod).sort(), ['namespace-not-defined 1', 'rule-allows-all 2', 'rule-allows-all 2']);
  } finally {
    await client.stop();
  }
});
