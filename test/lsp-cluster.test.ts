/**
 * Cluster configuration in the editor: CIDR hovers with per-node slices from
 * real config files, the summary's CNI warning, and .conflist files
 * diagnosed like manifests.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { SUMMARY, type SummaryResult } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { REPO_ROOT } from './support/paths.js';

describe('cluster configuration over LSP', { timeout: 60_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-lsp-cluster-'));
  const kubeadm = path.join(dir, 'kubeadm.yaml');
  const flannel = path.join(dir, '10-flannel.conflist');
  const policy = path.join(dir, 'policy.yaml');
  let client: LspTestClient;
  before(async () => {
    fs.writeFileSync(kubeadm, 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.32.0.0/16\n  serviceSubnet: 10.96.0.0/12\n');
    fs.writeFileSync(flannel, '{\n  "cniVersion": "0.3.1",\n  "name": "cbr0",\n  "plugins": [{ "type": "flannel" }, { "type": "portmap" }]\n}\n');
    fs.writeFileSync(policy, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: default}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n');
    client = await LspTestClient.start(dir);
  });
  after(() => client.stop());

  test('a NetworkPolicy under flannel gets the warning, and the status summary says why', async () => {
    const ds = await client.waitForDiagnostics(uriOf(policy), (d) => d.some((x) => x.code === 'cni-ignores-network-policy'));
    const d = ds.find((x) => x.code === 'cni-ignores-network-policy')!;
    assert.equal(d.relatedInformation?.[0]?.location.uri, uriOf(flannel));
    const summary = await client.connection.sendRequest<SummaryResult>(SUMMARY);
    assert.match(summary.warning ?? '', /CNI \(flannel, from CNI plugin "flannel" in 10-flannel\.conflist\) does not enforce NetworkPolicy/);
  });

  test('hovering the pod subnet shows the per-node arithmetic', async () => {
    const text = fs.readFileSync(kubeadm, 'utf8');
    await client.open(uriOf(kubeadm), text);
    const h = await client.hover(uriOf(kubeadm), client.positionOf(uriOf(kubeadm), '10.32.0.0/16', 3));
    const { value } = h!.contents as MarkupContent;
    assert.match(value, /the cluster's pod network/);
    // (Markdown escapes the dot.)
    assert.match(value, /\| per node \| `\/24` \(kubeadm networking\\\.podSubnet\) \|/);
    assert.match(value, /\| nodes \| 256 \|/);
    assert.match(value, /\| addresses per node \| 256 \(253 for pods/);
    assert.match(value, /This range is the pod CIDR `10\.32\.0\.0\/16`/);
  });

  test('editing a .conflist into invalid JSON gives a syntax error; fixing it clears it', async () => {
    const uri = uriOf(flannel);
    await client.open(uri, fs.readFileSync(flannel, 'utf8'), 'conflist');
    await client.replace(uri, '{ "type": "portmap" }', '{ "type": "portmap" },');
    const broken = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'yaml-syntax'));
    assert.match(broken[0]!.message as string, /trailing comma/);
    // With the config unreadable the CNI is unknown: the policy warning goes.
    await client.waitForDiagnostics(uriOf(policy), (d) => !d.some((x) => x.code === 'cni-ignores-network-policy'));
    await client.replace(uri, '{ "type": "portmap" },', '{ "type": "portmap" }');
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  test('examples/: Calico enforces, so no warning', async () => {
    const examples = await LspTestClient.start(path.join(REPO_ROOT, 'examples'));
    try {
      await examples.waitForDiagnostics(uriOf(path.join(REPO_ROOT, 'examples', 'cluster', 'calico.yaml')), (d) => d.length > 0);
      const summary = await examples.connection.sendRequest<SummaryResult>(SUMMARY);
      assert.equal(summary.warning, undefined);
    } finally {
      await examples.stop();
    }
  });
});
