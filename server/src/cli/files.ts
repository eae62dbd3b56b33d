/**
 * The CLI's file gathering: arguments may be files or directories.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorReason, readRegularFile } from '../regularFile.js';

// .conflist and .conf: CNI network configuration (other .conf files do not parse as JSON and stay silent).
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json', '.conflist', '.conf'];
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export class InputError extends Error {}

/**
 * Files larger than this are refused rather than read: the language server's
 * netlens.maxFileSize default is 5 MB; on the command line a generated bundle
 * can be bigger, but nothing a person wrote is 64 MiB of YAML.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The files to read, each once: `sf/svc.yaml ./sf/svc.yaml` (or a file and its
 * folder) names one file, which must not count twice.
 */
export function collectFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (err) {
      throw new InputError(`cannot read ${arg}: ${errorReason(err)}`);
    }
    if (stat.isDirectory()) walk(arg, out);
    else out.push(arg);
  }
  const seen = new Set<string>();
  return out.filter((file) => {
    const key = identity(file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One key per file on disk, whichever path (relative, `./`, through a symlink) names it. */
function identity(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function walk(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(`cannot read ${dir}: ${errorReason(err)}`);
  }
  const names = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIPPED_DIRS.has(d.name)) walk(full, out);
    } else if (d.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(d.name).toLowerCase())) {
      out.push(full);
    }
  }
}

/** A regular file's text; FIFOs, devices and oversized files are refused before anything is read. */
export function readText(file: string): string {
  const read = readRegularFile(file, MAX_FILE_BYTES);
  if (!read.ok) throw new InputError(`cannot read ${file}: ${read.reason}`);
  return read.text;
}
