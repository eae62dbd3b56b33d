/**
 * `netlens diff` on a real temporary git repository: the base is committed,
 * the work tree changes a policy, and the real git binary reads the base.
 * Then the same through the server's netlens/whatIf request, live as the
 * policy is edited in an open document.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeTexts, flowDiff } from '../server/src/engine/index.js';
import { WHAT_IF, type WhatIfResult } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { CLI } from './support/paths.js';

const APPS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: w, image: w, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: a, image: a, ports: [{containerPort: 9000}]}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: d, image: d, ports: [{containerPort: 5432}]}]}
`;

const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const DB_FROM_API = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

function netlens(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
}

describe('netlens diff', () => {
  let repo: string;
  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-diff-'));
    git(repo, 'init', '-q');
    fs.mkdirSync(path.join(repo, 'deploy'));
    fs.writeFileSync(path.join(repo, 'deploy', 'apps.yaml'), APPS);
    fs.writeFileSync(path.join(repo, 'deploy', 'policies.yaml'), `${DENY}---\n${DB_FROM_API}`);
    fs.writeFileSync(path.join(repo, 'README.md'), 'not a manifest\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    // The change under review: db now admits web instead of api, and web is no longer isolated.
    fs.writeFileSync(path.join(repo, 'deploy', 'policies.yaml'), `${DENY.replace('podSelector: {}', 'podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}')}---\n${DB_FROM_API.replace('app: api}', 'app: web}')}`);
  });

  test('text: the flows opened and closed against HEAD, each with its reason', () => {
    const r = netlens(repo, 'diff');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'this change opens 3 flows, closes 1 (against HEAD)',
        '- shop/api → shop/db TCP 5432: ingress of shop/db denied: isolated by shop/deny, shop/db-from-api, and no ingress rule of them admits this.',
        '+ shop/api → shop/web TCP 8080: no policy isolates either side',
        '+ shop/db → shop/web TCP 8080: no policy isolates either side',
        '+ shop/web → shop/db TCP 5432: ingress of shop/db allowed: isolated by shop/deny, shop/db-from-api; allowed by shop/db-from-api ingress rule 1.',
        '',
      ].join('\n'),
    );
  });

  test('json and markdown carry the same changes; paths and --base narrow and move the comparison', () => {
    const json = JSON.parse(netlens(repo, 'diff', '--format', 'json', 'deploy').stdout) as { base: string; changes: Array<{ change: string; source: string; destination: string; port: number }> };
    assert.equal(json.base, 'HEAD');
    assert.deepEqual(
      json.changes.map((c) => `${c.change} ${c.source}→${c.destination}:${c.port}`),
      ['closed shop/api→shop/db:5432', 'opened shop/api→shop/web:8080', 'opened shop/db→shop/web:8080', 'opened shop/web→shop/db:5432'],
    );
    const md = netlens(repo, 'diff', '--format', 'markdown').stdout.split('\n');
    assert.equal(md[0], '### Netlens: this change opens 3 flows, closes 1 (against HEAD)');
    assert.equal(md[2], '| | source → destination | port | why |');
    assert.equal(md[5], '| opened | shop/api → shop/web | TCP 8080 | no policy isolates either side |');
    // Committed, the change is the base: nothing differs.
    git(repo, 'commit', '-q', '-am', 'change');
    assert.equal(netlens(repo, 'diff').stdout, 'this change opens 0 flows, closes 0 (against HEAD)\n');
    // Against the first commit, the same four changes.
    assert.equal(netlens(repo, 'diff', '--base', 'HEAD~1').stdout.split('\n')[0], 'this change opens 3 flows, closes 1 (against HEAD~1)');
  });

  test('an unknown ref or a directory outside git is a usage error', () => {
    const bad = netlens(repo, 'diff', '--base', 'no-such-ref');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^netlens: git rev-parse: /);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-nogit-'));
    fs.writeFileSync(path.join(outside, 'a.yaml'), APPS);
    const r = netlens(outside, 'diff');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^netlens: git rev-parse: fatal: not a git repository/);
  });
});

describe('netlens/whatIf over LSP', { timeout: 60_000 }, () => {
  let repo: string;
  let client: LspTestClient;
  const policies = () => uriOf(path.join(repo, 'deploy', 'policies.yaml'));
  before(async () => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-whatif-'));
    git(repo, 'init', '-q');
    fs.mkdirSync(path.join(repo, 'deploy'));
    fs.writeFileSync(path.join(repo, 'deploy', 'apps.yaml'), APPS);
    fs.writeFileSync(path.join(repo, 'deploy', 'policies.yaml'), `${DENY}---\n${DB_FROM_API}`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    client = await LspTestClient.start(repo);
    // Both files open: the model has them whether or not the folder scan is done.
    const apps = uriOf(path.join(repo, 'deploy', 'apps.yaml'));
    await client.open(apps, APPS);
    await client.open(policies(), fs.readFileSync(path.join(repo, 'deploy', 'policies.yaml'), 'utf8'));
    // The files have no findings to wait for: wait until the policies' lenses show the model has them.
    await client.waitForModel(policies());
  });
  after(() => client.stop());

  const ask = (base?: string) => client.connection.sendRequest<WhatIfResult>(WHAT_IF, base === undefined ? {} : { base });

  test('unchanged: nothing opens or closes; an edit in the editor is compared against HEAD at once', async () => {
    assert.deepEqual(await ask(), { base: 'HEAD', opened: 0, closed: 0, changes: [], policies: [] });
    const whatIfLenses = async () => ((await client.codeLenses(policies())) ?? []).filter((l) => l.command?.command === 'netlens.showWhatIf');
    assert.deepEqual(await whatIfLenses(), []);
    // The server handles messages in order: the request sees the edit.
    await client.replace(policies(), 'app: api}', 'app: web}');
    const r = await ask();
    assert.equal(r.opened, 1);
    assert.equal(r.closed, 1);
    assert.deepEqual(
      r.changes.map((c) => `${c.change} ${c.source}→${c.destination}:${c.port}`),
      ['closed shop/api→shop/db:5432', 'opened shop/web→shop/db:5432'],
    );
    assert.equal(r.changes[1]!.why, 'ingress of shop/db allowed: isolated by shop/deny, shop/db-from-api; allowed by shop/db-from-api ingress rule 1.');
    // Only the edited policy changed; its lens sits on its first line.
    assert.deepEqual(r.policies, [{ policy: 'shop/db-from-api', opened: 1, closed: 1 }]);
    const lenses = await whatIfLenses();
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command!.title]),
      [[client.positionOf(policies(), 'name: db-from-api').line - 2, 'this change opens 1 flow, closes 1 flow (vs HEAD)']],
    );
  });

  test('a policy with an ipBlock is compared too (its CIDR bounds are bigints)', async () => {
    const first = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny';
    await client.replace(policies(), first, `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]
---
${first}`);
    const r = await ask();
    assert.equal(r.error, undefined);
    // web's egress now goes only to 10.0.0.0/8 (Netlens matches pods by selectors, never by ipBlock), so the earlier edit's web → db stays closed.
    assert.deepEqual(r.changes.map((c) => `${c.change} ${c.source}→${c.destination}:${c.port}`), ['closed shop/api→shop/db:5432']);
    assert.deepEqual(r.policies, [
      { policy: 'shop/db-from-api', opened: 0, closed: 1 },
      { policy: 'shop/web-out', opened: 0, closed: 0 },
    ]);
  });

  test('an unknown ref is answered with the reason, not an error', async () => {
    const r = await ask('no-such-ref');
    assert.equal(r.changes.length, 0);
    assert.match(r.error ?? '', /^git rev-parse: /);
  });
});

describe('netlens/whatIf: what is no change', { timeout: 60_000 }, () => {
  test('a policy moved down a line, with an invalid selector and an ipBlock, has no what-if lens', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-whatif-moved-'));
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: odd, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: Equals, values: [db]}]}
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
`;
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(repo, 'apps.yaml'), APPS);
    fs.writeFileSync(path.join(repo, 'policy.yaml'), policy);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    const client = await LspTestClient.start(repo);
    try {
      // Both files open: the model has them whether or not the folder scan is done.
      await client.open(uriOf(path.join(repo, 'apps.yaml')), APPS);
      const uri = uriOf(path.join(repo, 'policy.yaml'));
      await client.open(uri, `# moved down a line\n${policy}`);
      await client.waitForDiagnostics(uri);
      const r = await client.connection.sendRequest<WhatIfResult>(WHAT_IF, {});
      assert.deepEqual(r, { base: 'HEAD', opened: 0, closed: 0, changes: [], policies: [] });
      assert.deepEqual(((await client.codeLenses(uri)) ?? []).filter((l) => l.command?.command === 'netlens.showWhatIf'), []);
    } finally {
      await client.stop();
    }
  });
});

test('a flow a cluster-wide Pass hands on to the default says so, instead of "no policy isolates either side"', () => {
  const PASS_TO_NAMESPACES = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: shop-defers}
spec:
  priority: 20
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
    - name: defer-to-namespaces
      action: Pass
      from: [{namespaces: {}}]
`;
  const base = analyzeTexts([{ file: 'apps.yaml', text: APPS }, { file: 'deny.yaml', text: DENY }]);
  const head = analyzeTexts([{ file: 'apps.yaml', text: APPS }, { file: 'anp.yaml', text: PASS_TO_NAMESPACES }]);
  const opened = flowDiff(base, head).filter((c) => c.source === 'shop/web' && c.destination === 'shop/db');
  assert.deepEqual(opened.map((c) => [c.change, c.why]), [
    ['opened', 'ingress of shop/db passed on by AdminNetworkPolicy shop-defers ingress rule 1 (defer-to-namespaces); allowed: no admin or baseline rule decides it and no policy isolates shop/db for ingress.'],
  ]);
  // With no policy at all, nothing had a say.
  const none = flowDiff(base, analyzeTexts([{ file: 'apps.yaml', text: APPS }])).find((c) => c.source === 'shop/web' && c.destination === 'shop/db');
  assert.equal(none?.why, 'no policy isolates either side');
});
