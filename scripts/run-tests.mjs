// Runs every compiled *.test.js under out/test with node's built-in runner.
// (Node 20 treats every .js below a "test" directory as a test file, helpers
// included, so the files are listed explicitly.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = join(dir, d.name);
    if (d.isDirectory()) return find(full);
    return d.name.endsWith('.test.js') ? [full] : [];
  });
}

const only = process.argv.slice(2);
const files = find('out/test').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (files.length === 0) {
  console.error('no test files found under out/test');
  process.exit(1);
}
// Every test makes its scratch files under os.tmpdir(): point that at a fresh
// folder of this run and remove it afterwards, so no run leaves anything behind
// (workspaces, Chromium and code-server profiles, packaged .vsix files).
const scratch = mkdtempSync(join(tmpdir(), 'netlens-tests-'));
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env: { ...process.env, TMPDIR: scratch } });
try {
  rmSync(scratch, { recursive: true, force: true });
} catch {
  // A test's path deeper than PATH_MAX defeats Node's rmSync; rm walks it relative to each folder.
  spawnSync('rm', ['-rf', scratch], { stdio: 'inherit' });
}
process.exit(result.status ?? 1);
