/**
 * End-to-end tests' expectation files are not manifests: a chainsaw Test's
 * assert and error files, and kuttl-style `NN-assert`/`NN-errors` step files,
 * are partial objects matched against a cluster, never applied. On the
 * fixture operator repository (test/fixtures/e2e-expectations), the CLI and
 * the language server analyse the shipped manifests and the file the test
 * applies, and say nothing of the expectations; once the chainsaw Test is
 * gone, its files are manifests like any other.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspTestClient, uriOf, within } from './support/lspClient.js';
import { CLI, FIXTURES } from './support/paths.js';

const DIR = path.join(FIXTURES, 'e2e-expectations');
const APPLIED = 'tests/e2e/smoke/01-install-policy.yaml';
const EXPECTATIONS = ['tests/e2e/smoke/check-controller.yaml', 'tests/e2e/smoke/00-assert.yaml', 'tests/e2e/shared/no-open-policy.yaml', 'tests/kuttl/upgrade/00-assert.yaml', 'tests/kuttl/upgrade/01-errors.yaml'];

function check(dir: string): string[] {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', dir], { encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as { findings: Array<{ file: string; line: number; code: string }> };
  return report.findings.map((f) => `${path.relative(dir, f.file)}:${f.line} ${f.code}`);
}

test('check leaves the expectation files out and analyses what the test applies', () => {
  assert.deepEqual(check(DIR), [`${APPLIED}:9 cidr-invalid`]);
});

test('the language server says nothing on the expectation files, until the chainsaw Test that names them is gone', async () => {
  // A copy: the test removes the chainsaw Test.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-'));
  fs.cpSync(DIR, dir, { recursive: true });
  const client = await LspTestClient.start(dir);
  try {
    const applied = await within(20_000, 'the applied file', client.waitForDiagnostics(uriOf(path.join(dir, APPLIED)), (d) => d.length > 0));
    assert.deepEqual(applied.map((d) => d.code), ['cidr-invalid']);
    await client.waitForModel(uriOf(path.join(dir, 'app', 'operator.yaml')));
    for (const file of EXPECTATIONS) assert.deepEqual(client.diagnostics.get(uriOf(path.join(dir, file))) ?? [], [], file);

    const suite = path.join(dir, 'tests', 'e2e', 'smoke', 'chainsaw-test.yaml');
    fs.rmSync(suite);
    const podFile = uriOf(path.join(dir, 'tests', 'e2e', 'smoke', 'check-controller.yaml'));
    const nameless = client.waitForDiagnostics(podFile, (d) => d.length > 0);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(suite), type: 3 }] });
    assert.deepEqual((await within(20_000, 'the pod file as a manifest', nameless)).map((d) => d.code), ['object-invalid']);
    // The kuttl suite still stands: its step files stay silent.
    assert.deepEqual(client.diagnostics.get(uriOf(path.join(dir, 'tests', 'kuttl', 'upgrade', '00-assert.yaml'))) ?? [], []);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
