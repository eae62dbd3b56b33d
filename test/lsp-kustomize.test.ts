/**
 * Kustomize roots in the language server, over real LSP stdio: the overlay
 * of test/fixtures/kustomize is rendered with kubectl, and the findings on
 * the rendered objects land in the base file at the policy's own text;
 * unsaved edits of the overlay render again; a render that fails keeps the
 * last good one; without the binary the overlay's namespace is applied and
 * the output channel says so once.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { GRAPH, SUMMARY, type GraphData, type SummaryResult } from '../server/src/requests.js';
import { LspTestClient, uriOf, within } from './support/lspClient.js';
import { FIXTURES } from './support/paths.js';

const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => fs.existsSync(p));
const DIR = path.join(FIXTURES, 'kustomize');
const POLICY = uriOf(path.join(DIR, 'base', 'policy.yaml'));
const DEPLOY = uriOf(path.join(DIR, 'base', 'deploy.yaml'));
const OVERLAY = uriOf(path.join(DIR, 'overlay', 'kustomization.yaml'));
const NAMESPACE = uriOf(path.join(DIR, 'overlay', 'namespace.yaml'));

/** code, range and the namespace the message names: what the test pins down. */
function shown(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${/namespace (\S+)/i.exec(String(d.message))?.[1] ?? ''}`);
}

/** The peer `podSelector` under `from:` in base/policy.yaml (0-based lines 10-11, to the end of its node): the same range the raw file gives. */
const PEER_RANGE = '10:10-12:0';

/** A server on a fixture (test/fixtures/kustomize unless told) for the tests of one describe block. */
function serverWith(kustomizeBinary: string, dir = DIR): { client: LspTestClient } {
  const holder = {} as { client: LspTestClient };
  before(async () => {
    holder.client = await LspTestClient.start(dir, { kustomizeBinary });
  });
  after(() => holder.client.stop());
  return holder;
}

describe('kustomize roots over LSP', { timeout: 60_000, skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  const server = serverWith(KUBECTL ?? 'kubectl');

  test('the rendered overlay decides, and its findings land in the base file', async () => {
    const { client } = server;
    const ds = await within(20_000, 'base policy diagnostics', client.waitForDiagnostics(POLICY, (d) => d.length > 0));
    // Rendered: the policy is prod-api in namespace shop, and its peer (app: web, tier: api) matches no pod there.
    assert.deepEqual(shown(ds), [`peer-selects-no-pods ${PEER_RANGE} shop`]);
    // The Deployment is rendered into shop, which the overlay declares: the default-deny hint (platform.yaml practises
    // default-deny) is on that Namespace, not on the raw base in default.
    assert.deepEqual(shown(await client.waitForDiagnostics(NAMESPACE, (d) => d.length > 0)), ['namespace-without-default-deny 3:8-3:12 shop']);
    assert.equal(client.diagnostics.get(DEPLOY), undefined);
    assert.equal((await client.connection.sendRequest<SummaryResult>(SUMMARY)).warning, undefined);
  });

  test('lenses and hovers on the base file read the rendered objects, and link to the files the user edits', async () => {
    const { client } = server;
    await within(20_000, 'base policy diagnostics', client.waitForDiagnostics(POLICY, (d) => d.length > 0));
    const lenses = async (uri: string) => ((await client.codeLenses(uri)) ?? []).map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`);
    // The rendered policy (prod-api in shop) selects the rendered Deployment's pod; its peer app: web, tier: api matches none.
    // The api pod can reach the overlay's worker, which no policy isolates.
    assert.deepEqual(await lenses(POLICY), ['1: selects 1 pod · allows ingress from 0 pods']);
    assert.deepEqual(await lenses(DEPLOY), ['0: reachable from 0 other pods · can reach 1 other pod', '0: explain…']);
    // Hovering the raw `app: api` of the base's podSelector: the rendered selector (with the overlay's tier label), in the overlay's namespace.
    const hovered = await client.hover(POLICY, { line: 7, character: 20 });
    const value = (hovered?.contents as { value: string }).value;
    assert.match(value, /selects 1 pod in shop/);
    assert.match(value, /tier/);
    // The pod links to its Deployment's line in base/deploy.yaml, not to the rendered text.
    assert.ok(value.includes(`(<${DEPLOY}#L3>)`), value);
    assert.ok(!value.includes('#rendered'), value);
    assert.equal(hovered?.range?.start.line, 7);
  });

  test('an unsaved edit of the overlay renders again from the buffer', async () => {
    const { client } = server;
    const text = fs.readFileSync(path.join(DIR, 'overlay', 'kustomization.yaml'), 'utf8');
    await client.open(OVERLAY, text);
    await client.replace(OVERLAY, 'namespace: shop', 'namespace: store');
    const ds = await within(20_000, 'diagnostics from the edited overlay', client.waitForDiagnostics(POLICY, (d) => shown(d).some((s) => s.endsWith(' store'))));
    assert.deepEqual(shown(ds), [`peer-selects-no-pods ${PEER_RANGE} store`]);
    // kustomize's namespace field renames the overlay's Namespace object too.
    assert.deepEqual(shown(await within(20_000, 'the namespace renamed', client.waitForDiagnostics(NAMESPACE, (d) => shown(d).some((s) => s.endsWith(' store'))))), [
      'namespace-without-default-deny 3:8-3:12 store',
    ]);
  });

  test('an overlay kubectl cannot build keeps the last good render, and says so on the overlay', async () => {
    const { client } = server;
    await client.replace(OVERLAY, '  - namespace.yaml', '  - missing.yaml');
    const ds = await within(20_000, 'the render failure', client.waitForDiagnostics(OVERLAY, (d) => d.some((x) => x.code === 'kustomize-not-rendered')));
    assert.deepEqual(
      ds.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['kustomize-not-rendered', 0, 0]],
    );
    assert.match(String(ds[0]!.message), /could not render this kustomization, so the last render that worked is analysed\. \S+ said: .*missing\.yaml/);
    assert.deepEqual(shown(client.diagnostics.get(POLICY) ?? []), [`peer-selects-no-pods ${PEER_RANGE} store`]);
    await client.replace(OVERLAY, '  - missing.yaml', '  - namespace.yaml');
    await within(20_000, 'the failure cleared', client.waitForDiagnostics(OVERLAY, (d) => d.length === 0));
  });
});

