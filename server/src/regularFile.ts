/**
 * Reading a workspace file that anyone may have crafted: only a regular file,
 * and only when its size is known and bounded before a byte is read. A FIFO
 * would block the reader until something writes to it, and /dev/zero (behind a
 * symlink named zero.yaml) never ends; both are refused without reading.
 */
import * as fs from 'node:fs';

export type FileRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

// Opening a FIFO for reading blocks until a writer appears, unless non-blocking (Linux, macOS; Windows has no FIFOs here).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export function readRegularFile(file: string, maxBytes: number): FileRead {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    return { ok: false, reason: errorReason(err) };
  }
  try {
    // fstat of the opened descriptor, not stat of the name: the file cannot be swapped in between.
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, reason: 'is a directory' };
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stat.size > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes (${stat.size})` };
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    // A file that grows while read is cut at its size when opened; one that shrinks ends early.
    while (read < stat.size) {
      const n = fs.readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, text: buffer.toString('utf8', 0, read) };
  } catch (err) {
    return { ok: false, reason: errorReason(err) };
  } finally {
    fs.closeSync(fd);
  }
}

export function errorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENAMETOOLONG': return 'the path is too long';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return err instanceof Error ? err.message : String(err);
  }
}
