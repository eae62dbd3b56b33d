/**
 * Kustomize roots through the real CLI: rendered with kubectl when it is
 * installed (findings land in the base file, at the rendered object's own
 * place), and with only the kustomization's namespace applied when the named
 * binary is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, FIXTURES } from './support/paths.js';

const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => fs.existsSync(p));

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-kustomize-'));
  fs.mkdirSync(path.join(dir, 'base'));
  fs.mkdirSync(path.join(dir, 'overlay'));
  fs.writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources: [deploy.yaml, policy.yaml]\n');
  fs.writeFileSync(
    path.join(dir, 'base', 'deploy.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: api}]}\n',
  );
  fs.writeFileSync(
    path.join(dir, 'base', 'policy.yaml'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n',
  );
  // The overlay prefixes names and adds a label the policy does not know: rendered, the policy still selects the Deployment.
  fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), 'namespace: shop\nnamePrefix: prod-\nlabels: [{pairs: {tier: api}, includeSelectors: true}]\nresources: [../base]\n');
  return dir;
}

function check(dir: string, ...flags: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...flags, dir], { encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as { findings: Array<{ file: string; line: number; column: number; code: string; message: string }> };
  return { stderr: r.stderr, findings: report.findings.map((f) => `${path.relative(dir, f.file)}:${f.line}:${f.column} ${f.code}`) };
}

test('a kustomize root is rendered with kubectl and its findings land in the base files', { skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  const dir = workspace();
  const r = check(dir, '--kustomize', KUBECTL!);
  assert.equal(r.stderr, '');
  // Shop has no Namespace object but runs the rendered Deployment, so nothing says it is undefined; no namespace
  // practises default-deny, so nothing advises one.
  assert.deepEqual(r.findings, ['base/policy.yaml:7:14 peer-selects-no-pods']);
  const matrix = spawnSync(process.execPath, [CLI, 'matrix', '--json', '--kustomize', KUBECTL!, dir], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(matrix.stdout).pods, ['shop/prod-api']);
});

test('without the kustomize binary only the namespace is applied, and stderr says so once', () => {
  const dir = workspace();
  const r = check(dir, '--kustomize', path.join(dir, 'no-such-kubectl'));
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /no-such-kubectl not found: kustomizations are not rendered; only their namespace is applied/);
  assert.deepEqual(r.findings, ['base/policy.yaml:7:14 peer-selects-no-pods']);
});

test('a kustomization kubectl cannot build is analysed raw, with one finding on it', { skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  const dir = workspace();
  fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), 'resources: [../base, missing.yaml]\n');
  const r = check(dir, '--kustomize', KUBECTL!);
  assert.deepEqual(
    r.findings.filter((f) => f.includes('kustomize')),
    ['overlay/kustomization.yaml:1:1 kustomize-not-rendered'],
  );
});

test('two overlays of one base: a finding in the base is reported once', { skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  const dir = workspace();
  fs.mkdirSync(path.join(dir, 'staging'));
  fs.writeFileSync(path.join(dir, 'staging', 'kustomization.yaml'), 'namespace: shop\nnameSuffix: -staging\nresources: [../base]\n');
  const r = check(dir, '--kustomize', KUBECTL!);
  assert.deepEqual(r.findings, ['base/policy.yaml:7:14 peer-selects-no-pods']);
});

test('a file in a kustomization folder that no kustomization names is analysed on its own, raw', { skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  const dir = workspace();
  // Applied with kubectl apply -f beside the kustomize build (rook's deploy/examples holds both kinds).
  fs.writeFileSync(path.join(dir, 'base', 'extra.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: extra}\nspec:\n  podSelector: {matchLabels: {app: nothing}}\n  policyTypes: [Ingress]\n');
  // In namespace default, where nothing is rendered: analysed raw, not as part of the overlay.
  const extra = check(dir, '--kustomize', KUBECTL!).findings.filter((f) => f.startsWith('base/extra.yaml'));
  assert.deepEqual(extra, ['base/extra.yaml:5:16 pods-not-in-workspace']);
});

/**
 * A STAND-IN for kubectl, for these tests only: the real one would fetch the
 * remote resource over the network, which tests must never do. It fails as
 * kubectl fails offline, or sleeps past the render timeout.
 */
function standInKubectl(dir: string, behaviour: 'offline' | 'slow'): string {
  const file = path.join(dir, `stand-in-kubectl-${behaviour}.js`);
  const body =
    behaviour === 'offline'
      ? "process.stderr.write('error: accumulating resources: git fetch https://github.com/example/platform: Could not resolve host: github.com\\n'); process.exit(1);"
      : 'setTimeout(() => {}, 10_000);';
  fs.writeFileSync(file, `#!/usr/bin/env node\n${body}\n`, { mode: 0o755 });
  return file;
}

test('a root naming remote resources that cannot be fetched: the finding says the render needs the network', () => {
  const dir = workspace();
  fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), 'resources:\n  - ../base\n  - https://github.com/example/platform//policies?ref=v1\n  - github.com/example/extras\n');
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--kustomize', standInKubectl(dir, 'offline'), dir], { encoding: 'utf8' });
  const finding = (JSON.parse(r.stdout) as { findings: Array<{ code: string; message: string }> }).findings.find((f) => f.code === 'kustomize-not-rendered');
  assert.ok(finding, r.stdout);
  assert.match(
    finding.message,
    /^\S+stand-in-kubectl-offline\.js could not render this kustomization, so its files are analysed with only its namespace applied\. It names remote resources \(https:\/\/github\.com\/example\/platform\/\/policies\?ref=v1 and 1 more\), which \S+ fetches over the network\. \S+ said: .*Could not resolve host: github\.com/,
  );
});

test('a render that does not finish in time fails with a finding that says so, not a hang', async () => {
  const dir = workspace();
  const { renderKustomization, renderTree, kustomizeTrees } = await import('../server/src/sources/kustomize.js');
  const slow = standInKubectl(dir, 'slow');
  const started = Date.now();
  assert.deepEqual(renderKustomization(path.join(dir, 'overlay'), slow, 300), { ok: false, missingBinary: false, error: 'it did not finish within 0.3 s' });
  const texts = new Map([[path.join(dir, 'overlay', 'kustomization.yaml'), fs.readFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), 'utf8')]]);
  const [tree] = kustomizeTrees(texts);
  assert.deepEqual(await renderTree(tree!, slow, new Map(), 300), { ok: false, missingBinary: false, error: 'it did not finish within 0.3 s' });
  // Both gave up at the timeout, long before the stand-in's 10 s.
  assert.ok(Date.now() - started < 8_000);
});

test('files a kustomization names as patches are not objects, even where no root of the workspace uses the kustomization', { skip: KUBECTL === undefined ? 'kubectl is not installed here' : false }, () => {
  // test/fixtures/kustomize-patches: shop renders and practises default-deny; portal-logout is a Component used from
  // another repository, whose patch changes one env variable of a Deployment portal/portal defined elsewhere. Read as
  // an object, that patch was a workload of namespace portal that no policy selects (namespace-without-default-deny).
  const dir = path.join(FIXTURES, 'kustomize-patches');
  assert.deepEqual(check(dir, '--kustomize', KUBECTL!).findings, []);
  const matrix = spawnSync(process.execPath, [CLI, 'matrix', '--json', '--kustomize', KUBECTL!, dir], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(matrix.stdout).pods, ['shop/web']);
  // Without the binary nothing renders, and the patch is still no object (shop's files keep their namespace).
  const unrendered = check(dir, '--kustomize', path.join(dir, 'no-such-kubectl'));
  assert.deepEqual(unrendered.findings, []);
});
