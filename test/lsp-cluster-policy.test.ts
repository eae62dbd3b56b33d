/**
 * Cluster-wide policies through the real language server: the graph names the
 * tiered rule that decided each flow and draws no namespace-wide default edge
 * into pods a tier governs; the hover on such a policy says its tier, priority
 * and rules; diagnostics carry the tier codes. Fixtures: test/fixtures/cluster-policy.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GRAPH, type GraphData } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { REPO_ROOT } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'cluster-policy');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const HARRY = 'w:StatefulSet:network-policy-conformance-gryffindor/harry-potter';
const from = (house: string, name: string) => `w:StatefulSet:network-policy-conformance-${house}/${name}`;

describe('cluster-wide policies in the editor', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  let dir: string;
  let policies: string;
  before(async () => {
    dir = scratchWorkspace('tiers-lsp', { 'houses.yaml': read('houses.yaml'), 'ingress-tcp.yaml': read('ingress-tcp-accept-first.yaml') });
    policies = uriOf(path.join(dir, 'ingress-tcp.yaml'));
    client = await LspTestClient.start(dir);
    await client.open(policies, read('ingress-tcp-accept-first.yaml'));
    await client.waitForDiagnostics(policies, (ds) => ds.some((d) => d.code === 'tier-rule-shadowed'));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the graph names the deciding rule per flow, and no namespace edge bypasses the tier', async () => {
    const g = await client.connection.sendRequest<GraphData>(GRAPH);
    const into = g.edges.filter((e) => e.target === HARRY || e.target === 'ns:network-policy-conformance-gryffindor');
    const shown = into
      .map((e) => `${e.source} [${e.ports.join(', ')}] ${e.rules.map((i) => `${g.rules[i]!.policy} ${g.rules[i]!.direction} ${g.rules[i]!.rule}`).join('; ')}`)
      .sort();
    assert.deepEqual(shown, [
      `${from('hufflepuff', 'cedric-diggory')} [TCP 80] ingress-tcp ingress 5`,
      `${from('ravenclaw', 'luna-lovegood')} [SCTP 9003, SCTP 9005, TCP 80, TCP 8080, UDP 53, UDP 5353] ingress-tcp ingress 0`,
      // Slytherin on 80 is denied by rule 4; the other ports match no rule and fall to the default allow.
      `${from('slytherin', 'draco-malfoy')} [SCTP 9003, SCTP 9005, TCP 8080, UDP 53, UDP 5353] `,
    ]);
  });

  test('hover on the policy name says its kind, tier, priority and rules', async () => {
    const h = await client.hover(policies, client.positionOf(policies, 'ingress-tcp', 2, 'metadata:'));
    const shown = (h?.contents as { value: string }).value.replace(/\\(.)/g, '$1');
    assert.ok(
      shown.includes(
        'All pods in namespaces kubernetes.io/metadata.name=network-policy-conformance-gryffindor (ClusterNetworkPolicy in the admin tier at priority 3): ' +
          'Accept ingress of any traffic from all pods in namespaces kubernetes.io/metadata.name=network-policy-conformance-ravenclaw; ',
      ),
      shown,
    );
    assert.ok(shown.includes('Admin rules come before every NetworkPolicy: lowest priority first, rules in written order, the first match decides; Pass hands the traffic to NetworkPolicy.'), shown);
  });

  test('completion: the kind\'s actions, the tier, namespace labels under namespaces, named ports', async () => {
    const draft = uriOf(path.join(dir, 'draft.yaml'));
    const text = [
      'apiVersion: policy.networking.k8s.io/v1alpha2',
      'kind: ClusterNetworkPolicy',
      'metadata: {name: draft}',
      'spec:',
      '  tier: ',
      '  priority: 4',
      '  subject:',
      '    namespaces:',
      '      matchLabels: {conformance-house: gryffindor}',
      '  ingress:',
      '    - action: ',
      '      from:',
      '        - namespaces:',
      '            matchLabels:',
      '              conformance-house: ',
      '      protocols:',
      '        - destinationNamedPort: ',
      '',
    ].join('\n');
    await client.open(draft, text);
    const labels = async (find: string, delta: number) => (await client.completion(draft, client.positionOf(draft, find, delta))).map((i) => i.label);
    assert.deepEqual(await labels('tier: ', 6), ['Admin', 'Baseline']);
    assert.deepEqual(await labels('action: ', 8), ['Accept', 'Deny', 'Pass']);
    assert.deepEqual(await labels('conformance-house: \n', 19), ['gryffindor', 'hufflepuff', 'ravenclaw', 'slytherin']);
    assert.deepEqual(await labels('destinationNamedPort: ', 22), ['dns', 'web']);
    await client.close(draft);
  });

  test('diagnostics: the rules written after the ravenclaw Accept and the slytherin Deny are shadowed', async () => {
    const ds = await client.waitForDiagnostics(policies, (d) => d.length > 0);
    const shadowed = ds.filter((d) => d.code === 'tier-rule-shadowed').map((d) => d.range.start.line + 1);
    assert.deepEqual(shadowed, [18, 23, 35]);
  });
});
