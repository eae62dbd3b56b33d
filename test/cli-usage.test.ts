/**
 * `netlens --help` and each command's `--help`: usage on stdout, exit 0;
 * no command at all is a usage error (exit 2).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CLI, REPO_ROOT } from './support/paths.js';

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

test('netlens --help lists the commands and exits 0', () => {
  for (const flag of ['--help', '-h', 'help']) {
    const r = run([flag]);
    assert.equal(r.status, 0, flag);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^usage:\n  netlens matrix .*\n  netlens check .*\n  netlens explain-code \[CODE\]\n  netlens COMMAND --help/m);
  }
});

test('netlens check --help and matrix --help print that command’s usage and exit 0', () => {
  const check = run(['check', '--help']);
  assert.equal(check.status, 0);
  assert.equal(check.stderr, '');
  assert.match(check.stdout, /^usage: netlens check \[--format text\|json\|sarif\] \[--fail-on error\|warning\|information\]\n/);
  assert.match(check.stdout, /Exits 1 when a finding is at or above --fail-on\n\(default: error\), 2 on bad usage/);
  const matrix = run(['matrix', 'examples/', '-h']);
  assert.equal(matrix.status, 0);
  assert.match(matrix.stdout, /^usage: netlens matrix \[--port N\]/);
  assert.doesNotMatch(matrix.stdout, /storefront/, 'help is printed instead of a matrix');
});

test('a --help after -- is a file name, not a request for help', () => {
  const r = run(['check', '--', '--help']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^netlens: .*--help/);
});

test('netlens without a command prints the usage and exits 2', () => {
  const r = run([]);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^usage:/);
});
