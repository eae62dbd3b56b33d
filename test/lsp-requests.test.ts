/**
 * The custom requests the client's commands send (explain, reachers, list
 * workloads), answered by the real server over stdio.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXPLAIN, LIST_WORKLOADS, REACHERS, type ExplainParams, type ExplainResult, type ReachersResult, type WorkloadInfo } from '../server/src/requests.js';
import { DEFAULT_DENY_WITH_REPLICAS } from './support/fixtures.js';
import { LspTestClient, uriOf } from './support/lspClient.js';

const MANIFESTS = DEFAULT_DENY_WITH_REPLICAS.trimStart();
const SAME_APP = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-to-web, namespace: app}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
  egress: [{to: [{podSelector: {matchLabels: {app: web}}}]}]
`;

describe('custom requests over LSP', { timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-lsp-requests-'));
  const file = path.join(dir, 'app.yaml');
  let client: LspTestClient;
  // The verdict, its lines and the rules; the full report beside them is checked in explain.test.ts.
  const explain = async (params: ExplainParams) => {
    const { allowed, lines, rules } = await client.connection.sendRequest<ExplainResult>(EXPLAIN, params);
    return { allowed, lines, rules };
  };
  before(async () => {
    fs.writeFileSync(file, MANIFESTS);
    client = await LspTestClient.start(dir);
    await client.open(uriOf(file), MANIFESTS);
    await client.waitForDiagnostics(uriOf(file));
  });
  after(() => client.stop());

  test('explain: a single pod can always reach itself, even under default-deny', async () => {
    assert.deepEqual(await explain({ source: 'app/solo', destination: 'app/solo', port: 80, protocol: 'TCP' }), {
      allowed: true,
      lines: ['app/solo → app/solo on TCP 80: ALLOWED', 'A pod can always reach itself: policies do not govern its traffic to itself.'],
      rules: [],
    });
  });

  test("explain: a 3-replica Deployment's replicas are governed by policy", async () => {
    assert.deepEqual(await explain({ source: 'app/web', destination: 'app/web', port: 80, protocol: 'TCP' }), {
      allowed: false,
      lines: [
        'app/web → app/web on TCP 80: DENIED',
        'egress: denied: isolated by app/default-deny, and no egress rule of it admits this.',
        'ingress: denied: isolated by app/default-deny, and no ingress rule of it admits this.',
      ],
      rules: [],
    });
  });

  test('explain: an unknown endpoint is named', async () => {
    const r = await explain({ source: 'app/nope', destination: 'app/web', port: 80, protocol: 'TCP' });
    assert.deepEqual(r, { allowed: false, lines: ['Unknown source: no workload "app/nope" (use namespace/name, a name, or an IP address); did you mean app/one?'], rules: [] });
  });

  test('list workloads: every workload with kind, replicas, line and ports', async () => {
    const list = await client.connection.sendRequest<WorkloadInfo[]>(LIST_WORKLOADS);
    assert.deepEqual(list, [
      { id: 'app/solo', kind: 'Pod', replicas: 1, uri: uriOf(file), line: 2, ports: ['http 80/TCP'] },
      { id: 'app/web', kind: 'Deployment', replicas: 3, uri: uriOf(file), line: 7, ports: ['80/TCP'] },
      { id: 'app/one', kind: 'Deployment', replicas: 1, uri: uriOf(file), line: 17, ports: ['80/TCP'] },
      { id: 'app/agent', kind: 'DaemonSet', replicas: 1, uri: uriOf(file), line: 27, ports: ['80/TCP'] },
    ]);
  });

  test('reachers: nobody else reaches a pod under default-deny', async () => {
    assert.deepEqual(await client.connection.sendRequest<ReachersResult>(REACHERS, { id: 'app/web' }), { target: 'app/web', sources: [] });
  });

  // These change the file: they come last.
  const lensOf = async (name: string) => {
    // Lenses sit on the object's first line, two above its flow-style metadata.
    const line = client.positionOf(uriOf(file), `name: ${name}`, 0).line - 2;
    const lenses = (await client.codeLenses(uriOf(file))) ?? [];
    return lenses.filter((l) => l.command?.command === 'netlens.showGraph' && l.range.start.line === line).map((l) => l.command!.title);
  };
  const hoverLine = async (name: string) => {
    const h = await client.hover(uriOf(file), client.positionOf(uriOf(file), `name: ${name}`, 7));
    return (h?.contents as { value: string }).value.split('\n').find((l) => l.startsWith('Reachable from'));
  };

  test('lenses and hovers count other pods, never the pod itself: under default-deny, nobody, not even its replicas', async () => {
    assert.deepEqual(await lensOf('solo'), ['reachable from 0 other pods · can reach 0 other pods']);
    assert.deepEqual(await lensOf('web'), ['reachable from 0 other pods · can reach 0 other pods']);
    assert.equal(await hoverLine('web'), 'Reachable from 0 other pods · can reach 0 other pods');
  });

  test("lenses and hovers: once web's replicas may talk, each reaches the 2 others, and is not counted itself", async () => {
    const text = MANIFESTS + SAME_APP;
    const next = client.nextDiagnostics(uriOf(file));
    await client.setText(uriOf(file), text);
    await next;
    assert.deepEqual(await lensOf('web'), ['reachable from 2 other pods · can reach 2 other pods']);
    assert.equal(await hoverLine('web'), 'Reachable from 2 other pods · can reach 2 other pods');
    assert.deepEqual(await lensOf('solo'), ['reachable from 0 other pods · can reach 0 other pods']);
  });
});
