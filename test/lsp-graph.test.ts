/**
 * The graph panel's data over real LSP messages: the netlens/graph request
 * on examples/, and the netlens/modelChanged notification that makes the
 * panel follow edits.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GRAPH, MODEL_CHANGED, type GraphData, type ModelChangedParams } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { REPO_ROOT } from './support/paths.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const policiesFile = path.join(EXAMPLES, 'storefront', 'policies.yaml');
const policies = uriOf(policiesFile);

describe('graph request and live updates', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  const versions: number[] = [];
  before(async () => {
    client = await LspTestClient.start(EXAMPLES);
    client.connection.onNotification(MODEL_CHANGED, (p: ModelChangedParams) => {
      versions.push(p.version);
    });
    await client.waitForDiagnostics(policies, (ds) => ds.length > 0);
  });
  after(() => client.stop());

  const graph = () => client.connection.sendRequest<GraphData>(GRAPH);

  test('the graph has the workloads, their namespaces, and flows with the rules that allow them', async () => {
    const g = await graph();
    const cart = g.nodes.find((n) => n.ref === 'storefront/cart')!;
    assert.equal(cart.kind, 'workload');
    assert.equal(cart.parent, 'ns:storefront');
    assert.ok(g.nodes.some((n) => n.id === 'ns:storefront' && n.kind === 'namespace'));
    assert.deepEqual(cart.policies, ['storefront/default-deny', 'storefront/cart-from-web']);
    assert.equal(cart.isolatedIngress, true);
    const flow = g.edges.find((e) => e.source === 'w:Deployment:storefront/checkout' && e.target === cart.id)!;
    assert.equal(flow.explicit, true);
    assert.deepEqual(flow.ports, ['TCP 7070']);
    const rules = flow.rules.map((i) => g.rules[i]!);
    assert.deepEqual(rules.map((r) => `${r.policy} ${r.direction} ${r.rule}`), ['storefront/cart-from-web ingress 0']);
    assert.equal(rules[0]!.source.uri, policies);
    const lines = fs.readFileSync(policiesFile, 'utf8').split('\n');
    assert.equal(lines[rules[0]!.source.line], '    - from:');
    assert.equal(lines[rules[0]!.source.line - 1], '  ingress:');
    // Nothing reaches cart-redis: default-deny isolates it, and its own policy's
    // ingress rule is ignored because policyTypes lacks Ingress (the planted mistake).
    assert.deepEqual(g.edges.filter((e) => e.target === 'w:StatefulSet:storefront/cart-redis'), []);
    assert.ok(g.edges.some((e) => e.source === 'w:StatefulSet:storefront/cart-redis'));
  });

  test('an edit that removes a rule is followed by modelChanged and a graph without that flow', async () => {
    const before = await graph();
    const seen = versions.length;
    await client.open(policies, fs.readFileSync(policiesFile, 'utf8'));
    // checkout loses its way into cart: the second peer of the first rule goes.
    await client.replace(policies, "        - podSelector: {matchLabels: {app: checkout}}\n", '');
    while (versions.length === seen || versions.at(-1)! <= before.version) await new Promise((r) => setTimeout(r, 10));
    const g = await graph();
    assert.equal(g.version, versions.at(-1));
    assert.ok(!g.edges.some((e) => e.source === 'w:Deployment:storefront/checkout' && e.target === 'w:Deployment:storefront/cart'));
    assert.ok(g.edges.some((e) => e.source === 'w:Deployment:storefront/web' && e.target === 'w:Deployment:storefront/cart'));
  });
});
