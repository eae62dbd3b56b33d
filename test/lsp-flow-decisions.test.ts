/**
 * What decided each flow, through the real language server: the graph names
 * the rule (and its tier) that let each flow through, says where the default
 * allow decided, and is explicit only where a rule decided at one end.
 * Fixtures: test/fixtures/flow-decisions (pods that declare no ports, under
 * AdminNetworkPolicy, BaselineAdminNetworkPolicy and NetworkPolicy) and
 * test/fixtures/calico.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { GRAPH, type GraphData } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { REPO_ROOT } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

const fixture = (folder: string, name: string) => fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', folder, name), 'utf8');

/** Each edge between workloads as one line: ends, ports, explicit or not, where the default decided, and the deciding rules with their place. */
function shownFlows(g: GraphData): string[] {
  return g.edges
    .filter((e) => e.source.startsWith('w:') && e.target.startsWith('w:'))
    .map((e) => {
      const rules = e.rules.map((i) => `${g.rules[i]!.policy} ${g.rules[i]!.direction} ${g.rules[i]!.rule + 1} in ${g.rules[i]!.decidesIn}`);
      const notes = [e.explicit ? 'explicit' : 'default', ...(e.byDefault === undefined ? [] : [`default at ${e.byDefault.join('+')}`]), ...(e.l7 === undefined ? [] : [`L7 ${e.l7.join(',')}`])];
      return `${e.source.replace(/^w:\w+:/, '')} -> ${e.target.replace(/^w:\w+:/, '')} [${e.ports.join(', ')}] ${notes.join(', ')}: ${rules.join('; ')}`;
    })
    .sort();
}

