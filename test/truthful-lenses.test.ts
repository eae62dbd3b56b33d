/**
 * Code lenses and hovers that tell the whole story, through the real server
 * on examples/: addresses outside the pods that rules admit are counted beside
 * the pods, egress policies say what they allow out, policy hovers state that
 * policies add up, and the keys of a policy explain what they do there.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REACHERS, type ReachersResult } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { REPO_ROOT } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const uri = (rel: string) => uriOf(path.join(EXAMPLES, rel));

describe('lenses count external reachers and egress', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start(EXAMPLES);
    await client.waitForDiagnostics(uri('storefront/apps.yaml'), (ds) => ds.some((d) => d.code === 'service-unreachable'));
  });
  after(() => client.stop());

  /** Lens titles of a file, keyed by the 1-based line they sit on. */
  async function titles(rel: string): Promise<Map<number, string>> {
    const lenses = (await client.codeLenses(uri(rel))) ?? [];
    return new Map(lenses.filter((l) => l.command?.command === 'netlens.showGraph').map((l) => [l.range.start.line + 1, l.command!.title]));
  }

  test('a workload and its Service open to the internet say so beside "0 pods"', async () => {
    const apps = await titles('storefront/apps.yaml');
    assert.equal(apps.get(2), 'reachable from 0 other pods · the internet (0.0.0.0/0 except 10.0.0.0/8) · can reach 6 other pods');
    assert.equal(apps.get(80), '3 endpoints · reachable from 0 pods · the internet (0.0.0.0/0 except 10.0.0.0/8)');
    // Isolated and admitting no address: nothing is added.
    assert.equal(apps.get(21), 'reachable from 5 other pods · can reach 4 other pods');
  });

  test('each workload also has an "explain…" lens, and the reachers request names the addresses', async () => {
    const lenses = (await client.codeLenses(uri('storefront/apps.yaml'))) ?? [];
    const explain = lenses.filter((l) => l.command?.command === 'netlens.whatCanReach');
    assert.deepEqual(
      explain.map((l) => [l.range.start.line + 1, l.command!.title, l.command!.arguments]),
      [
        [2, 'explain…', ['storefront/web']],
        [21, 'explain…', ['storefront/cart']],
        [41, 'explain…', ['storefront/cart-redis']],
        [61, 'explain…', ['storefront/checkout']],
      ],
    );
    const reachers = await client.connection.sendRequest<ReachersResult>(REACHERS, { id: 'storefront/web' });
    assert.deepEqual(reachers, { target: 'storefront/web', sources: [], external: 'the internet (0.0.0.0/0 except 10.0.0.0/8)' });
  });

  test('pods no policy isolates are reachable from any address', async () => {
    const apps = await titles('observability/apps.yaml');
    assert.equal(apps.get(21), 'reachable from 10 other pods · any address · can reach 5 other pods');
  });

  test('policies name the addresses they admit, and egress policies what they allow out', async () => {
    const store = await titles('storefront/policies.yaml');
    assert.equal(store.get(11), 'selects 3 pods · allows ingress from 0 pods · the internet (0.0.0.0/0 except 10.0.0.0/8)');
    assert.equal(store.get(51), 'selects 1 pod · allows egress to 2 pods');
    const pay = await titles('payments/policies.yaml');
    assert.equal(pay.get(1), 'selects 9 pods · denies all ingress · denies all egress');
    assert.equal(pay.get(80), 'selects 1 pod · allows egress to 3 pods · 10.244.3.0/24, 0.0.0.0/24');
  });
});

