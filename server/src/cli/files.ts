/**
 * The CLI's file gathering: arguments may be files or directories.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// .conflist and .conf: CNI network configuration (other .conf files do not parse as JSON and stay silent).
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json', '.conflist', '.conf'];
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export class InputError extends Error {}

export function collectFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new InputError(`cannot read ${arg}: no such file or directory`);
    }
    if (stat.isDirectory()) walk(arg, out);
    else out.push(arg);
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  const names = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIPPED_DIRS.has(d.name)) walk(full, out);
    } else if (d.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(d.name).toLowerCase())) {
      out.push(full);
    }
  }
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file}: ${code === 'EISDIR' ? 'is a directory' : code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}
