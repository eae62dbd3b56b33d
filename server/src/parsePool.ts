/**
 * The start-up parse on worker threads. Parsing YAML is most of a large workspace's first analysis and every
 * document parses on its own, so at start-up the files' chunks go in batches to the main thread and a few workers
 * (one per free core), and the workers' models come back as plain data (parseTransfer.ts). The workers end with the start-up parse: an edit later re-parses its
 * own file on the main thread, from the DocumentCache the results seed.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseChunks, splitDocuments, type DocumentChunk, type ManifestDocument } from './engine/manifests.js';
import { revive } from './parseTransfer.js';
import type { ParseReply, ParseRequest } from './parseWorker.js';

export interface ParseJob {
  readonly file: string;
  readonly text: string;
  readonly defaultNamespace: string;
}

/** A file's chunks and, for each, its documents as parseChunks built them. */
export interface ParsedFile {
  readonly chunks: readonly DocumentChunk[];
  readonly built: ReadonlyArray<ManifestDocument[] | undefined>;
}

/**
 * Below this many bytes the main thread parses faster than workers start (each loads the engine, about 0.1 s):
 * about 1,500 documents.
 */
const PARALLEL_PARSE_MIN_BYTES = 512 * 1024;

/** About 0.1 s of parsing: small enough to share the work out evenly, large enough that messages cost little. */
const BATCH_BYTES = 64 * 1024;

/**
 * How many workers should parse a workspace of this many bytes at start-up, beside the main thread; 0: the main
 * thread parses it alone. Workers cost CPU the main thread does not spend (measured at 10,000 documents: about
 * 40 % more for the share they parse: each worker's JIT starts cold, and the models are walked, copied and
 * revived), so they only pay when cores are idle: one per core beyond the main thread's that the load average
 * leaves free, at most 3. NETLENS_PARSE_WORKERS sets the count whatever the size and load (0: never), for tests
 * and measurements.
 */
export function parseWorkerCount(bytes: number): number {
  const configured = Number.parseInt(process.env['NETLENS_PARSE_WORKERS'] ?? '', 10);
  if (Number.isInteger(configured) && configured >= 0) return Math.min(configured, 16);
  if (bytes < PARALLEL_PARSE_MIN_BYTES) return 0;
  // os.loadavg() is [0, 0, 0] on Windows: every core counts as free there.
  const free = Math.floor(os.availableParallelism() - os.loadavg()[0]!);
  return Math.max(0, Math.min(free - 1, 3));
}

/**
 * Parses the jobs on `threads` workers and the main thread (which takes a batch at a time and lets messages
 * through in between, as indexing always did); `onParsed` gets each job's index with its chunks (splitDocuments of its
 * text) and what parseChunks built from them, as batches come back, in no particular order. Batches cut through
 * files, so one large file is shared out too. A file a worker could not send, or whose worker failed, is handed
 * back as undefined: the caller parses it itself. Returns how many batches there were, and how many the workers
 * parsed.
 */
export async function parseInWorkers(jobs: readonly ParseJob[], threads: number, onParsed: (index: number, parsed: ParsedFile | undefined) => void): Promise<{ batches: number; onWorkers: number }> {
  const chunks = jobs.map((job) => splitDocuments(job.text));
  const files = chunks.map((c) => ({ built: new Array<ManifestDocument[] | undefined>(c.length), parts: 0, failed: false }));
  const batches: Part[][] = [];
  let size = BATCH_BYTES;
  chunks.forEach((fileChunks, job) => {
    fileChunks.forEach((chunk, i) => {
      if (size >= BATCH_BYTES) {
        batches.push([]);
        size = 0;
      }
      const batch = batches[batches.length - 1]!;
      const last = batch[batch.length - 1];
      if (last?.job === job) last.to = i + 1;
      else {
        batch.push({ job, from: i, to: i + 1 });
        files[job]!.parts++;
      }
      size += chunk.text.length;
    });
  });
  const settle = (part: Part, built: Array<ManifestDocument[] | undefined> | undefined) => {
    const file = files[part.job]!;
    if (built === undefined) file.failed = true;
    else built.forEach((docs, i) => (file.built[part.from + i] = docs));
    if (--file.parts === 0) onParsed(part.job, file.failed ? undefined : { chunks: chunks[part.job]!, built: file.built });
  };
  let next = 0;
  let crossed = 0;
  const script = path.join(__dirname, 'parseWorker.js');
  const run = (): Promise<void> =>
    new Promise<void>((resolve) => {
      // The main thread's stack size (about 1 MB), so a document nested too deeply to read there is too deep here.
      const worker = new Worker(script, { resourceLimits: { stackSizeMb: 1 } });
      let current: Part[] | undefined;
      const send = () => {
        current = batches[next++];
        if (current === undefined) {
          void worker.terminate();
          return resolve();
        }
        const request: ParseRequest = {
          id: next,
          files: current.map((part) => ({ file: jobs[part.job]!.file, defaultNamespace: jobs[part.job]!.defaultNamespace, chunks: chunks[part.job]!.slice(part.from, part.to) })),
        };
        worker.postMessage(request);
      };
      worker.on('message', (reply: ParseReply) => {
        crossed++;
        revive(reply.revivals);
        current?.forEach((part, k) => settle(part, reply.built[k]));
        send();
      });
      const fail = () => {
        const lost = current ?? [];
        current = undefined;
        for (const part of lost) settle(part, undefined);
        resolve();
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      send();
    });
  // The main thread's share: no copy, no cold JIT.
  const here = async () => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      const parsed = batch.map((part) => parseHere(jobs[part.job]!, chunks[part.job]!.slice(part.from, part.to)));
      batch.forEach((part, k) => settle(part, parsed[k]));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  // Workers first: each has a batch to parse while it starts and the main thread parses its own.
  await Promise.all([...Array.from({ length: Math.min(threads, batches.length) }, run), here()]);
  // Batches no worker was left to take (every one failed).
  for (const batch of batches.slice(next)) for (const part of batch) settle(part, undefined);
  return { batches: batches.length, onWorkers: crossed };
}

function parseHere(job: ParseJob, chunks: readonly DocumentChunk[]): Array<ManifestDocument[] | undefined> | undefined {
  try {
    return parseChunks(job.file, chunks, { defaultNamespace: job.defaultNamespace });
  } catch {
    // parseChunks isolates each document; whatever else goes wrong, the file is parsed again the usual way.
    return undefined;
  }
}

/** A run of one file's chunks, [from, to). */
interface Part {
  readonly job: number;
  readonly from: number;
  to: number;
}
