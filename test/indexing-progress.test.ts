/**
 * Indexing a large workspace, as the editor sees it: work-done progress
 * reports that arrive while indexing goes on (not queued to the end), and a
 * cancel that stops it with the files read so far kept.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INDEXED, type IndexedParams } from '../server/src/requests.js';
import { generateCluster } from './support/generateCluster.js';
import { LspTestClient, within } from './support/lspClient.js';

describe('indexing progress', { timeout: 240_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-indexing-'));
  const files = generateCluster({ workloads: 600, policies: 300, perFile: 2, seed: 3 });
  before(() => {
    for (const f of files) fs.writeFileSync(path.join(dir, f.file), f.text);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const indexed = (client: LspTestClient) => within(200_000, 'indexed', new Promise<IndexedParams>((resolve) => client.connection.onNotification(INDEXED, resolve)));

  test('reports arrive while the workspace is read, in order', async () => {
    const client = await LspTestClient.start(dir);
    try {
      const result = await indexed(client);
      assert.equal(result.files, files.length);
      const kinds = client.progress.map((p) => p.value.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds.at(-1), 'end');
      const reports = client.progress.filter((p) => p.value.kind === 'report');
      assert.ok(reports.length >= 2, `${reports.length} reports`);
      const percentages = reports.map((r) => r.value.percentage!);
      assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b));
      // Sent as indexing goes: the first report is seen well before the end, not in one burst with it.
      const end = client.progress.at(-1)!.at;
      assert.ok(end - reports[0]!.at >= 100, `first report ${(end - reports[0]!.at).toFixed(0)} ms before the end`);
    } finally {
      await client.stop();
    }
  });

  test('a cancel stops indexing and keeps the files read so far', async () => {
    const client = await LspTestClient.start(dir);
    try {
      const done = indexed(client);
      await within(200_000, 'first report', (async () => {
        while (!client.progress.some((p) => p.value.kind === 'report')) await new Promise((r) => setTimeout(r, 5));
      })());
      const token = client.progress[0]!.token;
      await client.connection.sendNotification('window/workDoneProgress/cancel', { token });
      const result = await done;
      assert.ok(result.files > 0 && result.files < files.length, `${result.files} of ${files.length} files indexed`);
      assert.ok(client.logs.some((l) => l.includes('indexing cancelled after')), client.logs.join('\n'));
      assert.equal(client.progress.at(-1)!.value.kind, 'end');
    } finally {
      await client.stop();
    }
  });
});
