/**
 * The start-up parse on worker threads. Parsing YAML is most of a large workspace's first analysis and every file
 * parses on its own, so at start-up the files' texts go to a few workers (one per core) in batches, and the models
 * come back as plain data (parseTransfer.ts). The workers end with the start-up parse: an edit later re-parses its
 * own file on the main thread, from the DocumentCache the results seed.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ManifestDocument } from './engine/manifests.js';
import { revive } from './parseTransfer.js';
import type { ParseReply, ParseRequest } from './parseWorker.js';

export interface ParseJob {
  readonly file: string;
  readonly text: string;
  readonly defaultNamespace: string;
}

/** Each chunk's documents, as parseChunks returns them; undefined: parse the file on the main thread. */
export type ParsedChunks = Array<ManifestDocument[] | undefined> | undefined;

/**
 * Below this many bytes the main thread parses faster than workers start (each loads the engine, about 0.1 s):
 * about 1,500 documents.
 */
const PARALLEL_PARSE_MIN_BYTES = 512 * 1024;

/** About 0.1 s of parsing: small enough to share the work out evenly, large enough that messages cost little. */
const BATCH_BYTES = 64 * 1024;

/**
 * How many workers should parse a workspace of this many bytes at start-up; 0: the main thread parses it.
 * Workers cost CPU the main thread does not spend (measured at 10,000 documents: about 40 % more in all, each
 * worker's JIT starts cold, and the models are walked, copied and revived), so they only pay when cores are idle:
 * one per core that the load average leaves free, at most 4, and none unless two are free.
 * NETLENS_PARSE_WORKERS sets the count whatever the size and load (0: never), for tests and measurements.
 */
export function parseWorkerCount(bytes: number): number {
  const configured = Number.parseInt(process.env['NETLENS_PARSE_WORKERS'] ?? '', 10);
  if (Number.isInteger(configured) && configured >= 0) return Math.min(configured, 16);
  if (bytes < PARALLEL_PARSE_MIN_BYTES) return 0;
  // os.loadavg() is [0, 0, 0] on Windows: every core counts as free there.
  const free = Math.floor(os.availableParallelism() - os.loadavg()[0]!);
  return free < 2 ? 0 : Math.min(free, 4);
}

/**
 * Parses the jobs on `threads` workers; `onParsed` gets each job's index and chunks as batches come back (in no
 * particular order). A worker that fails hands its batch back as undefined: the caller parses those itself.
 */
export async function parseInWorkers(jobs: readonly ParseJob[], threads: number, onParsed: (index: number, chunks: ParsedChunks) => void): Promise<void> {
  const batches: number[][] = [];
  let size = BATCH_BYTES;
  jobs.forEach((job, i) => {
    if (size >= BATCH_BYTES) {
      batches.push([]);
      size = 0;
    }
    batches[batches.length - 1]!.push(i);
    size += job.text.length;
  });
  let next = 0;
  const script = path.join(__dirname, 'parseWorker.js');
  const run = (): Promise<void> =>
    new Promise<void>((resolve) => {
      // The main thread's stack size (about 1 MB), so a document nested too deeply to read there is too deep here.
      const worker = new Worker(script, { resourceLimits: { stackSizeMb: 1 } });
      let current: number[] | undefined;
      const finish = () => {
        void worker.terminate();
        resolve();
      };
      const send = () => {
        current = batches[next++];
        if (current === undefined) return finish();
        const request: ParseRequest = { id: next, files: current.map((i) => jobs[i]!) };
        worker.postMessage(request);
      };
      worker.on('message', (reply: ParseReply) => {
        revive(reply.revivals);
        current?.forEach((job, k) => onParsed(job, reply.built[k]));
        send();
      });
      const fail = () => {
        const lost = current ?? [];
        current = undefined;
        for (const job of lost) onParsed(job, undefined);
        resolve();
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      send();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, batches.length)) }, run));
  // Batches no worker was left to take (every one failed).
  for (const batch of batches.slice(next)) for (const job of batch) onParsed(job, undefined);
}
