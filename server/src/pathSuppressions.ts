/**
 * The path rules of .netlens.yaml as lookups: file → codes `suppress` silences
 * there, and file → the severities `overrides` sets there. Shared by the
 * language server (uris) and the CLI (paths); each says how a file maps to a
 * path relative to the folder holding .netlens.yaml.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PathOverride, ProjectConfig } from './engine/projectConfig.js';
import type { RuleCode, Severity } from './engine/index.js';
import { compileGlob, matchesAny } from './globs.js';

export type PathSeverities = Readonly<Partial<Record<RuleCode, Severity | 'off'>>>;

export function codesForPath(config: ProjectConfig, configDir: string): (file: string) => readonly string[] {
  if (config.suppress.length === 0) return () => [];
  const rules = config.suppress.map((r) => ({ globs: r.paths.map(compileGlob), codes: r.codes }));
  return perFile(configDir, [], (relative) => rules.filter((r) => matchesAny(relative, r.globs)).flatMap((r) => r.codes));
}

/** The severities overrides set for a file; where several entries match, the later one wins, as in ESLint's overrides. */
export function severitiesForPath(config: ProjectConfig, configDir: string): (file: string) => PathSeverities {
  if (config.overrides.length === 0) return () => ({});
  const rules = config.overrides.map((r: PathOverride) => ({ globs: r.paths.map(compileGlob), severity: r.severity }));
  return perFile(configDir, {}, (relative) => Object.assign({}, ...rules.filter((r) => matchesAny(relative, r.globs)).map((r) => r.severity)) as PathSeverities);
}

/** A lookup by file, cached, answering `outside` for files not under configDir (and untitled: documents). */
function perFile<T>(configDir: string, outside: T, inside: (relative: string) => T): (file: string) => T {
  const cache = new Map<string, T>();
  return (file) => {
    let answer = cache.get(file);
    if (answer === undefined && /^[a-z][a-z0-9+.-]+:/i.test(file) && !file.startsWith('file:')) answer = outside;
    if (answer === undefined) {
      const absolute = file.startsWith('file:') ? fileURLToPath(file) : path.resolve(file);
      const relative = path.relative(configDir, absolute).split(path.sep).join('/');
      answer = relative.startsWith('..') ? outside : inside(relative);
      cache.set(file, answer);
    }
    return answer;
  };
}
