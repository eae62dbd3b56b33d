/**
 * Code lenses that tell the whole story, through the real server on
 * examples/: addresses outside the pods that rules admit are counted beside
 * the pods, and egress policies say what they allow out.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { REPO_ROOT } from './support/paths.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const uri = (rel: string) => uriOf(path.join(EXAMPLES, rel));

describe('lenses count external reachers and egress', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start(EXAMPLES);
    await client.waitForDiagnostics(uri('storefront/policies.yaml'), (ds) => ds.length > 0);
  });
  after(() => client.stop());

  /** Lens titles of a file, keyed by the 1-based line they sit on. */
  async function titles(rel: string): Promise<Map<number, string>> {
    const lenses = (await client.codeLenses(uri(rel))) ?? [];
    return new Map(lenses.map((l) => [l.range.start.line + 1, l.command!.title]));
  }

  test('a workload and its Service open to the internet say so beside "0 pods"', async () => {
    const apps = await titles('storefront/apps.yaml');
    assert.equal(apps.get(2), 'reachable from 0 pods · the internet (0.0.0.0/0 except 10.0.0.0/8) · can reach 6 pods');
    assert.equal(apps.get(80), '3 endpoints · reachable from 0 pods · the internet (0.0.0.0/0 except 10.0.0.0/8)');
    // Isolated and admitting no address: nothing is added.
    assert.equal(apps.get(21), 'reachable from 5 pods · can reach 4 pods');
  });

  test('pods no policy isolates are reachable from any address', async () => {
    const apps = await titles('observability/apps.yaml');
    assert.equal(apps.get(21), 'reachable from 10 pods · any address · can reach 5 pods');
  });

  test('policies name the addresses they admit, and egress policies what they allow out', async () => {
    const store = await titles('storefront/policies.yaml');
    assert.equal(store.get(11), 'selects 3 pods · allows ingress from 0 pods · the internet (0.0.0.0/0 except 10.0.0.0/8)');
    assert.equal(store.get(51), 'selects 1 pod · allows egress to 2 pods');
    const pay = await titles('payments/policies.yaml');
    assert.equal(pay.get(1), 'selects 9 pods · denies all ingress · denies all egress');
    assert.equal(pay.get(80), 'selects 1 pod · allows egress to 3 pods · 10.244.3.0/24');
  });
});
