/**
 * Helm charts through the real CLI, rendered by the STAND-IN helm of
 * test/fixtures/helm (helm is not installable on the test machines): the
 * findings land at the same YAML path in the templates (the kind: line for
 * what an action wrote whole), --helm-values reaches helm,
 * and without helm the chart is one information finding on Chart.yaml.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, FIXTURES } from './support/paths.js';

const DIR = path.join(FIXTURES, 'helm');
const STAND_IN_HELM = path.join(DIR, 'stand-in-helm.js');

function check(...flags: string[]): string[] {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...flags, DIR], { encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as { findings: Array<{ file: string; line: number; column: number; code: string; severity: string }> };
  return report.findings.map((f) => `${path.relative(DIR, f.file)}:${f.line}:${f.column} ${f.severity} ${f.code}`);
}

test('check renders a chart with --helm and reports on the template lines', () => {
  // The chart's Deployment runs in shop, so shop needs no Namespace object of its own; no namespace practises default-deny.
  // policy.yaml's peer is at the same YAML path in the template (line 10); scrape-policy.yaml's whole rule is one action, so its peer is named on the kind line.
  const scrape = 'chart/templates/scrape-policy.yaml:2:1 warning peer-selects-no-pods';
  assert.deepEqual(check('--helm', STAND_IN_HELM), ['chart/templates/policy.yaml:10:11 warning peer-selects-no-pods', scrape]);
  // prod-values.yaml points the peer at the Deployment's pods.
  assert.deepEqual(check('--helm', STAND_IN_HELM, '--helm-values', 'prod-values.yaml'), [scrape]);
});

test('without helm, the chart is one information finding on Chart.yaml', () => {
  assert.deepEqual(check('--helm', path.join(DIR, 'no-such-helm')), ['chart/Chart.yaml:1:1 information helm-chart-not-rendered']);
  assert.deepEqual(check('--helm', 'none'), []);
});
