/**
 * A worker thread of the start-up parse (parsePool.ts): runs of files' chunks in, each chunk's documents built
 * as parseManifestFile builds them, out. It reads nothing from disk and keeps nothing between files.
 */
import { parentPort } from 'node:worker_threads';
import { parseChunks, type DocumentChunk, type ManifestDocument } from './engine/manifests.js';
import { prepareTransfer, type Revivals } from './parseTransfer.js';

export interface ParseRequest {
  readonly id: number;
  /** Runs of files' chunks (splitDocuments), each with its file's name and default namespace. */
  readonly files: ReadonlyArray<{ readonly file: string; readonly defaultNamespace: string; readonly chunks: readonly DocumentChunk[] }>;
}

export interface ParseReply {
  readonly id: number;
  /** Per run of the request: its chunks' documents, or undefined when the main thread must parse the file. */
  readonly built: Array<Array<ManifestDocument[] | undefined> | undefined>;
  readonly revivals: Revivals;
}

// Objects already sent: a later file reaching one of them is parsed on the main thread (see prepareTransfer).
const sent = new WeakSet<object>();

parentPort?.on('message', (request: ParseRequest) => {
  const revivals: Revivals = { objects: [], classes: [] };
  const built = request.files.map((f) => {
    try {
      const chunks = parseChunks(f.file, f.chunks, { defaultNamespace: f.defaultNamespace });
      return prepareTransfer(chunks, sent, revivals) ? chunks : undefined;
    } catch {
      // parseChunks isolates each document; whatever else goes wrong, the main thread parses the file as before.
      return undefined;
    }
  });
  const reply: ParseReply = { id: request.id, built, revivals };
  parentPort!.postMessage(reply);
});
