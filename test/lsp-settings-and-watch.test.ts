/**
 * README features that no other test reached, through the real server over
 * stdio: the settings a user sets (a severity per code and `off`,
 * defaultNamespace, maxFileSize), files that change on disk under a running
 * server (watcher events), the hover on a rule's peer, and the pods that
 * sidecar ports, Job parallelism and a DaemonSet stand for.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LIST_WORKLOADS, type WorkloadInfo } from '../server/src/requests.js';
import { LspTestClient, uriOf, within } from './support/lspClient.js';
import { scratchWorkspace } from './support/scratch.js';

/** Workloads of every kind whose pod count or ports the README promises something about, all in defaultNamespace. */
const APPS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - {name: proxy, image: envoy, restartPolicy: Always, ports: [{containerPort: 9901, name: admin}]}
        - {name: migrate, image: m, ports: [{containerPort: 7000}]}
      containers: [{name: web, image: w, ports: [{containerPort: 8080}]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: backfill}
spec: {parallelism: 4, template: {metadata: {labels: {app: backfill}}, spec: {restartPolicy: Never, containers: [{name: b, image: b}]}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 * * * *"
  jobTemplate: {spec: {parallelism: 3, template: {metadata: {labels: {app: report}}, spec: {restartPolicy: Never, containers: [{name: r, image: r}]}}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: a, image: a, ports: [{containerPort: 9100}]}]}}}
---
# A finding of its own in this file (the agent names no port metrics), so the tests can wait for the file's diagnostics.
apiVersion: v1
kind: Service
metadata: {name: agent-metrics}
spec: {selector: {app: agent}, ports: [{port: 80, targetPort: metrics}]}
`;

/** In shop: web only lives there when defaultNamespace says so. The empty rule is rule-allows-all (which makes the second rule pointless, so no rule-shadowed is said besides); no Namespace object declares shop. */
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - {}
    - from:
        - podSelector: {matchLabels: {app: backfill}}
      ports: [{port: admin}]
`;

const codes = (ds: readonly Diagnostic[] | undefined) => (ds ?? []).map((d) => `${String(d.code)} ${d.severity} ${d.range.start.line}`);

async function lensTitles(client: LspTestClient, uri: string): Promise<string[]> {
  return ((await client.codeLenses(uri)) ?? []).filter((l) => l.command?.command === 'netlens.showGraph').map((l) => `${l.range.start.line}: ${l.command!.title}`);
}

describe('settings: defaultNamespace and a severity per code, off included', { timeout: 60_000 }, () => {
  const dir = scratchWorkspace('settings', { 'apps.yaml': APPS, 'policy.yaml': POLICY });
  const policy = uriOf(path.join(dir, 'policy.yaml'));
  const apps = uriOf(path.join(dir, 'apps.yaml'));

  test('defaults: web is in default, so the policy in shop selects nothing', async () => {
    const client = await LspTestClient.start(dir);
    try {
      const ds = await within(30_000, 'diagnostics', client.waitForDiagnostics(policy, (d) => d.length > 0));
      // Severities: 2 warning, 3 information.
      // No workload runs in shop and nothing declares it: namespace-not-defined says so, and that its pods are not in
      // the workspace (no pods-not-in-workspace beside it for the same fact).
      assert.deepEqual(codes(ds), ['rule-allows-all 3 6', 'namespace-not-defined 3 2']);
      // The empty rule admits every pod: web's 2, the Job's parallelism 4, the CronJob's 3 and the DaemonSet's 1.
      assert.deepEqual(await lensTitles(client, policy), ['0: selects 0 pods · allows ingress from 10 pods · any address']);
    } finally {
      await client.stop();
    }
  });

  test('rule-allows-all off and namespace-not-defined a hint', async () => {
    const client = await LspTestClient.start(dir, { severity: { 'rule-allows-all': 'off', 'namespace-not-defined': 'hint' } });
    try {
      const ds = await within(30_000, 'diagnostics', client.waitForDiagnostics(policy, (d) => d.length > 0));
      // rule-allows-all is gone and namespace-not-defined is a hint (4).
      assert.deepEqual(codes(ds), ['namespace-not-defined 4 2']);
    } finally {
      await client.stop();
    }
  });

  test('defaultNamespace shop puts the workloads there: the policy selects web, and shop, where they run, needs no Namespace object', async () => {
    const client = await LspTestClient.start(dir, { defaultNamespace: 'shop' });
    try {
      const ds = await within(30_000, 'diagnostics', client.waitForDiagnostics(policy, (d) => d.length > 0));
      assert.deepEqual(codes(ds), ['rule-allows-all 3 6']);
      assert.deepEqual(await lensTitles(client, policy), ['0: selects 2 pods · allows ingress from 10 pods · any address']);
      // No namespace practises default-deny, so shop is not advised to: the Service's own finding is all.
      assert.deepEqual(codes(client.diagnostics.get(apps)), ['service-target-port-not-found 2 35']);
    } finally {
      await client.stop();
    }
  });
});