/** Starts a server on the files, hands it to `use`, and cleans up. */
async function withServer<T>(files: Record<string, string>, use: (client: LspTestClient, uri: (name: string) => string) => Promise<T>): Promise<T> {
  const dir = scratchWorkspace('flow-decisions', files);
  const client = await LspTestClient.start(dir);
  const uri = (name: string) => uriOf(path.join(dir, name));
  try {
    await client.waitForModel(uri(Object.keys(files)[0]!));
    return await use(client, uri);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const graphOf = (files: Record<string, string>) => withServer(files, (client) => client.connection.sendRequest<GraphData>(GRAPH));

/** The titles of the lenses in a file, by the line they sit on. */
async function lensTitles(client: LspTestClient, uri: string): Promise<string[]> {
  const lenses = (await client.codeLenses(uri)) ?? [];
  return lenses.map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`);
}

describe('what decided each graph flow', { timeout: 60_000 }, () => {
  test('admin and baseline tiers beside NetworkPolicy, pods with no declared ports: the deciding rule per flow, and the default where it decided', async () => {
    const g = await graphOf({ 'shop.yaml': fixture('flow-decisions', 'shop.yaml'), 'tiers.yaml': fixture('flow-decisions', 'tiers.yaml') });
    assert.deepEqual(shownFlows(g), [
      // Admin Allow on 8000-8999; TCP 22 is the admin Deny's; the rest of the ports NetworkPolicy denies (db is isolated).
      'guest/visitor -> shop/db [TCP 8000-8999] explicit, default at egress: admin-guard ingress 3 in the admin tier at priority 10',
      // web is isolated by no NetworkPolicy: off 8000-8999 the default allow decides; ops passed on is refused by the baseline, so no flow from ops/monitor.
      'guest/visitor -> shop/web [all SCTP ports, TCP 1-21, TCP 23-65535, all UDP ports] explicit, default at egress+ingress: admin-guard ingress 3 in the admin tier at priority 10',
      // Nothing matches in any tier: the default allow, although a tier governs web (was explicit before).
      'shop/db -> shop/web [any port] default, default at egress+ingress: ',
      'shop/web -> shop/db [any port] explicit, default at egress: shop/db-from-web ingress 1 in the NetworkPolicy tier',
    ]);
    const open = g.edges.filter((e) => e.allowAll).map((e) => `${e.source} -> ${e.target}`);
    assert.deepEqual(open, [], 'no flow here is let through by rules admitting every peer');
  });

  test('Calico: an earlier Deny takes its peers away from the Allow, and the rule named is the first that matched', async () => {
    const g = await graphOf({
      'cluster.yaml': fixture('calico', 'cluster.yaml'),
      'deny-blue.yaml': fixture('calico', 'deny-blue.yaml'),
      'allow-6379.yaml': fixture('calico', 'allow-6379.yaml'),
    });
    const intoDatabase = shownFlows(g).filter((line) => line.includes('-> production/database'));
    // production/reports is blue: deny-blue (order 100) decides before allow-tcp-6379 (no order), so it has no flow.
    assert.deepEqual(intoDatabase, ['production/frontend -> production/database [TCP 6379] explicit, default at egress: production/allow-tcp-6379 ingress 1 in Calico tier default with no order']);
  });
});

describe('lens counts of ordered policies', { timeout: 60_000 }, () => {
  const calico = (...names: string[]) => Object.fromEntries(['cluster.yaml', ...names].map((n) => [n, fixture('calico', n)]));
  /** The sources of the graph's flows into a workload whose deciding rules include one of the policy's. */
  const decidedSources = (g: GraphData, target: string, policy: string) =>
    g.edges.filter((e) => e.target === target && e.source.startsWith('w:') && e.rules.some((i) => g.rules[i]!.policy === policy)).map((e) => e.source).sort();

  test('an earlier Deny takes its peers away from the count, as it does in the matrix', async () => {
    await withServer(calico('deny-blue.yaml', 'allow-6379.yaml'), async (client, uri) => {
      await client.open(uri('allow-6379.yaml'), fixture('calico', 'allow-6379.yaml'));
      // Was "allows ingress from 2 pods": the union of the Allow rules counted production/reports, which deny-blue (order 100) denies first.
      assert.deepEqual(await lensTitles(client, uri('allow-6379.yaml')), ['2: selects 1 pod · allows ingress from 1 pod · allows egress to 4 pods · any address']);
      const g = await client.connection.sendRequest<GraphData>(GRAPH);
      assert.deepEqual(decidedSources(g, 'w:Pod:production/database', 'production/allow-tcp-6379'), ['w:Pod:production/frontend']);
    });
  });

  test('a policy earlier in the tier that decides first (Pass or Allow) leaves a later policy nothing to count', async () => {
    await withServer(calico('deny-blue.yaml', 'allow-6379.yaml', 'pass-staging.yaml'), async (client, uri) => {
      for (const name of ['allow-6379.yaml', 'pass-staging.yaml']) await client.open(uri(name), fixture('calico', name));
      // pass-staging (order 500) decides production's traffic into the database before allow-tcp-6379 (no order) is reached.
      assert.deepEqual(await lensTitles(client, uri('allow-6379.yaml')), ['2: selects 1 pod · allows ingress from 0 pods · allows egress to 4 pods · any address']);
      // Its Allow admits production's three pods; staging's frontend it passes on (was "from 4 pods").
      assert.deepEqual(await lensTitles(client, uri('pass-staging.yaml')), ['2: selects 3 pods · allows ingress from 3 pods · any address']);
      const g = await client.connection.sendRequest<GraphData>(GRAPH);
      assert.deepEqual(decidedSources(g, 'w:Pod:production/database', 'production/allow-tcp-6379'), []);
      assert.deepEqual(decidedSources(g, 'w:Pod:production/database', 'pass-staging'), ['w:Pod:production/frontend']);
    });
  });
});

describe('L7-filtered flows', { timeout: 60_000 }, () => {
  test('a flow a Cilium rule with HTTP rules lets through is flagged L7-filtered on the graph edge and in the workload hover', async () => {
    const yaml = fixture('flow-decisions', 'cilium-l7.yaml');
    await withServer({ 'cilium-l7.yaml': yaml }, async (client, uri) => {
      const g = await client.connection.sendRequest<GraphData>(GRAPH);
      assert.deepEqual(shownFlows(g).filter((line) => line.includes('-> orders/api')), [
        'orders/admin -> orders/api [TCP 9090] explicit, default at egress: orders/api-ingress ingress 2 in the NetworkPolicy tier (CiliumNetworkPolicy)',
        'orders/client -> orders/api [TCP 8080] explicit, default at egress, L7 HTTP: orders/api-ingress ingress 1 in the NetworkPolicy tier (CiliumNetworkPolicy)',
      ]);
      const file = uri('cilium-l7.yaml');
      await client.open(file, yaml);
      const hover = await client.hover(file, client.positionOf(file, 'name: api', 7));
      const text = (hover?.contents as { value: string }).value.replace(/\\(.)/g, '$1');
      assert.ok(
        text.endsWith(
          'L7-filtered flows (decided here at L4; the CNI also filters their requests):\n' +
            '- orders/api-ingress ingress rule 1: TCP 8080 from pods app=client in orders (L7-filtered: HTTP; decided here at L4)',
        ),
        text,
      );
    });
  });
});

describe('reach from and to addresses outside the pods', { timeout: 60_000 }, () => {
  test('an admin Deny on a network and an earlier Calico Deny on nets take their addresses away from the ipBlocks, in the graph and the lenses', async () => {
    const yaml = fixture('flow-decisions', 'outside.yaml');
    await withServer({ 'outside.yaml': yaml }, async (client, uri) => {
      const g = await client.connection.sendRequest<GraphData>(GRAPH);
      const shown = g.edges.map((e) => `${e.source} -> ${e.target} [${e.ports.join(', ')}]: ${e.rules.map((i) => `${g.rules[i]!.policy} ${g.rules[i]!.direction} ${g.rules[i]!.rule + 1}`).join('; ')}`).sort();
      // Were cidr:0.0.0.0/0 both ways: the tiers were not asked.
      assert.deepEqual(shown, [
        'cidr:0.0.0.0/0 except 203.0.113.0/24 -> w:Pod:edge/web [TCP 443]: edge/web-public ingress 1',
        'w:Pod:edge/web -> cidr:0.0.0.0/0 except 10.0.0.0/8 [any port]: edge/web-public egress 1',
      ]);
      const file = uri('outside.yaml');
      await client.open(file, yaml);
      const workloadLens = (await lensTitles(client, file)).find((t) => t.includes('reachable from'));
      // Was "the internet (0.0.0.0/0)".
      assert.equal(workloadLens, '8: reachable from 0 other pods · the internet (0.0.0.0/0 except 203.0.113.0/24) · can reach 0 other pods');
      // The policy's own lens: what of its blocks its rules decide (was "the internet (0.0.0.0/0)" both ways).
      const policyLens = (await lensTitles(client, file)).find((t) => t.includes('selects'));
      assert.equal(policyLens, '17: selects 1 pod · allows ingress from 0 pods · the internet (0.0.0.0/0 except 203.0.113.0/24) · allows egress to 0 pods · the internet (0.0.0.0/0 except 10.0.0.0/8)');
    });
  });
});
