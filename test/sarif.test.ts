/**
 * CI: `check --format sarif` validates against the SARIF 2.1.0 schema (shipped
 * as a fixture), fingerprints survive line shifts, baselines report only new
 * findings, --fail-on sets the exit code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RULES } from '../server/src/engine/index.js';
import { CLI, FIXTURES, REPO_ROOT } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

const check = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, 'check', ...args], { cwd, encoding: 'utf8' });

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }>;
  relatedLocations?: Array<{ physicalLocation: { artifactLocation: { uri: string } }; message: { text: string } }>;
  partialFingerprints: Record<string, string>;
}
interface SarifLog {
  version: string;
  runs: Array<{ tool: { driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string } }> } }; results: SarifResult[] }>;
}

const schema = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

test('check --format sarif on examples/ is valid SARIF 2.1.0 with one rule per code and regions, related locations, fingerprints', () => {
  const r = check(['--format', 'sarif', 'examples'], REPO_ROOT);
  assert.equal(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout) as SarifLog;
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const run = log.runs[0]!;
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.deepEqual([run.tool.driver.name, run.tool.driver.version], ['netlens', pkg.version]);
  assert.deepEqual(run.tool.driver.rules.map((x) => x.id), Object.keys(RULES));
  const json = JSON.parse(check(['--format', 'json', 'examples'], REPO_ROOT).stdout) as { findings: Array<{ file: string; line: number; column: number; code: string }> };
  assert.deepEqual(
    run.results.map((x) => `${x.locations[0]!.physicalLocation.artifactLocation.uri}:${x.locations[0]!.physicalLocation.region.startLine}:${x.locations[0]!.physicalLocation.region.startColumn} ${x.ruleId}`),
    json.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`),
  );
  for (const x of run.results) assert.equal(run.tool.driver.rules[x.ruleIndex]!.id, x.ruleId);
  const overlap = run.results.find((x) => x.ruleId === 'cluster-cidrs-overlap')!;
  assert.deepEqual(
    overlap.relatedLocations!.map((l) => l.physicalLocation.artifactLocation.uri),
    ['examples/cluster/calico.yaml', 'examples/cluster/kubeadm.yaml', 'examples/cluster/kubeadm.yaml'],
  );
  assert.equal(new Set(run.results.map((x) => x.partialFingerprints['netlensFinding/v1'])).size, run.results.length);
});

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: default}
spec:
  podSelector: {}
  ingress:
    - from: [{ipBlock: {cidr: 192.0.2.1/24}}]
`;

test('fingerprints survive lines inserted above; a baseline then reports only the new finding; --fail-on sets the exit code', () => {
  const dir = scratchWorkspace('sarif', { 'p.yaml': POLICIES });
  const before = JSON.parse(check(['--format', 'sarif', '.'], dir).stdout) as SarifLog;
  assert.equal(check(['--write-baseline', 'baseline.json', '.'], dir).status, 0, 'warnings only');
  const baseline = JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { findings: Array<{ code: string; file: string }> };
  assert.deepEqual(baseline.findings.map((f) => `${f.file} ${f.code}`), ['p.yaml pods-not-in-workspace', 'p.yaml cidr-not-canonical']);

  fs.writeFileSync(path.join(dir, 'p.yaml'), `# owner: team-a\n# reviewed\n${POLICIES}    - from: [{ipBlock: {cidr: 192.0.2.0/40}}]\n`);
  const after = JSON.parse(check(['--format', 'sarif', '.'], dir).stdout) as SarifLog;
  const prints = (log: SarifLog) => log.runs[0]!.results.map((x) => `${x.ruleId} ${x.partialFingerprints['netlensFinding/v1']}`);
  assert.deepEqual(prints(after).slice(0, 2), prints(before), 'same findings, two lines lower, same fingerprints');
  assert.deepEqual(after.runs[0]!.results.slice(0, 2).map((x) => x.locations[0]!.physicalLocation.region.startLine), [7, 9]);

  const fresh = check(['--format', 'json', '--baseline', 'baseline.json', '.'], dir);
  assert.equal(fresh.status, 1, 'the new finding is an error');
  assert.deepEqual((JSON.parse(fresh.stdout) as { findings: Array<{ code: string; line: number }> }).findings.map((f) => `${f.line} ${f.code}`), ['10 cidr-invalid']);

  fs.writeFileSync(path.join(dir, 'p.yaml'), POLICIES);
  assert.equal(check(['--fail-on', 'error', '.'], dir).status, 0);
  assert.equal(check(['--fail-on', 'warning', '.'], dir).status, 1);
  assert.equal(check(['--fail-on', 'warning', '--baseline', 'baseline.json', '.'], dir).status, 0);
  const bad = check(['--fail-on', 'hint', '.'], dir);
  assert.deepEqual([bad.status, bad.stderr.trim()], [2, 'netlens: --fail-on must be error, warning or information, not hint']);
  fs.writeFileSync(path.join(dir, 'not-a-baseline.json'), '[1, 2]');
  const wrong = check(['--baseline', 'not-a-baseline.json', 'p.yaml'], dir);
  assert.deepEqual([wrong.status, wrong.stderr.trim()], [2, 'netlens: --baseline not-a-baseline.json is not JSON written by --write-baseline']);
});
