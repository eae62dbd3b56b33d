/**
 * Helm charts in the language server, over real LSP stdio. helm is not
 * installable on the test machines, so the rendering is done by a STAND-IN
 * executable (test/fixtures/helm/stand-in-helm.js, a small node script that
 * prints what `helm template` prints for the fixture chart); what is tested
 * is the plumbing around it: the chart found, the binary and values files
 * passed, the rendered objects analysed in place of the templates, and the
 * findings at the same YAML path in the templates. Without helm, Chart.yaml gets one
 * information diagnostic.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { DidChangeConfigurationNotification, type Diagnostic } from 'vscode-languageserver-protocol';
import { maskTemplateActions } from '../server/src/sources/helm.js';
import { LspTestClient, uriOf, within } from './support/lspClient.js';
import { FIXTURES } from './support/paths.js';

const STAND_IN_HELM = path.join(FIXTURES, 'helm', 'stand-in-helm.js');
const CHART = path.join(FIXTURES, 'helm', 'chart');
const POLICY = uriOf(path.join(CHART, 'templates', 'policy.yaml'));
const DEPLOYMENT = uriOf(path.join(CHART, 'templates', 'deployment.yaml'));
const SCRAPE_POLICY = uriOf(path.join(CHART, 'templates', 'scrape-policy.yaml'));
const CHART_YAML = uriOf(path.join(CHART, 'Chart.yaml'));

function shown(ds: readonly Diagnostic[] | undefined): string[] {
  return (ds ?? []).map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
}

/** A server on the fixture chart for the tests of one describe block; its settings can change later. */
function serverWith(settings: Record<string, unknown>): { client: LspTestClient; settings: Record<string, unknown> } {
  const holder = { settings } as { client: LspTestClient; settings: Record<string, unknown> };
  before(async () => {
    holder.client = await LspTestClient.start(CHART, settings);
  });
  after(() => holder.client.stop());
  return holder;
}

describe('a Helm chart rendered by a stand-in helm', { timeout: 60_000 }, () => {
  const server = serverWith({ helmBinary: STAND_IN_HELM });

  test('the rendered objects are analysed, and findings land at the same YAML path in the template, or on its kind line', async () => {
    const { client } = server;
    // Rendered with values.yaml, the peer is app: web, which no pod of namespace shop has: on line 9, where the template writes that peer.
    const ds = await within(20_000, 'template diagnostics', client.waitForDiagnostics(POLICY, (d) => d.length > 0));
    assert.deepEqual(shown(ds), ['peer-selects-no-pods 9:10-9:67']);
    // scrape-policy.yaml's rule is one `{{ .Values.scrapeRule }}`: the template has no peer to point at, so its kind line (1) is named.
    const scrape = await within(20_000, 'scrape-policy diagnostics', client.waitForDiagnostics(SCRAPE_POLICY, (d) => d.length > 0));
    assert.deepEqual(shown(scrape), ['peer-selects-no-pods 1:0-1:19']);
    assert.match(String(ds.find((d) => d.code === 'peer-selects-no-pods')!.message), /no pod in namespace shop/);
    // Shop runs the Deployment (so needs no Namespace object here), and no namespace practises default-deny: nothing on it.
    assert.equal(client.diagnostics.get(DEPLOYMENT), undefined);
    assert.deepEqual(shown(client.diagnostics.get(CHART_YAML)), []);
  });

  test("the templates get the rendered objects' lenses, on the line naming the kind", async () => {
    const { client } = server;
    await within(20_000, 'template diagnostics', client.waitForDiagnostics(POLICY, (d) => d.length > 0));
    const lenses = async (uri: string) => ((await client.codeLenses(uri)) ?? []).map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`);
    assert.deepEqual(await lenses(POLICY), ['1: selects 1 pod · allows ingress from 0 pods']);
    assert.deepEqual(await lenses(DEPLOYMENT), ['1: reachable from 0 other pods · can reach 0 other pods', '1: explain…']);
  });

  test('a hover in a template reads the rendered object at the same YAML path, an action in the value included', async () => {
    const { client } = server;
    await within(20_000, 'template diagnostics', client.waitForDiagnostics(POLICY, (d) => d.length > 0));
    const text = fs.readFileSync(path.join(CHART, 'templates', 'policy.yaml'), 'utf8');
    const at = (find: string) => {
      const offset = text.indexOf(find) + 2;
      const before = text.slice(0, offset).split('\n');
      return { line: before.length - 1, character: before.at(-1)!.length };
    };
    const shownAt = async (find: string) => {
      const h = await client.hover(POLICY, at(find));
      return h === null ? '' : typeof h.contents === 'string' ? h.contents : 'value' in h.contents ? h.contents.value : JSON.stringify(h.contents);
    };
    // The policy's own podSelector: the Deployment rendered beside it, linked at its name's line in the template (line 4).
    assert.match(await shownAt('podSelector: {matchLabels: {app: api}}'), /`app=api` selects 1 pod in shop:\s+- \[shop\/shop\\-api\]\(<file:[^>]*\/templates\/deployment\.yaml#L4>\) \(Deployment\)/);
    // The peer whose value is `{{ .Values.webLabel }}`, rendered as app: web: no pod of shop has it.
    assert.match(await shownAt('podSelector: {matchLabels: {app: {{'), /pods app=web in shop — 0 pods/);
  });

  test('netlens.helmValueFiles is passed to helm: the values decide the peer', async () => {
    const { client, settings } = server;
    settings['helmValueFiles'] = ['prod-values.yaml'];
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { netlens: settings } });
    // prod-values.yaml makes the peer app: api, which the Deployment's pods have.
    const ds = await within(20_000, 'the values file applied', client.waitForDiagnostics(POLICY, (d) => !d.some((x) => x.code === 'peer-selects-no-pods')));
    assert.deepEqual(shown(ds), []);
  });
});

describe('a Helm chart as the user types', { timeout: 60_000 }, () => {
  // A values file the chart lacks is left out for that chart instead of failing helm: one list serves several charts.
  const server = serverWith({ helmBinary: STAND_IN_HELM, helmValueFiles: ['values-staging.yaml'] });

  test('an unsaved edit of values.yaml renders the chart again from the buffer, and a failed render keeps the last good one', async () => {
    const { client } = server;
    await within(20_000, 'template diagnostics', client.waitForDiagnostics(POLICY, (d) => d.some((x) => x.code === 'peer-selects-no-pods')));
    assert.deepEqual(shown(client.diagnostics.get(CHART_YAML)), []);
    const valuesUri = uriOf(path.join(CHART, 'values.yaml'));
    const values = fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8');
    await client.open(valuesUri, values);
    await client.replace(valuesUri, 'webLabel: web', 'webLabel: api');
    // Not saved: the peer is app: api now, which the Deployment's pods have.
    const ds = await within(20_000, 'the buffer rendered', client.waitForDiagnostics(POLICY, (d) => !d.some((x) => x.code === 'peer-selects-no-pods')));
    const policyLens = async () => ((await client.codeLenses(POLICY)) ?? []).map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`);
    assert.deepEqual(await policyLens(), ['1: selects 1 pod · allows ingress from 1 pod']);
    // The Deployment runs in shop, so no namespace-not-defined either.
    assert.deepEqual(shown(ds), []);
    assert.equal(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8'), values);
    // Chart.yaml half-typed: the stand-in cannot read the chart's name and fails; the last render stays analysed, and Chart.yaml says so.
    const chartText = fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8');
    await client.open(CHART_YAML, chartText);
    await client.replace(CHART_YAML, 'name:', 'nam:');
    const failed = await within(20_000, 'the failed render', client.waitForDiagnostics(CHART_YAML, (d) => d.length > 0));
    assert.deepEqual(failed.map((d) => d.code), ['helm-chart-not-rendered']);
    assert.match(String(failed[0]!.message), /^This chart could not be rendered, so the last render that worked is analysed: /);
    assert.deepEqual(shown(client.diagnostics.get(POLICY)), []);
    // The render kept is the buffer's (peer app: api): the template's lens still counts the api pod as a peer.
    assert.deepEqual(await policyLens(), ['1: selects 1 pod · allows ingress from 1 pod']);
  });
});

