/**
 * One spelling per file. VS Code percent-encodes characters in file URIs that
 * Node's pathToFileURL leaves alone (`( ) + @ , = ' ; : ! ~`), so the same file
 * reaches the server as two different strings: one from the editor, one from
 * the folder scan and the file watcher. Every URI the server keeps or looks up
 * goes through normalUri first.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Every lookup passes through here (diagnostics ask once per finding): remember the answers. */
const known = new Map<string, string>();

export function normalUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  let normal = known.get(uri);
  if (normal === undefined) {
    if (known.size > 100_000) known.clear();
    known.set(uri, (normal = toNormal(uri)));
  }
  return normal;
}

function toNormal(uri: string): string {
  try {
    return pathToFileURL(fileURLToPath(uri)).toString();
  } catch {
    // Not a valid file URI (a host on POSIX, say): nothing reads it from disk, keep it as given.
    return uri;
  }
}

/** The normal URI of an absolute path. */
export function uriOf(file: string): string {
  return normalUri(pathToFileURL(file).href);
}

/** The path of a file: URI; undefined for other schemes and malformed URIs. */
export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
