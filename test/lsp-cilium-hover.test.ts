/**
 * Hovers on Cilium peers over real LSP: world and CIDR peers stand for
 * addresses outside the cluster, so the hover says a pod is never matched by
 * its IP there (test/fixtures/cilium/world.yaml; ship-a's pod IP is inside
 * the rule's CIDR).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { FIXTURES } from './support/paths.js';

const DIR = path.join(FIXTURES, 'cilium');
let client: LspTestClient;
before(async () => {
  client = await LspTestClient.start(DIR);
});
after(() => client.stop());

test('a hover on a Cilium world peer says it admits only addresses outside the cluster', async () => {
  const uri = uriOf(path.join(DIR, 'world.yaml'));
  await client.open(uri, fs.readFileSync(path.join(DIR, 'world.yaml'), 'utf8'));
  const h = await client.hover(uri, client.positionOf(uri, 'fromEntities: [world]', 'fromEntities: ['.length + 1));
  const value = (h?.contents as { value: string } | undefined)?.value ?? '';
  assert.match(value, /^\*\*Peer:\*\* any IPv4 address outside the cluster\n/);
  assert.match(value, /Admits only addresses outside the cluster: a pod is never matched by its IP here, only by its labels\./);
  assert.doesNotMatch(value, /ship-a/);
});
