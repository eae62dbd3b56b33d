/**
 * The engine stays a pure library: no editor or LSP packages, no file system,
 * no processes, no network. The CLI and the server do the I/O.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './support/paths.js';

const FORBIDDEN = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads|os))$/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? sources(full) : d.name.endsWith('.ts') ? [full] : [];
  });
}

test('engine modules import no editor, LSP or I/O modules', () => {
  const files = sources(path.join(REPO_ROOT, 'server', 'src', 'engine'));
  assert.ok(files.length > 5);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      assert.doesNotMatch(spec, FORBIDDEN, `${path.relative(REPO_ROOT, file)} imports ${spec}`);
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        assert.ok(target.startsWith(path.join(REPO_ROOT, 'server', 'src', 'engine')), `${path.relative(REPO_ROOT, file)} reaches outside the engine: ${spec}`);
      }
    }
  }
});
