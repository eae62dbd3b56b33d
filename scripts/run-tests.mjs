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
// Line coverage for a whole run (NETLENS_COVERAGE=1 asks for it on a subset, 0 turns it off): every node process the
// tests start inherits NODE_V8_COVERAGE and writes its counts there; they are mapped to the sources at the end.
const coverage = process.env.NETLENS_COVERAGE === '1' || (only.length === 0 && process.env.NETLENS_COVERAGE !== '0') ? join(scratch, 'v8-coverage') : undefined;
const env = { ...process.env, TMPDIR: scratch, ...(coverage === undefined ? {} : { NODE_V8_COVERAGE: coverage }) };
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
if (coverage !== undefined) {
  // A report, never a verdict: whatever goes wrong here leaves the run's exit status alone.
  try {
    const { summarizeCoverage, formatCoverage } = await import('./coverage.mjs');
    const started = Date.now();
    const lines = formatCoverage(summarizeCoverage(coverage, process.cwd()).areas);
    console.log(`\nline coverage (V8, mapped to TypeScript; ${only.length === 0 ? 'whole suite' : `only ${only.join(', ')}`}; ${Date.now() - started} ms):`);
    for (const line of lines) console.log(`  ${line}`);
  } catch (err) {
    console.log(`\nline coverage not computed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
try {
  rmSync(scratch, { recursive: true, force: true });
} catch {
  // A test's path deeper than PATH_MAX defeats Node's rmSync; rm walks it relative to each folder.
  spawnSync('rm', ['-rf', scratch], { stdio: 'inherit' });
}
process.exit(result.status ?? 1);
