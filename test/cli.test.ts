/**
 * The `netlens` CLI as a user runs it: a child process, real files.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_DENY_WITH_REPLICAS } from './support/fixtures.js';
import { diffFindings, parseMarkers } from './support/markers.js';
import { CLI, REPO_ROOT } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

function run(args: string[], cwd = REPO_ROOT) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
}

const tmpWorkspace = (files: Record<string, string>) => scratchWorkspace('cli', files);

const TWO_PODS_DENY = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: demo, labels: {app: client}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: demo, labels: {app: server}}
spec: {containers: [{name: s, image: i, ports: [{name: http, containerPort: 80}, {name: dns, containerPort: 53, protocol: UDP}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: server, namespace: demo}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: client}}}]
      ports: [{port: http}]
`;

test('matrix --json prints exactly pods and allowed', () => {
  const dir = tmpWorkspace({ 'a.yaml': TWO_PODS_DENY });
  const out = execFileSync(process.execPath, [CLI, 'matrix', '--json', '--port', '80', path.join(dir, 'a.yaml')], { encoding: 'utf8' });
  const parsed = JSON.parse(out);
  assert.deepEqual(Object.keys(parsed), ['pods', 'allowed']);
  assert.deepEqual(parsed, {
    pods: ['demo/client', 'demo/server'],
    // server → server: a pod can always reach itself, whatever its policies say.
    allowed: [
      [true, true],
      [true, true],
    ],
  });
  assert.equal(out.trim(), JSON.stringify(parsed));
});

test('matrix honours --protocol, and defaults to any declared port', () => {
  const dir = tmpWorkspace({ 'a.yaml': TWO_PODS_DENY });
  const udp = JSON.parse(run(['matrix', '--json', '--port', '53', '--protocol', 'UDP', dir]).stdout);
  assert.deepEqual(udp.allowed, [
    [true, false],
    [true, true],
  ]);
  const any = JSON.parse(run(['matrix', '--json', dir]).stdout);
  // client → server: allowed on http (80/TCP), one of the ports the server declares.
  // server → client: the client declares no ports and is not isolated, so any port works.
  assert.deepEqual(any.allowed, [
    [true, true],
    [true, true],
  ]);
});

test('matrix without --json prints a readable table', () => {
  const dir = tmpWorkspace({ 'a.yaml': TWO_PODS_DENY });
  const r = run(['matrix', '--port', '80', dir]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Reachability on 80\/TCP/);
  assert.equal(
    r.stdout,
    [
      'Reachability on 80/TCP (row = source, column = destination)',
      '               1 2',
      '1. demo/client = ✓',
      '2. demo/server ✓ =',
      '4 of 4 pairs allowed.',
      '= a pod reaching itself (always allowed); a workload of several pods shows its replicas reaching each other.',
      '',
    ].join('\n'),
  );
});


test('under default-deny a single pod reaches only itself; a 3-replica Deployment and a DaemonSet do not reach their own other pods', () => {
  const dir = tmpWorkspace({ 'a.yaml': DEFAULT_DENY_WITH_REPLICAS });
  const json = JSON.parse(run(['matrix', '--json', dir]).stdout);
  assert.deepEqual(json, {
    pods: ['app/solo', 'app/web', 'app/one', 'app/agent'],
    allowed: [
      [true, false, false, false],
      [false, false, false, false],
      [false, false, true, false],
      [false, false, false, false],
    ],
  });
  const table = run(['matrix', '--port', '80', dir]).stdout.split('\n');
  assert.deepEqual(table.slice(2, 6), ['1. app/solo  = · · ·', '2. app/web   · · · ·', '3. app/one   · · = ·', '4. app/agent · · · ·']);
  assert.equal(table[6], '2 of 16 pairs allowed.');
});

test('workloads count once per workload, named after it', () => {
  const dir = tmpWorkspace({
    'w.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 5
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: i}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: nightly}}
        spec: {containers: [{name: n, image: i}], restartPolicy: Never}
`,
  });
  assert.deepEqual(JSON.parse(run(['matrix', '--json', dir]).stdout).pods, ['shop/api', 'shop/nightly']);
});

test('check examples/ reports exactly the planted mistakes', () => {
  const r = run(['check', '--format', 'json', 'examples/']);
  assert.equal(r.status, 1, 'errors among the findings give exit code 1');
  const report = JSON.parse(r.stdout) as { findings: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; code: string }> };
  const files = new Set<string>();
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.yaml') ? [path.join(d, e.name)] : []));
  for (const f of walk(path.join(REPO_ROOT, 'examples'))) files.add(path.relative(REPO_ROOT, f));
  const problems: string[] = [];
  const codes = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    const expected = parseMarkers(text);
    expected.forEach((e) => codes.add(e.code));
    const actual = report.findings
      .filter((f) => f.file === file)
      .map((f) => ({ code: f.code, line: f.line - 1, startColumn: f.column - 1, endLine: f.endLine - 1, endColumn: f.endColumn - 1 }));
    problems.push(...diffFindings(expected, actual).map((p) => `${file}: ${p}`));
  }
  assert.deepEqual(problems, []);
  assert.equal(new Set(report.findings.map((f) => f.file)).size <= files.size, true);
  // One planted mistake per rule the engine has, but two that need a workspace the examples
  // cannot be at once: a CNI that ignores policies (the examples run Calico, and every policy
  // would be flagged) and thousands of Services. test/cluster-config.test.ts covers those.
  // A kustomization kubectl cannot build needs kubectl and a broken kustomize tree: test/kustomize.test.ts.
  // The examples are a Calico cluster, where every Cilium policy would be flagged:
  // the Cilium codes are planted in test/fixtures/cilium (test/cilium-policy.test.ts).
  const CILIUM = ['cilium-entity-not-modelled', 'cilium-field-not-modelled', 'cilium-host-policy-not-modelled', 'cilium-namespace-labels-ignored', 'cilium-policy-without-cilium', 'deny-shadows-allow'];
  // Calico's own policy kinds are planted in test/fixtures/calico (test/calico-policy.test.ts), so
  // that the examples' matrix stays what the other tests expect; on their Calico cluster the
  // wrong-CNI code cannot occur at all.
  const CALICO = ['calico-field-not-modelled', 'calico-policy-without-calico', 'calico-staged-policy'];
  // examples/ holds no cluster-wide policies: their codes are checked on test/fixtures/cluster-policy.
  const TIERS = ['cluster-policy-not-implemented', 'pass-without-network-policy', 'tier-priority-overlap', 'tier-rule-shadowed'];
  // Advice for a namespace without default-deny now needs a workload there that no policy selects, and every
  // workload of the examples is selected (node-exporter runs on the host network): one more pod would change
  // each count their lenses are checked against. test/fixtures/checks/default-deny.yaml and lsp.test.ts plant it.
  const NOT_IN_EXAMPLES = ['namespace-without-default-deny', 'cni-ignores-network-policy', 'cni-conflist-without-plugins', 'kube-proxy-iptables-at-scale', 'kustomize-not-rendered', 'helm-chart-not-rendered', ...CILIUM, ...CALICO, ...TIERS];
  const { RULES } = require('../server/src/engine/rules.js') as typeof import('../server/src/engine/rules.js');
  assert.deepEqual([...codes].sort(), Object.keys(RULES).filter((c) => !NOT_IN_EXAMPLES.includes(c)).sort());
});

const CLEAN = `apiVersion: v1
kind: Namespace
metadata: {name: demo}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: demo}
spec: {podSelector: {}, policyTypes: [Ingress]}
---${TWO_PODS_DENY}`;

test('check prints file:line:col and exits 0 on a clean workspace', () => {
  const clean = tmpWorkspace({ 'a.yaml': CLEAN });
  const r = run(['check', clean]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^0 finding\(s\)/m);
  const bad = tmpWorkspace({ 'b.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  podSelector: {}\n  ingress:\n    - from: [{ipBlock: {cidr: 10.0.0.0/40}}]\n' });
  const rb = run(['check', bad]);
  assert.equal(rb.status, 1);
  const file = path.join(bad, 'b.yaml');
  assert.match(rb.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:31: error cidr-invalid: invalid CIDR "10.0.0.0/40"`));
});

test('bad input: missing file, unparseable YAML, unknown kinds', () => {
  const missing = run(['check', 'no/such/file.yaml']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /netlens: cannot read no\/such\/file.yaml: no such file or directory/);
  assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/, 'no stack trace');

  const dir = tmpWorkspace({
    'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p\nspec: {}\n',
    'unknown.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
  });
  const m = run(['matrix', '--json', dir]);
  assert.equal(m.status, 0);
  assert.match(m.stderr, /broken\.yaml:\d+:\d+: error yaml-syntax/);
  assert.deepEqual(JSON.parse(m.stdout), { pods: [], allowed: [] });
  const c = run(['check', dir]);
  assert.match(c.stdout, /broken\.yaml:\d+:\d+: error yaml-syntax/);
  assert.doesNotMatch(c.stdout, /unknown\.yaml/);

  assert.equal(run(['matrix', '--port', 'http', dir]).status, 2);
  assert.equal(run(['frobnicate']).status, 2);
});

test('README documents every rule code (run `node scripts/rules-table.mjs` after changing rules)', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const { RULES } = require('../server/src/engine/rules.js') as typeof import('../server/src/engine/rules.js');
  const missing = Object.keys(RULES).filter((code) => !readme.includes(`| \`${code}\` |`));
  assert.deepEqual(missing, []);
});

test('.netlens.yaml declares components outside the workspace: peers that match them are satisfied', () => {
  const dir = scratchWorkspace('external', {});
  fs.writeFileSync(
    path.join(dir, 'app.yaml'),
    `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: web}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {team: edge}}
          podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
`,
  );
  const peerCodes = () =>
    (JSON.parse(run(['check', '--format', 'json', dir]).stdout) as { findings: Array<{ code: string; line: number }> }).findings.filter((f) => f.line === 13).map((f) => f.code);
  // No workload of a team: edge namespace is declared: nothing to judge, nothing said.
  assert.deepEqual(peerCodes(), []);
  const config = (labels: string) => `external:\n  - name: ingress-nginx\n    namespace: ingress-nginx\n    namespaceLabels: {team: edge}\n    labels: {${labels}}\n`;
  fs.writeFileSync(path.join(dir, '.netlens.yaml'), config('app.kubernetes.io/name: ingress-nginx'));
  assert.deepEqual(peerCodes(), []);
  // .netlens.yaml declares that namespace's ingress controller, and the peer misses it: said, as information.
  fs.writeFileSync(path.join(dir, '.netlens.yaml'), config('app.kubernetes.io/name: nginx'));
  assert.deepEqual(peerCodes(), ['pods-not-in-workspace']);
  fs.writeFileSync(path.join(dir, '.netlens.yaml'), 'external:\n  - {name: broken}\n');
  const report = JSON.parse(run(['check', '--format', 'json', dir]).stdout) as { findings: Array<{ code: string; file: string; line: number }> };
  assert.deepEqual(
    report.findings.filter((f) => f.code === 'project-config-invalid').map((f) => [path.basename(f.file), f.line]),
    [['.netlens.yaml', 2]],
  );
});
