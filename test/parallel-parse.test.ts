/**
 * The start-up parse on worker threads (server/src/parsePool.ts) against the
 * main thread's: what crosses the thread boundary (parseTransfer.ts) must come
 * back as the very models parseManifestFile builds, classes and all, for every
 * file of the examples, the fixtures, the corpus and a generated cluster; the
 * DocumentCache the results seed must serve later edits as after a parse
 * here; and a server that parses on workers (one large file shared out
 * between them too) must publish exactly the diagnostics of one that does
 * not, before and after an edit.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DocumentCache, manifestOfChunks, parseChunks, parseManifestFile, splitDocuments } from '../server/src/engine/manifests.js';
import { isManifestPath } from '../server/src/fileScan.js';
import { prepareTransfer, revive, type Revivals } from '../server/src/parseTransfer.js';
import { generateCluster } from './support/generateCluster.js';
import { LspTestClient, uriOf, within } from './support/lspClient.js';
import { CORPUS, FIXTURES, REPO_ROOT } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

function manifestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? manifestFiles(full) : isManifestPath(e.name) ? [full] : [];
  });
}

/** What a worker sends for a file and the main thread takes in: undefined when the file must be parsed here. */
function acrossThreads(file: string, text: string, sent: WeakSet<object>): ReturnType<typeof parseChunks> | undefined {
  const chunks = parseChunks(file, splitDocuments(text));
  const revivals: Revivals = { objects: [], classes: [] };
  if (!prepareTransfer(chunks, sent, revivals)) return undefined;
  // The algorithm postMessage uses.
  const arrived = structuredClone({ chunks, revivals });
  revive(arrived.revivals);
  return arrived.chunks;
}

describe('parsing on worker threads', () => {
  test('every model that crosses is the one parseManifestFile builds; the others are parsed on the main thread', () => {
    const sources = [path.join(REPO_ROOT, 'examples'), FIXTURES, ...(CORPUS ? [CORPUS] : [])].flatMap(manifestFiles).map((f) => ({ file: uriOf(f), text: fs.readFileSync(f, 'utf8') }));
    sources.push(...generateCluster({ workloads: 300, policies: 150, perFile: 10, seed: 3, clusterConfig: true }).map((f) => ({ file: `file:///generated/${f.file}`, text: f.text })));
    const sent = new WeakSet<object>();
    let crossed = 0;
    let revived = 0;
    let kept = 0;
    for (const { file, text } of sources) {
      const chunks = acrossThreads(file, text, sent);
      if (chunks === undefined) {
        kept++;
        continue;
      }
      crossed++;
      const manifest = manifestOfChunks(file, chunks);
      if (JSON.stringify(manifest, (_, v: unknown) => (typeof v === 'bigint' ? 0 : v)).includes('"ranges"')) revived++;
      // Strict deep equality compares prototypes too: a CIDR value that came back as a plain object fails here.
      assert.deepStrictEqual(manifest, parseManifestFile(file, text), file);
    }
    assert.ok(crossed > 100, `${crossed} files crossed`);
    assert.ok(revived > 0, 'some crossed files hold CIDR values');
    // Calico selectors keep closures: those files stay on the main thread.
    assert.ok(kept > 0, 'some files are parsed on the main thread');
  });

  test('an object an earlier file sent is not sent again (a copy would lose its identity)', () => {
    const shared = { kind: 'shared' };
    const revivals: Revivals = { objects: [], classes: [] };
    const sent = new WeakSet<object>();
    assert.equal(prepareTransfer([{ a: shared }], sent, revivals), true);
    assert.equal(prepareTransfer([{ b: shared }], sent, revivals), false);
    assert.equal(prepareTransfer([{ f: () => 1 }], sent, revivals), false);
  });

  test('a cache seeded from a worker serves edits as one filled by parseManifestFile: untouched documents are kept', () => {
    const [file] = generateCluster({ workloads: 30, policies: 15, perFile: 0, seed: 5 });
    const uri = 'file:///one.yaml';
    const chunks = acrossThreads(uri, file!.text, new WeakSet())!;
    const seeded = new DocumentCache(false);
    seeded.seed(splitDocuments(file!.text), 'default', chunks);
    const before = manifestOfChunks(uri, chunks);
    const at = file!.text.lastIndexOf('app: ');
    const edited = `${file!.text.slice(0, at)}app: edited-${file!.text.slice(at + 'app: '.length)}`;
    const after = parseManifestFile(uri, edited, {}, seeded);
    assert.deepStrictEqual(after, parseManifestFile(uri, edited));
    const kept = after.documents.filter((d) => before.documents.includes(d)).length;
    assert.ok(kept >= after.documents.length - 2, `${kept} of ${after.documents.length} documents kept`);
  });

  test('a server parsing on workers publishes what one parsing on its main thread does, before and after an edit', async () => {
    const files: Record<string, string> = {};
    for (const f of manifestFiles(path.join(REPO_ROOT, 'examples'))) files[path.relative(REPO_ROOT, f)] = fs.readFileSync(f, 'utf8');
    for (const f of generateCluster({ workloads: 200, policies: 100, perFile: 10, seed: 9, clusterConfig: true })) files[`generated/${f.file}`] = f.text;
    // One file larger than a batch: its chunks are shared out between workers and joined again.
    for (const f of generateCluster({ workloads: 200, policies: 100, perFile: 0, seed: 11 })) files[`one-file/${f.file}`] = f.text;
    const dir = scratchWorkspace('parallel-parse', files);
    const target = Object.keys(files).find((f) => files[f]!.includes('cidr: 10.0.0.0/8'))!;
    const run = async (workers: string) => {
      const before = process.env['NETLENS_PARSE_WORKERS'];
      process.env['NETLENS_PARSE_WORKERS'] = workers;
      const client = await LspTestClient.start(dir, { settleDelay: 0 });
      if (before === undefined) delete process.env['NETLENS_PARSE_WORKERS'];
      else process.env['NETLENS_PARSE_WORKERS'] = before;
      try {
        await within(60_000, 'indexing', new Promise<void>((resolve) => client.connection.onNotification('netlens/indexed', () => resolve())));
        const first = new Map(client.diagnostics);
        const uri = uriOf(path.join(dir, target));
        await client.open(uri, files[target]!);
        const published = client.nextDiagnostics(uri);
        await client.replace(uri, '10.0.0.0/8', '10.0.0.1/8');
        return { first, edited: await within(30_000, 'diagnostics after the edit', published), logs: client.logs.join('\n') };
      } finally {
        await client.stop();
      }
    };
    const here = await run('0');
    const workers = await run('2');
    const shared = /parsed (\d+) of (\d+) batches on 2 worker thread\(s\)/.exec(workers.logs);
    assert.ok(shared && Number(shared[1]) > 0, `the workers parsed some of the batches: ${shared?.[0]}`);
    assert.doesNotMatch(here.logs, /worker thread/);
    assert.ok(here.first.size > 5, `${here.first.size} files with diagnostics`);
    assert.deepStrictEqual(workers.first, here.first);
    assert.ok(here.edited.some((d) => d.code === 'cidr-not-canonical'));
    assert.deepStrictEqual(workers.edited, here.edited);
  });
});