describe('pods that workloads stand for, and the hover on a peer', { timeout: 60_000 }, () => {
  const dir = scratchWorkspace('pod-counts', { 'apps.yaml': APPS, 'policy.yaml': POLICY });
  const policy = uriOf(path.join(dir, 'policy.yaml'));
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start(dir, { defaultNamespace: 'shop' });
    await within(30_000, 'diagnostics', client.waitForDiagnostics(policy, (d) => d.length > 0));
  });
  after(() => client.stop());

  test('sidecar ports count, a plain init container does not; a Job is parallelism pods, a DaemonSet one', async () => {
    const list = await client.connection.sendRequest<WorkloadInfo[]>(LIST_WORKLOADS);
    const apps = uriOf(path.join(dir, 'apps.yaml'));
    assert.deepEqual(list, [
      { id: 'shop/web', kind: 'Deployment', replicas: 2, uri: apps, line: 2, ports: ['8080/TCP', 'admin 9901/TCP'] },
      { id: 'shop/backfill', kind: 'Job', replicas: 4, uri: apps, line: 16, ports: [] },
      { id: 'shop/report', kind: 'CronJob', replicas: 3, uri: apps, line: 21, ports: [] },
      { id: 'shop/agent', kind: 'DaemonSet', replicas: 1, uri: apps, line: 28, ports: ['9100/TCP'] },
    ]);
  });

  test('a peer hover lists the pods it admits', async () => {
    await client.open(policy, POLICY);
    const h = await client.hover(policy, client.positionOf(policy, 'matchLabels: {app: backfill}', 3));
    const apps = uriOf(path.join(dir, 'apps.yaml'));
    assert.equal((h?.contents as { value: string } | undefined)?.value, `**Peer:** pods app=backfill in shop — 4 pods:\n\n- [shop/backfill](<${apps}#L17>) ×4 (Job)`);
  });
});

describe('files changing on disk under a running server', { timeout: 60_000 }, () => {
  test('created, changed and deleted files are re-read on watcher events', async () => {
    const dir = scratchWorkspace('watch', { 'apps.yaml': APPS });
    const apps = uriOf(path.join(dir, 'apps.yaml'));
    const file = path.join(dir, 'policy.yaml');
    const policy = uriOf(file);
    const client = await LspTestClient.start(dir, { defaultNamespace: 'shop' });
    try {
      await within(30_000, 'indexing', client.waitForDiagnostics(apps));
      const webLens = async () => (await lensTitles(client, apps))[0];
      assert.equal(await webLens(), '0: reachable from 9 other pods · any address · can reach 9 other pods');
      const watched = async (type: 1 | 2 | 3) => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: policy, type }] });
      fs.writeFileSync(file, POLICY);
      await watched(1);
      assert.deepEqual(codes(await within(10_000, 'created', client.waitForDiagnostics(policy, (d) => d.length > 0))), ['rule-allows-all 3 6']);
      // Without the empty rule, web admits only the Job's 4 pods, on its sidecar's named port; not even its other replica.
      // A Service without endpoints rides along, so the file keeps a finding whose removal on delete is a signal to wait for.
      fs.writeFileSync(file, `${POLICY.replace('    - {}\n', '')}---\napiVersion: v1\nkind: Service\nmetadata: {name: nothing}\nspec: {selector: {app: nothing}, ports: [{port: 80}]}\n`);
      await watched(2);
      assert.deepEqual(codes(await within(10_000, 'changed', client.nextDiagnostics(policy))), ['service-selects-no-pods 2 13']);
      assert.equal(await webLens(), '0: reachable from 4 other pods · can reach 8 other pods');
      fs.rmSync(file);
      await watched(3);
      assert.deepEqual(await within(10_000, 'deleted', client.nextDiagnostics(policy)), []);
      assert.equal(await webLens(), '0: reachable from 9 other pods · any address · can reach 9 other pods');
    } finally {
      await client.stop();
    }
  });
});

describe('netlens.maxFileSize', { timeout: 60_000 }, () => {
  test('a larger file is not indexed, says so in the log, and is read once opened', async () => {
    // Over 2,000 bytes, against APPS's 1,500: a cidr-invalid that shows only once the file is read.
    const big = POLICY.replace('ingress:', `${'#'.repeat(2000)}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]\n  ingress:`);
    const dir = scratchWorkspace('max-size', { 'apps.yaml': APPS, 'big.yaml': big });
    const apps = uriOf(path.join(dir, 'apps.yaml'));
    const bigUri = uriOf(path.join(dir, 'big.yaml'));
    const client = await LspTestClient.start(dir, { maxFileSize: 2000, defaultNamespace: 'shop' });
    try {
      await within(30_000, 'indexing', client.waitForDiagnostics(apps));
      assert.equal(client.diagnostics.get(bigUri), undefined);
      assert.deepEqual(client.logs.filter((l) => l.includes('not indexing')).map((l) => l.replace(dir, 'DIR')), [
        `netlens: not indexing DIR/big.yaml: larger than 2000 bytes (${Buffer.byteLength(big)}) (netlens.maxFileSize)`,
      ]);
      await client.open(bigUri, big);
      assert.deepEqual(codes(await within(10_000, 'opened', client.waitForDiagnostics(bigUri, (d) => d.length > 0))), ['rule-allows-all 3 8', 'cidr-invalid 1 6']);
    } finally {
      await client.stop();
    }
  });
});