describe('a Helm chart without helm', { timeout: 60_000 }, () => {
  const missing = path.join(FIXTURES, 'helm', 'no-such-helm');
  const server = serverWith({ helmBinary: missing });

  test('Chart.yaml gets one information diagnostic saying the chart is not analysed and why', async () => {
    const { client } = server;
    const ds = await within(20_000, 'Chart.yaml diagnostics', client.waitForDiagnostics(CHART_YAML, (d) => d.length > 0));
    assert.deepEqual(
      ds.map((d) => ({ code: d.code, severity: d.severity, line: d.range.start.line, message: d.message })),
      [{ code: 'helm-chart-not-rendered', severity: 3, line: 0, message: `This chart's templates are not analysed: ${missing} is not installed or not on PATH (the netlens.helmBinary setting or the CLI's --helm names it).` }],
    );
    assert.deepEqual(shown(client.diagnostics.get(POLICY)), []);
  });
});

test('a template with its actions blanked out keeps every offset and parses as the YAML around them', () => {
  const template = [
    'metadata:',
    '  name: {{ include "app.fullname" . }}',
    '  labels:',
    '    {{- include "app.labels" . | nindent 4 }}',
    'spec:',
    '  {{- if .Values.ingress }}',
    '  ingress:',
    '    - from: [{podSelector: {matchLabels: {app: {{ .Values.peer | quote }}}}}]',
    '  {{- end }}',
    '  note: {{ .Values.a',
    '    | default "multi-line" }} tail',
  ].join('\n');
  const masked = maskTemplateActions(template);
  assert.equal(masked.length, template.length);
  assert.deepEqual(masked.split('\n').map((l) => l.length), template.split('\n').map((l) => l.length));
  const doc = parseDocument(masked);
  assert.deepEqual(doc.errors, []);
  const x = (action: string) => action.replace(/\S/g, 'x');
  assert.deepEqual(doc.toJS(), {
    metadata: { name: x('{{ include "app.fullname" . }}'), labels: null },
    spec: {
      ingress: [{ from: [{ podSelector: { matchLabels: { app: x('{{ .Values.peer | quote }}') } } }] }],
      // A plain scalar over two lines folds into one.
      note: `${x('{{ .Values.a')} ${x('| default "multi-line" }}')} tail`,
    },
  });
});