describe('policy lenses count only the peers a rule admits on some port', { timeout: 60_000 }, () => {
  const workload = (name: string, ports: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n` +
    `  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: i, ports: [${ports}]}]}\n`;
  const policy = (name: string, app: string, rules: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: ${app}}}\n${rules}`;
  let client: LspTestClient;
  let policies: string;
  before(async () => {
    const dir = scratchWorkspace('lens-ports', {
      'apps.yaml': [workload('web', '{containerPort: 8080, name: http}'), workload('api', '{containerPort: 9090, name: grpc}'), workload('db', '{containerPort: 5432}')].join('---\n'),
      'policies.yaml': [
        // Egress by name: only api declares grpc, so db (no such name) is not counted; the invalid range admits nobody.
        policy('web-out', 'web', "  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {}}]\n      ports: [{port: grpc}]\n    - to: [{podSelector: {matchLabels: {app: db}}}, {ipBlock: {cidr: 192.0.2.0/24}}]\n      ports: [{port: 6000, endPort: 5000}]\n"),
        // Ingress by a name db does not declare admits nobody; by a number, both peers.
        policy('db-in-named', 'db', '  ingress:\n    - from: [{podSelector: {}}]\n      ports: [{port: postgres}]\n'),
        policy('db-in-number', 'db', '  ingress:\n    - from: [{podSelector: {matchLabels: {app: api}}}, {podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: 5432}]\n'),
      ].join('---\n'),
    });
    policies = uriOf(path.join(dir, 'policies.yaml'));
    client = await LspTestClient.start(dir);
    await client.waitForDiagnostics(policies, (ds) => ds.some((d) => d.code === 'end-port-invalid'));
  });
  after(() => client.stop());

  test('named ports resolve at the destination, and invalid ports admit neither pods nor addresses', async () => {
    const lenses = (await client.codeLenses(policies)) ?? [];
    assert.deepEqual(
      lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`),
      ['0: selects 2 pods · allows egress to 2 pods', '12: selects 2 pods · allows ingress from 0 pods', '21: selects 2 pods · allows ingress from 4 pods'],
    );
  });
});

describe('hovers on policies and their fields', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  const policies = uri('storefront/policies.yaml');
  before(async () => {
    client = await LspTestClient.start(EXAMPLES);
    // service-unreachable needs both files: the workspace is indexed.
    await client.waitForDiagnostics(uri('storefront/apps.yaml'), (ds) => ds.some((d) => d.code === 'service-unreachable'));
    await client.open(policies, fs.readFileSync(path.join(EXAMPLES, 'storefront/policies.yaml'), 'utf8'));
  });
  after(() => client.stop());

  /** The hover text at `find` (after `after`), markdown escapes removed, as the editor shows it. */
  async function shown(find: string, after: string): Promise<string> {
    const h = await client.hover(policies, client.positionOf(policies, find, 1, after));
    return (h?.contents as { value: string } | undefined)?.value.replace(/\\(.)/g, '$1') ?? '(no hover)';
  }

  test('a policy hover says what it adds and that policies add up', async () => {
    const text = await shown('cart-from-web', 'kind: NetworkPolicy\nmetadata:\n  name: ');
    assert.ok(
      text.includes(
        'Pods app=cart in storefront: this policy allows ingress of TCP port "grpc" from pods tier=frontend in storefront or pods app=checkout in storefront; TCP port "metric" from all pods in namespaces team=observabilty. ' +
          'Policies add up: the pods it selects accept whatever any policy selecting them allows, and nothing that none allows; this policy never takes away what another allows.',
      ),
      text,
    );
  });

  test('workload and Service hovers count the addresses that reach them', async () => {
    const apps = uri('storefront/apps.yaml');
    await client.open(apps, fs.readFileSync(path.join(EXAMPLES, 'storefront/apps.yaml'), 'utf8'));
    const text = async (find: string, after: string) =>
      ((await client.hover(apps, client.positionOf(apps, find, 1, after)))?.contents as { value: string }).value.replace(/\\(.)/g, '$1');
    assert.ok((await text('web', 'kind: Deployment\nmetadata:\n  name: ')).includes('Reachable from 0 other pods and the internet (0.0.0.0/0 except 10.0.0.0/8) · can reach 6 other pods'));
    assert.ok(
      (await text('web', 'kind: Service\nmetadata:\n  name: ')).includes(
        'Reachable from 0 pods and the internet (0.0.0.0/0 except 10.0.0.0/8) (policies apply to the endpoint pods after Service translation).',
      ),
    );
  });

  test('policyTypes names the isolated directions and the rules it makes Kubernetes ignore', async () => {
    assert.equal(
      await shown('policyTypes:', 'name: redis-from-cart'),
      'policyTypes: the 1 pod this policy selects is isolated for egress: only traffic some policy allows gets through in that direction.\n\n1 rule is ignored, written for a direction not listed here.',
    );
    assert.equal(
      await shown('policyTypes:', 'name: default-deny'),
      'policyTypes: the 8 pods this policy selects are isolated for ingress: only traffic some policy allows gets through in that direction.',
    );
  });

  test('ingress, egress, from, to and ports say what they do in this rule', async () => {
    assert.equal(await shown('ingress:', 'name: redis-from-cart'), 'ingress: ignored. policyTypes has no Ingress, so Kubernetes ignores this rule; add Ingress to policyTypes to apply it.');
    assert.equal(
      await shown('egress:', 'name: redis-from-cart'),
      'egress: 1 rule for traffic out of the 1 pod this policy selects.\n\nA connection is allowed when it matches any rule, of this or any other policy selecting the pod; each rule needs one of its to peers and one of its ports.',
    );
    assert.equal(
      await shown('from:', 'name: cart-from-web'),
      'from: ingress rule 1 admits traffic from any one of: pods tier=frontend in storefront; pods app=checkout in storefront.',
    );
    assert.equal(await shown('to:', 'name: redis-from-cart'), 'to: egress rule 1 admits traffic to any one of: pods k8s-app=kube-dns in namespaces kubernetes.io/metadata.name=kube-system.');
    assert.equal(
      await shown('ports:', 'name: cart-from-web'),
      'ports: ingress rule 1 admits only TCP port "grpc".\n\nA named port is looked up on the destination pod: the selected pods for ingress, the peers for egress.',
    );
  });
});
