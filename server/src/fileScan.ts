/**
 * Finding the workspace's manifests on disk at start-up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileGlob, matchesAny } from './globs.js';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json', '.conflist', '.conf'];

export function isManifestPath(p: string): boolean {
  return MANIFEST_EXTENSIONS.includes(path.extname(p).toLowerCase());
}

export interface ScannedFile {
  readonly uri: string;
  readonly path: string;
  readonly size: number;
}

/** Manifest files under a folder, skipping excluded paths; never follows symlinked folders (no loops). */
export function scanFolder(root: string, excludes: readonly string[]): ScannedFile[] {
  const globs = excludes.map(compileGlob);
  const out: ScannedFile[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (matchesAny(rel, globs)) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && isManifestPath(e.name)) {
        try {
          out.push({ uri: pathToFileURL(full).toString(), path: full, size: fs.statSync(full).size });
        } catch {
          // Vanished between readdir and stat: nothing to index.
        }
      }
    }
  };
  walk(root);
  return out;
}
