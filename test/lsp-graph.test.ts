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
import { GRAPH_ATTACKS, serverGraph } from './support/graphAttacks.js';
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

describe('graph ids stay unique whatever the workspace names (issue 14, class 7)', { timeout: 60_000 }, () => {
  for (const attack of GRAPH_ATTACKS) {
    test(`${attack.name}: every node and flow keeps its own id`, async () => {
      const g = await serverGraph(attack);
      assert.equal(g.nodes.length, attack.nodes);
      assert.equal(g.edges.length, attack.edges);
      const ids = [...g.nodes, ...g.edges].map((x) => x.id);
      assert.equal(new Set(ids).size, ids.length, `repeated ids: ${ids.join(', ')}`);
      const nodeIds = new Set(g.nodes.map((n) => n.id));
      for (const e of g.edges) assert.ok(nodeIds.has(e.source) && nodeIds.has(e.target), `${e.id} joins nodes of the graph`);
      for (const n of g.nodes) assert.ok(n.parent === undefined || nodeIds.has(n.parent));
      // Every workload pair stays one flow: no two flows merged under one id.
      assert.equal(new Set(g.edges.map((e) => JSON.stringify([e.source, e.target]))).size, attack.edges);
    });
  }

  test('each declaration of a repeated Deployment is its own node, linked to its own file', async () => {
    const g = await serverGraph(GRAPH_ATTACKS[0]!);
    const apis = g.nodes.filter((n) => n.ref === 'shop/api');
    assert.deepEqual(apis.map((n) => n.id), ['w:Deployment:shop/api', 'w:Deployment:shop/api#2']);
    assert.deepEqual(apis.map((n) => path.basename(new URL(n.source!.uri).pathname)), ['api.yaml', 'copy.yaml']);
    // web reaches each copy on the policy's port.
    for (const api of apis) assert.deepEqual(g.edges.find((e) => e.source === 'w:Deployment:shop/web' && e.target === api.id)?.ports, ['TCP 8000']);
  });

  test('flows between pods named with "->" keep distinct ids', async () => {
    const g = await serverGraph(GRAPH_ATTACKS[1]!);
    const a = 'w:Pod:ns/a';
    const c = 'w:Pod:ns/c';
    const bc = 'w:Pod:ns/b->w:Pod:ns/c';
    const ab = 'w:Pod:ns/a->w:Pod:ns/b';
    const first = g.edges.find((e) => e.source === a && e.target === bc)!;
    const second = g.edges.find((e) => e.source === ab && e.target === c)!;
    // Both want the id "w:Pod:ns/a->w:Pod:ns/b->w:Pod:ns/c"; the one met second gets a suffix.
    assert.deepEqual([first.id, second.id].sort(), ['w:Pod:ns/a->w:Pod:ns/b->w:Pod:ns/c', 'w:Pod:ns/a->w:Pod:ns/b->w:Pod:ns/c#2']);
  });
});