describe('kustomize roots over LSP without the binary', { timeout: 60_000 }, () => {
  const missing = path.join(DIR, 'no-such-kubectl');
  const server = serverWith(missing);

  test("the overlay's namespace is applied natively and the output channel says once what is not rendered", async () => {
    const { client } = server;
    const ds = await within(20_000, 'base policy diagnostics', client.waitForDiagnostics(POLICY, (d) => d.length > 0));
    // Unrendered, the peer is app: web alone, in the overlay's namespace.
    assert.deepEqual(shown(ds), [`peer-selects-no-pods ${PEER_RANGE} shop`]);
    const text = fs.readFileSync(path.join(DIR, 'overlay', 'kustomization.yaml'), 'utf8');
    await client.open(OVERLAY, text);
    await client.replace(OVERLAY, 'namespace: shop', 'namespace: store');
    await within(20_000, 'the edited namespace applied', client.waitForDiagnostics(POLICY, (d) => shown(d).some((s) => s.endsWith(' store'))));
    const said = client.logs.filter((l) => l.includes('not rendered'));
    assert.deepEqual(said, [`netlens: ${missing} not found: kustomizations are not rendered; only their namespace is applied (netlens.kustomizeBinary names the binary)`]);
    // The status bar item shows the summary's warning.
    const summary = await client.connection.sendRequest<SummaryResult>(SUMMARY);
    assert.equal(summary.warning, `${missing} not found: kustomizations are not rendered; only their namespace is applied (netlens.kustomizeBinary names the binary).`);
  });
});

describe('one base rendered by two overlays', { timeout: 60_000, skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  const dir = path.join(FIXTURES, 'kustomize-overlays');
  const holder = {} as { client: LspTestClient };
  before(async () => {
    holder.client = await LspTestClient.start(dir, { kustomizeBinary: KUBECTL ?? 'kubectl' });
  });
  after(() => holder.client.stop());

  test("the base gets each overlay's lenses, named by the overlay's folder", async () => {
    const { client } = holder;
    const deploy = uriOf(path.join(dir, 'base', 'deploy.yaml'));
    const policy = uriOf(path.join(dir, 'base', 'policy.yaml'));
    const lenses = async (uri: string) => ((await client.codeLenses(uri)) ?? []).map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`).sort();
    // Lenses come once the renders are in: wait for them rather than for diagnostics (the fixture has none to give).
    await within(20_000, 'the rendered lenses', (async () => {
      while ((await lenses(deploy)).length < 4) await new Promise((resolve) => setTimeout(resolve, 100));
    })());
    // prod runs 5 replicas (its replicas field), staging the base's 2; each namespace's policy admits only its own pods.
    assert.deepEqual(await lenses(deploy), [
      '1: kustomize-overlays/prod: explain…',
      '1: kustomize-overlays/prod: reachable from 4 other pods · can reach 4 other pods',
      '1: kustomize-overlays/staging: explain…',
      '1: kustomize-overlays/staging: reachable from 1 other pod · can reach 1 other pod',
    ]);
    assert.deepEqual(await lenses(policy), [
      '0: kustomize-overlays/prod: selects 5 pods · allows ingress from 5 pods',
      '0: kustomize-overlays/staging: selects 2 pods · allows ingress from 2 pods',
    ]);
    // The graph's workload nodes link to the base file the user edits, not to the rendered text.
    const graph = await client.connection.sendRequest<GraphData>(GRAPH);
    const workloads = graph.nodes.filter((n) => n.kind === 'workload').map((n) => `${n.ref} ${n.source?.uri === deploy ? 'base/deploy.yaml' : n.source?.uri}:${n.source?.line}`);
    assert.deepEqual(workloads.sort(), ['prod/api base/deploy.yaml:3', 'staging/api base/deploy.yaml:3']);
  });
});

describe('kustomize patches over LSP', { timeout: 60_000, skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  const dir = path.join(FIXTURES, 'kustomize-patches');
  const holder = serverWith(KUBECTL ?? 'kubectl', dir);

  test('a patch of a Component no root here uses is no workload: the graph holds only the rendered shop/web', async () => {
    const { client } = holder;
    const workloads = async () => (await client.connection.sendRequest<GraphData>(GRAPH)).nodes.filter((n) => n.kind === 'workload').map((n) => n.ref).sort();
    // Before the render is in, the raw files are analysed; once it is, the patch (Deployment portal/portal) must not be among them.
    await within(20_000, 'the rendered workloads', (async () => {
      while ((await workloads()).join() !== 'shop/web') await new Promise((resolve) => setTimeout(resolve, 100));
    })());
    assert.equal((await client.connection.sendRequest<SummaryResult>(SUMMARY)).workloads, 1);
    assert.equal(client.diagnostics.get(uriOf(path.join(dir, 'portal-logout', 'patches', 'deployment.logout-url.yaml')))?.length ?? 0, 0);
  });
});
