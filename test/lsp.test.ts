/**
 * The language server at the protocol level: the bundled server started over
 * stdio, a real LSP client, the examples/ workspace, real edits.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { diffFindings, parseMarkers } from './support/markers.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { REPO_ROOT } from './support/paths.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const file = (rel: string) => path.join(EXAMPLES, rel);
const uri = (rel: string) => uriOf(file(rel));
const read = (rel: string) => fs.readFileSync(file(rel), 'utf8');
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();
const has = (code: string) => (ds: Diagnostic[]) => ds.some((d) => d.code === code);
const lacks = (code: string) => (ds: Diagnostic[]) => !ds.some((d) => d.code === code);

function exampleFiles(dir = EXAMPLES): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? exampleFiles(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.relative(EXAMPLES, path.join(dir, e.name))] : []));
}

describe('language server on examples/', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start(EXAMPLES);
  });
  after(async () => {
    await client.stop();
  });

  test('indexes the workspace and publishes the planted findings with exact ranges and codes', async () => {
    for (const rel of exampleFiles()) {
      const text = read(rel);
      const expected = parseMarkers(text);
      if (expected.length === 0) continue;
      const diagnostics = await client.waitForDiagnostics(uri(rel), (ds) => ds.length >= expected.length);
      const actual = diagnostics.map((d) => ({ code: String(d.code), line: d.range.start.line, startColumn: d.range.start.character, endLine: d.range.end.line, endColumn: d.range.end.character }));
      assert.deepEqual(diffFindings(expected, actual), [], rel);
      for (const d of diagnostics) assert.equal(d.source, 'netlens');
    }
  });

  test('related locations point at the other object involved', async () => {
    const ds = await client.waitForDiagnostics(uri('payments/apps.yaml'), has('cluster-ip-duplicate'));
    const dup = ds.find((d) => d.code === 'cluster-ip-duplicate')!;
    assert.equal(dup.relatedInformation?.[0]?.location.uri, uri('kube-system/coredns.yaml'));
    const line = read('kube-system/coredns.yaml').split('\n')[dup.relatedInformation![0]!.location.range.start.line]!;
    assert.match(line, /clusterIP: 10\.96\.0\.10/);
  });

  test('a keystroke fixing a label typo clears the finding; a cross-file edit raises one', async () => {
    const policies = uri('storefront/policies.yaml');
    await client.open(policies, read('storefront/policies.yaml'));
    await client.waitForDiagnostics(policies, has('policy-selects-no-pods'));
    // Type the missing "c" of "chekout".
    const at = client.positionOf(policies, 'chekout', 3);
    await client.edit(policies, { start: at, end: at }, 'c');
    const fixed = await client.nextDiagnostics(policies);
    assert.ok(lacks('policy-selects-no-pods')(fixed), JSON.stringify(codes(fixed)));

    // Renaming the cart pods' label in another file leaves cart-from-web selecting nothing.
    const apps = uri('storefront/apps.yaml');
    await client.open(apps, read('storefront/apps.yaml'));
    await client.replace(apps, 'labels: {app: cart, tier: backend}', 'labels: {app: basket, tier: backend}');
    const after = await client.waitForDiagnostics(policies, has('policy-selects-no-pods'));
    const d = after.find((x) => x.code === 'policy-selects-no-pods')!;
    assert.match(client.texts.get(policies)!.split('\n')[d.range.start.line]!, /matchLabels: \{app: cart\}/);
    await client.replace(apps, 'labels: {app: basket, tier: backend}', 'labels: {app: cart, tier: backend}');
    await client.waitForDiagnostics(policies, (ds) => ds.filter((x) => x.code === 'policy-selects-no-pods').length === 0);
  });

  test('half-typed YAML reports a syntax error and keeps the rest of the file analysed', async () => {
    const policies = uri('payments/policies.yaml');
    const original = read('payments/policies.yaml');
    await client.open(policies, original);
    const baseline = await client.waitForDiagnostics(policies, has('end-port-invalid'));
    // Start typing a new rule at the top of the first document.
    await client.edit(policies, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x\n---\n');
    const during = await client.waitForDiagnostics(policies, has('yaml-syntax'));
    assert.deepEqual(codes(during.filter((d) => d.code !== 'yaml-syntax')), codes(baseline));
    assert.equal(during.find((d) => d.code === 'yaml-syntax')!.range.start.line <= 3, true);
  });

  test('hover on a podSelector lists the selected pods with links', async () => {
    const u = uri('payments/policies.yaml');
    await client.open(u, read('payments/policies.yaml'));
    const h = await client.hover(u, client.positionOf(u, 'matchLabels: {app: ledger-db}', 3, 'name: ledger-db'));
    const value = (h?.contents as { value: string }).value;
    assert.match(value, /selects 3 pods in payments/);
    assert.match(value, /\[payments\/ledger\\-db\]\(<file:\/\/.*payments\/apps\.yaml#L\d+>\) ×3 \(StatefulSet\)/);
  });

  test('hover on a policy name explains it in plain English', async () => {
    const u = uri('payments/policies.yaml');
    const h = await client.hover(u, client.positionOf(u, 'ledger-db', 2, 'kind: NetworkPolicy\nmetadata:\n  name: ledger-db'));
    const value = (h?.contents as { value: string }).value;
    // As the editor shows it: markdown escapes removed (how names are escaped is the hover's business).
    const shown = value.replace(/\\(.)/g, '$1');
    assert.ok(
      shown.includes(
        'Pods app=ledger-db in payments: this policy allows ingress of TCP port "postgres" from pods app in (payments-api, settlement) in payments. ' +
          'Policies add up: the pods it selects accept whatever any policy selecting them allows, and nothing that none allows; this policy never takes away what another allows.',
      ),
      shown,
    );
  });

  test('hover on a CIDR gives its facts and the cluster ranges it touches', async () => {
    const u = uri('payments/policies.yaml');
    const h = await client.hover(u, client.positionOf(u, '10.244.3.0/24', 4));
    const value = (h?.contents as { value: string }).value;
    assert.match(value, /IPv4 network/);
    assert.match(value, /first \| `10\.244\.3\.0`/);
    assert.match(value, /last \| `10\.244\.3\.255`/);
    assert.match(value, /addresses \| 256/);
    assert.match(value, /inside the pod CIDR `10\.244\.0\.0\/16`/);
  });

  test('hover on a Service gives DNS name, endpoints and who reaches it', async () => {
    const u = uri('payments/apps.yaml');
    await client.open(u, read('payments/apps.yaml'));
    const h = await client.hover(u, client.positionOf(u, 'name: ledger-db', 7, 'kind: Service'));
    const value = (h?.contents as { value: string }).value;
    assert.match(value, /DNS: `ledger-db\.payments\.svc\.cluster\.local`/);
    assert.match(value, /3 endpoints/);
    // payments-api (3 replicas) and settlement (1) may open connections to the database.
    assert.match(value, /Reachable from 4 pods/);
  });

  test('hover on a workload names the policies that select it', async () => {
    const u = uri('payments/apps.yaml');
    const h = await client.hover(u, client.positionOf(u, 'payments-api', 0));
    const value = (h?.contents as { value: string }).value;
    const policyLines = value.split('\n').filter((l) => /(Ingress|Egress) policies:/.test(l));
    // Ingress: default-deny-all and its own policy; egress also allow-dns, which selects every pod (markdown-escaped).
    assert.deepEqual(policyLines, [
      'Ingress policies: payments/default\\-deny\\-all, payments/payments\\-api',
      'Egress policies: payments/default\\-deny\\-all, payments/allow\\-dns, payments/payments\\-api',
    ]);
  });

  test('code lenses count reachable pods, selected pods and endpoints', async () => {
    const apps = uri('payments/apps.yaml');
    const lenses = (await client.codeLenses(apps)) ?? [];
    const titleAt = (find: string, after?: string) => {
      const line = client.positionOf(apps, find, 0, after).line;
      return lenses.filter((l) => l.range.start.line === line - 3 || l.range.start.line === line - 2).map((l) => l.command?.title);
    };
    // ledger-db: payments-api ×3 and settlement ×1 may connect; it reaches only its own kind (egress isolated, DNS allowed).
    // Workload lenses leave out the pod they stand on, which always reaches itself: "other pods".
    assert.deepEqual(titleAt('name: ledger-db', 'kind: Deployment'), ['reachable from 4 other pods · can reach 2 other pods', 'explain…']);
    assert.deepEqual(titleAt('name: ledger-db', 'kind: Service'), ['3 endpoints · reachable from 4 pods']);
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        'reachable from 2 other pods · can reach 5 other pods',
        'explain…',
        'reachable from 4 other pods · can reach 2 other pods',
        'explain…',
        'reachable from 0 other pods · can reach 2 other pods',
        'explain…',
        'reachable from 0 other pods · can reach 5 other pods',
        'explain…',
        '3 endpoints · reachable from 2 pods',
        '3 endpoints · reachable from 4 pods',
        '2 endpoints · reachable from 0 pods',
      ],
    );
    const pols = uri('payments/policies.yaml');
    const pl = (await client.codeLenses(pols)) ?? [];
    // One lens per policy, on its first line. The payments-api policy's egress reaches ledger-db's 3 pods only: its
    // rule to fraud-scorer has one port, an invalid one (endPort below port), so it admits nobody; fraud-scorer's
    // policy has an invalid podSelector and selects none.
    assert.deepEqual(
      pl.map((l) => `${l.range.start.line}: ${l.command?.title}`),
      [
        '0: selects 9 pods · denies all ingress · denies all egress',
        '9: selects 9 pods · allows egress to 2 pods',
        '25: selects 3 pods · allows ingress from 2 pods · allows egress to 3 pods · 203.0.113.7/24',
        '58: selects 3 pods · allows ingress from 4 pods',
        '79: selects 1 pod · allows egress to 3 pods · 10.244.3.0/24, 0.0.0.0/24',
        '110: selects 0 pods · allows ingress from 0 pods',
      ],
    );
    assert.ok(pl.every((l) => l.command?.command === 'netlens.showGraph'));
  });

  test('completion offers label keys, values, enums and named ports', async () => {
    const u = uri('storefront/policies.yaml');
    const text = client.texts.get(u)!;
    const probe = text + '\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: probe\n  namespace: storefront\nspec:\n  podSelector:\n    matchLabels:\n      ti\n';
    await client.applyEdit({ changes: { [u]: [{ range: { start: { line: 0, character: 0 }, end: client.positionOf(u, text.slice(-1), 1, text.slice(-40)) }, newText: probe }] } });
    const keys = await client.completion(u, client.positionOf(u, '      ti\n', 8, 'name: probe'));
    // Every pod label key of the workspace; the editor filters them by the typed prefix.
    assert.deepEqual(keys.map((k) => k.label), ['app', 'apps.kubernetes.io/pod-index', 'k8s-app', 'statefulset.kubernetes.io/pod-name', 'tier']);
    await client.replace(u, '      ti\n', '      tier: b\n', 'name: probe');
    const values = await client.completion(u, client.positionOf(u, 'tier: b', 7, 'name: probe'));
    assert.deepEqual(values.map((v) => v.label), ['backend', 'batch', 'data', 'frontend']);
    await client.replace(u, '      tier: b\n', '      tier: backend\n  ingress:\n    - ports:\n        - port: g\n          protocol: \n', 'name: probe');
    const ports = await client.completion(u, client.positionOf(u, 'port: g', 7, 'name: probe'));
    // Every container port name of the workspace, sorted.
    assert.deepEqual(ports.map((p) => p.label), ['dns', 'dns-tcp', 'grpc', 'http', 'https', 'metrics', 'postgres', 'redis', 'web']);
    const protos = await client.completion(u, client.positionOf(u, 'protocol: ', 10, 'name: probe'));
    assert.deepEqual(protos.map((p) => p.label).sort(), ['SCTP', 'TCP', 'UDP']);
    const ns = await client.completion(u, { line: client.positionOf(u, 'namespace: storefront', 0, 'name: probe').line, character: 13 });
    // Every namespace the workspace mentions.
    assert.deepEqual(ns.map((n) => n.label), ['kube-system', 'legacy-shop', 'monitoring', 'observability', 'payments', 'storefront']);
  });
});

describe('quick fixes, applied and re-checked', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start(EXAMPLES);
  });
  after(async () => {
    await client.stop();
  });

  async function fixOnce(rel: string, code: string, titlePattern: RegExp): Promise<string> {
    const u = uri(rel);
    if (!client.texts.has(u)) await client.open(u, read(rel));
    const ds = await client.waitForDiagnostics(u, has(code));
    const d = ds.find((x) => x.code === code)!;
    const actions = (await client.codeActions(u, d.range, [d])) ?? [];
    const action = actions.find((a) => titlePattern.test(a.title));
    assert.ok(action?.edit, `no fix matching ${titlePattern} among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(action.diagnostics?.[0]?.code, code);
    const before = ds.filter((x) => x.code === code).length;
    await client.applyEdit(action.edit);
    await client.waitForDiagnostics(u, (after) => after.filter((x) => x.code === code).length === before - 1);
    return client.texts.get(u)!;
  }

  test('canonicalise a CIDR', async () => {
    const text = await fixOnce('payments/policies.yaml', 'cidr-not-canonical', /Change to 203\.0\.113\.0\/24/);
    assert.match(text, /cidr: 203\.0\.113\.0\/24\n/);
  });

  test('remove an except outside its cidr', async () => {
    const text = await fixOnce('storefront/policies.yaml', 'except-outside-cidr', /Remove except 2001:db8::\/32/);
    assert.match(text, /except:\n {14}- 10\.0\.0\.0\/8\n(#.*\n)? {6}ports:/);
  });

  test('add the missing policyType', async () => {
    const text = await fixOnce('payments/policies.yaml', 'policy-types-missing-egress', /Add Egress to policyTypes/);
    assert.match(text, /policyTypes: \[Ingress, Egress\]/);
  });

  test('add a DNS egress rule', async () => {
    const text = await fixOnce('observability/policies.yaml', 'egress-blocks-dns', /Allow DNS egress/);
    assert.match(text, / {4}- to:\n {8}- namespaceSelector:\n {12}matchLabels:\n {14}kubernetes\.io\/metadata\.name: kube-system\n/);
    // The new rule parses and adds no new finding of its own.
    const ds = await client.waitForDiagnostics(uri('observability/policies.yaml'), lacks('egress-blocks-dns'));
    assert.ok(!ds.some((d) => d.code === 'yaml-syntax'));
  });

  test('create a default-deny policy for a namespace', async () => {
    // Every workload of observability is selected by a policy, so nothing there is open and no advice is given;
    // an unsaved workload that no policy selects opens the namespace, and the advice (and its fix) appears.
    const rel = 'namespaces.yaml';
    assert.ok(!(client.diagnostics.get(uri(rel)) ?? []).some((d) => d.code === 'namespace-without-default-deny'));
    const scratch = uri('observability/alertmanager.yaml');
    await client.open(scratch, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: alertmanager, namespace: observability}\nspec:\n  selector: {matchLabels: {app: alertmanager}}\n  template:\n    metadata: {labels: {app: alertmanager}}\n    spec: {containers: [{name: am, image: am}]}\n');
    try {
      const text = await fixOnce(rel, 'namespace-without-default-deny', /default-deny ingress policy for namespace observability/);
      assert.match(text, /---\napiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\nmetadata:\n {2}name: default-deny-ingress\n {2}namespace: observability\nspec:\n {2}podSelector: \{\}\n {2}policyTypes: \[Ingress\]/);
    } finally {
      await client.close(scratch);
    }
  });

  test('change a Service targetPort to the container port it most likely means', async () => {
    const text = await fixOnce('storefront/apps.yaml', 'service-target-port-undeclared', /Change targetPort to 8080/);
    assert.match(text, /\{name: http, port: 80, targetPort: 8080\}/);
  });

  test('fix a named port typo', async () => {
    // cart's containers declare metrics (9090); the rule asks for metric.
    const text = await fixOnce('storefront/policies.yaml', 'named-port-not-found', /^Change to "metrics"$/);
    assert.match(text, /team: observabilty\}\}\n#.*\n {6}ports:\n {8}- port: metrics\n/);
  });

  test('name unnamed Service ports', async () => {
    const text = await fixOnce('observability/apps.yaml', 'service-ports-unnamed', /Name this port "tcp-3000"/);
    assert.match(text, /- \{name: tcp-3000, port: 3000, targetPort: http, nodePort: 3000\}/);
  });
});

describe('language server edge cases', { timeout: 60_000 }, () => {
  test('stays silent on YAML that is not Kubernetes, and keeps serving after garbage', async () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'netlens-lsp-'));
    const client = await LspTestClient.start(dir);
    try {
      const workflow = uriOf(path.join(dir, '.github-ci.yaml'));
      await client.open(workflow, 'name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [{uses: actions/checkout@v4}]\n');
      const helm = uriOf(path.join(dir, 'templates-np.yaml'));
      await client.open(helm, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  podSelector: {{ toYaml .Values.sel }}\n');
      const real = uriOf(path.join(dir, 'real.yaml'));
      await client.open(real, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.1/8}}]}]\n');
      await client.waitForDiagnostics(real, has('cidr-not-canonical'));
      assert.equal(client.diagnostics.get(workflow), undefined);
      assert.equal(client.diagnostics.get(helm), undefined);
      const garbage = uriOf(path.join(dir, 'garbage.yaml'));
      await client.open(garbage, '\u0000\u0001: [[[{{{ &a *a *b !!binary ÿÿ\n\t- - -\n---\n' + 'a: &x [*x]\n');
      const h = await client.hover(real, { line: 5, character: 40 });
      assert.match((h?.contents as { value: string }).value, /10\.0\.0\.1\/8/);
      assert.equal(client.exitCode, null);
    } finally {
      await client.stop();
    }
  });
});
