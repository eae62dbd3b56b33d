/**
 * What Netlens says about a vendor install written the way published ones are
 * (test/fixtures/other-installs): egress left open on purpose with a lone {},
 * ingress from another install's gateway, a Service for that install's pods,
 * no default-deny anywhere, a gRPC port listening without a containerPort.
 * On real repositories (kube-prometheus, argo-cd, rook, kubeflow) each of
 * these was a finding nobody would act on; now the CLI says only the numeric
 * targetPort, as information, and the hovers say where the pods are.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI, FIXTURES } from './support/paths.js';
import { LspTestClient, uriOf, within } from './support/lspClient.js';

const DIR = path.join(FIXTURES, 'other-installs');
const INSTALL = uriOf(path.join(DIR, 'install.yaml'));

test('check: only the undeclared numeric targetPort is said, as information', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', DIR], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  const findings = (JSON.parse(r.stdout) as { findings: Array<{ line: number; column: number; code: string; severity: string; message: string }> }).findings;
  assert.deepEqual(
    findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.code}`),
    ['40:44 information service-target-port-undeclared'],
  );
  assert.match(findings[0]!.message, /^targetPort 9090\/TCP is not declared by any container of the selected pods \(they declare 8080\/TCP\); containerPort is informational/);
});

describe('hovers say the pods are not in the workspace', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start(DIR);
    await within(30_000, 'diagnostics', client.waitForDiagnostics(INSTALL, (d) => d.length > 0));
    await client.open(INSTALL, fs.readFileSync(path.join(DIR, 'install.yaml'), 'utf8'));
  });
  after(() => client.stop());

  const hoverText = async (find: string, delta: number) => {
    const h = await client.hover(INSTALL, client.positionOf(INSTALL, find, delta));
    return (h?.contents as { value: string } | undefined)?.value ?? '';
  };

  test("on the peer into istio-system, whose workloads the workspace does not declare", async () => {
    const text = await hoverText('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: istio-system}}', 2);
    assert.match(text, /^\*\*Peer:\*\* .* — 0 pods:/);
    // Markdown: names are escaped (istio\-system).
    assert.match(text, /\n\nPods not in the workspace: it declares no workloads in namespace istio\\-system, so these pods are deployed from elsewhere/);
  });

  test("on the Service for another install's pods", async () => {
    const text = await hoverText('name: gateway', 7);
    assert.match(text, /^\*\*Service istio\\-system\/gateway\*\*/);
    assert.match(text, /\n\nPods not in the workspace: it declares no workloads in namespace istio\\-system/);
  });

  test('not on a peer whose namespace runs workloads', async () => {
    const text = await hoverText('podSelector: {matchLabels: {app: api}}', 2);
    assert.doesNotMatch(text, /not in the workspace/);
  });
});
