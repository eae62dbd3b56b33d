/**
 * The `suppress` rules of .netlens.yaml as a lookup: file → codes silenced
 * there. Shared by the language server (uris) and the CLI (paths); each says
 * how a file maps to a path relative to the folder holding .netlens.yaml.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectConfig } from './engine/projectConfig.js';
import { compileGlob, matchesAny } from './globs.js';


export function codesForPath(config: ProjectConfig, configDir: string): (file: string) => readonly string[] {
  if (config.suppress.length === 0) return () => [];
  const rules = config.suppress.map((r) => ({ globs: r.paths.map(compileGlob), codes: r.codes }));
  const cache = new Map<string, readonly string[]>();
  return (file) => {
    let codes = cache.get(file);
    if (codes === undefined && /^[a-z][a-z0-9+.-]+:/i.test(file) && !file.startsWith('file:')) codes = []; // untitled: and the like
    if (codes === undefined) {
      const absolute = file.startsWith('file:') ? fileURLToPath(file) : path.resolve(file);
      const relative = path.relative(configDir, absolute).split(path.sep).join('/');
      codes = relative.startsWith('..') ? [] : rules.filter((r) => matchesAny(relative, r.globs)).flatMap((r) => r.codes);
      cache.set(file, codes);
    }
    return codes;
  };
}
