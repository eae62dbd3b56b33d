/**
 * The base version of the manifests, read by the real git binary: the files
 * under the given paths as they are at a ref, without touching the work tree.
 * For `netlens diff` and the server's what-if request alike.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { InputError, MANIFEST_EXTENSIONS } from './cli/files.js';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new InputError('git is not installed (netlens diff reads the base version with git)');
    throw new InputError(`git ${args[0]}: ${String(e.stderr ?? err).trim().split('\n')[0]}`);
  }
}

/** The commit a ref names, to tell whether a cached base is still current. */
export function resolveRef(ref: string, cwd: string): string {
  return git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
}

/** Files under `paths` (relative to the working directory) at `ref`, named as the working directory sees them. */
export function filesAtRef(ref: string, paths: readonly string[], cwd = process.cwd()): Array<{ file: string; text: string }> {
  const root = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const rels = paths.map((p) => path.relative(root, path.resolve(cwd, p)) || '.');
  const names = git(root, ['ls-tree', '-r', '-z', '--name-only', ref, '--', ...rels])
    .split('\0')
    .filter((n) => n !== '' && MANIFEST_EXTENSIONS.includes(path.extname(n).toLowerCase()) && !n.split('/').some((part) => part === 'node_modules'));
  return names.map((name) => ({ file: path.relative(cwd, path.join(root, name)), text: git(root, ['cat-file', 'blob', `${ref}:${name}`]) }));
}
