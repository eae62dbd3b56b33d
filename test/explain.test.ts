/**
 * Explain with near misses: the engine function on a fixture with the
 * mistakes a user makes (a selector one character off, rules policyTypes
 * ignores, a misspelt named port), the same answer from the CLI, and from
 * the real server's netlens/explain request.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  analyzeTexts,
  declaredPorts,
  explainConnection,
  explanationReport,
  LineIndex,
  parseIP,
  resolveEndpoint,
  type Analysis,
  type ExplainReport,
  type Protocol,
} from '../server/src/engine/index.js';
import { EXPLAIN, type ExplainResult } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { CLI, CORPUS, CORPUS_MISSING, FIXTURES, REPO_ROOT } from './support/paths.js';

const SHOP = path.join(FIXTURES, 'explain', 'shop.yaml');
const SHOP_TEXT = fs.readFileSync(SHOP, 'utf8');
const SHOP_LINES = new LineIndex(SHOP_TEXT);

function analysis(): Analysis {
  return analyzeTexts([{ file: 'shop.yaml', text: SHOP_TEXT }]);
}

const toIP = (t: string) => {
  const ip = parseIP(t);
  return ip.ok ? ip.value : undefined;
};

function report(a: Analysis, source: string, destination: string, port?: [number, Protocol]): ExplainReport {
  const s = resolveEndpoint(a.workspace, source, toIP);
  const d = resolveEndpoint(a.workspace, destination, toIP);
  assert.ok(s.ok && d.ok);
  const ports = port ? [port] : declaredPorts(d.endpoint);
  return explanationReport(explainConnection(a.workspace, a.reachability.namespaceLabels, { source: s.endpoint, destination: d.endpoint, ports }), () => SHOP_LINES);
}

/** 0-based line of the first occurrence of `find` after `after`. */
function lineOf(find: string, after = ''): number {
  const at = SHOP_TEXT.indexOf(find, SHOP_TEXT.indexOf(after));
  assert.ok(at >= 0, find);
  return SHOP_LINES.positionAt(at).line;
}

describe('explainConnection', () => {
  const a = analysis();

  test('without a port it explains each port the destination declares', () => {
    const r = report(a, 'front-end', 'carts');
    assert.deepEqual(
      r.ports.map((p) => [p.port, p.protocol, p.portName, p.allowed]),
      [
        [80, 'TCP', 'http', false],
        [9090, 'TCP', 'admin', false],
      ],
    );
    assert.equal(r.allowed, false);
  });

  test('a denied side lists each isolating policy with every rule checked', () => {
    const ingress = report(a, 'front-end', 'carts', [80, 'TCP']).ports[0]!.ingress;
    assert.equal(ingress.summary, 'denied: isolated by shop/cortex-access, shop/carts-admin, and no ingress rule of them admits this.');
    assert.deepEqual(
      ingress.policies.map((p) => [p.policy, p.rules.map((r) => [r.matches, r.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.text}`)])]),
      [
        ['shop/cortex-access', [[false, ['✗ from pods name=cortex in shop: podSelector name=cortex: the pods of shop/front-end have name=front-end', '✓ no ports: every port']]]],
        ['shop/carts-admin', [[false, ['✓ from pods name=front-end in shop: admits shop/front-end', '✗ TCP port "admn": shop/carts declares no TCP port named "admn"; 80 is "http"']]]],
      ],
    );
    const egress = report(a, 'front-end', 'carts', [80, 'TCP']).ports[0]!.egress;
    assert.equal(egress.summary, 'allowed: no policy selects shop/front-end for egress, so it is not isolated for egress.');
  });

  test('the closest miss is a selector one character off, with the fix that makes it match', () => {
    const misses = report(a, 'front-end', 'carts', [80, 'TCP']).ports[0]!.ingress.nearMisses;
    assert.deepEqual(
      misses.map((m) => [m.policy, m.rule, m.changes.map((c) => [c.text, c.at.line, c.fix?.title])]),
      [
        ['shop/cart-access', 0, [['podSelector name=cart: the pods of shop/carts have name=carts (1 character)', lineOf('name: cart', 'cart-access'), 'Change name: cart to carts']]],
        ['shop/carts-admin', 0, [['shop/carts declares no TCP port named "admn"; 80 is "http"', lineOf('port: admn'), 'Change to "http"']]],
      ],
    );
    const fix = misses[0]!.changes[0]!.fix!;
    const edit = fix.edits[0]!;
    assert.equal(SHOP_TEXT.slice(SHOP_LINES.offsetAt(edit.start), SHOP_LINES.offsetAt(edit.end)), 'cart');
    assert.equal(edit.newText, 'carts');
  });

  test('the fix of a near miss, applied, makes the connection allowed', () => {
    const fix = report(a, 'front-end', 'carts', [80, 'TCP']).ports[0]!.ingress.nearMisses[0]!.changes[0]!.fix!;
    const edit = fix.edits[0]!;
    const fixed = SHOP_TEXT.slice(0, SHOP_LINES.offsetAt(edit.start)) + edit.newText + SHOP_TEXT.slice(SHOP_LINES.offsetAt(edit.end));
    const after = analyzeTexts([{ file: 'shop.yaml', text: fixed }]);
    const s = resolveEndpoint(after.workspace, 'front-end', toIP);
    const d = resolveEndpoint(after.workspace, 'carts', toIP);
    assert.ok(s.ok && d.ok);
    const e = explainConnection(after.workspace, after.reachability.namespaceLabels, { source: s.endpoint, destination: d.endpoint, ports: [[80, 'TCP']] });
    assert.equal(e.ports[0]!.allowed, true);
    assert.deepEqual(after.reachability.groupMatrix({ port: 80 }).allowed[0]![1], true);
  });

  test('rules that policyTypes leaves out are shown as ignored, and adding the type is the near miss', () => {
    const ingress = report(a, 'carts', 'carts-db').ports[0]!.ingress;
    assert.deepEqual(
      ingress.ignored.map((r) => [r.policy, r.direction, r.rule, r.ignored, r.matches]),
      [['shop/redis-from-carts', 'ingress', 0, true, false]],
    );
    assert.deepEqual(
      ingress.nearMisses.map((m) => [m.policy, m.changes.map((c) => [c.text, c.fix?.title])]),
      [['shop/redis-from-carts', [['this rule is ignored: policyTypes has no Ingress', 'Add Ingress to policyTypes']]]],
    );
  });

  test('an allowed side names the rule that admits it; verdicts agree with the matrix on every pair and port', () => {
    const egress = report(a, 'carts-db', 'carts', [80, 'TCP']).ports[0]!.egress;
    assert.equal(egress.summary, 'allowed: isolated by shop/redis-from-carts; allowed by shop/redis-from-carts egress rule 1.');
    const groups = a.workspace.podGroups;
    for (const [port, protocol] of [[80, 'TCP'], [9090, 'TCP'], [6379, 'TCP'], [8079, 'TCP']] as const) {
      const matrix = a.reachability.groupMatrix({ port, protocol }).allowed;
      groups.forEach((s, i) =>
        groups.forEach((d, j) => {
          const e = explainConnection(a.workspace, a.reachability.namespaceLabels, { source: { kind: 'pod', group: s }, destination: { kind: 'pod', group: d }, ports: [[port, protocol]] });
          assert.equal(e.ports[0]!.allowed, matrix[i]![j], `${s.id} → ${d.id} on ${port}`);
        }),
      );
    }
  });

  test('unknown names are answered with the nearest workloads', () => {
    const r = resolveEndpoint(a.workspace, 'cart', toIP);
    assert.deepEqual(r, { ok: false, message: 'no workload "cart" (use namespace/name, a name, or an IP address); did you mean carts?' });
  });
});

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe('netlens explain', () => {
  test('--json prints the report and exits 1 when denied on every port', () => {
    const run = cli(['explain', 'front-end', 'shop/carts', '--port', '80', '--json', SHOP]);
    assert.equal(run.status, 1, run.stderr);
    const r = JSON.parse(run.stdout) as ExplainReport;
    assert.equal(r.source, 'shop/front-end');
    assert.equal(r.destination, 'shop/carts');
    assert.deepEqual(r.ports[0]!.ingress.nearMisses[0]!.changes[0]!.at, { uri: SHOP, line: lineOf('name: cart', 'cart-access'), character: 12 });
  });

  test('text names the closest miss with its location and quick fix; exit 0 when allowed', () => {
    const denied = cli(['explain', 'front-end', 'carts', '--port', '80', SHOP]);
    assert.ok(
      denied.stdout.includes(
        `        - podSelector name=cart: the pods of shop/carts have name=carts (1 character) (${SHOP}:${lineOf('name: cart', 'cart-access') + 1}:13) [quick fix: Change name: cart to carts]`,
      ),
      denied.stdout,
    );
    const undeclared = cli(['explain', 'carts-db', 'carts', '--port', '8079', SHOP]);
    assert.equal(undeclared.status, 1, 'carts is isolated for ingress on every port');
    const open = cli(['explain', 'carts', 'front-end', SHOP]);
    assert.equal(open.status, 0, open.stdout);
    assert.equal(open.stdout.split('\n')[0], 'shop/carts → shop/front-end on TCP 8079 (http): ALLOWED');
  });

  test('bad input is a usage error with a reason', () => {
    const unknown = cli(['explain', 'front-end', 'cart', SHOP]);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr.trim(), 'netlens: destination: no workload "cart" (use namespace/name, a name, or an IP address); did you mean carts?');
    const noPorts = cli(['explain', 'front-end', '10.0.0.1', SHOP]);
    assert.equal(noPorts.status, 2);
    assert.equal(noPorts.stderr.trim(), 'netlens: 10.0.0.1 declares no container ports: give --port');
  });

  test('on Sock Shop: front-end → carts names cart-access one character off', { skip: CORPUS_MISSING }, () => {
    const dir = path.join(CORPUS!, 'sock-shop', 'deploy', 'kubernetes');
    const run = cli(['explain', 'front-end', 'carts', '--json', dir]);
    assert.equal(run.status, 1, run.stderr);
    const r = JSON.parse(run.stdout) as ExplainReport;
    const ingress = r.ports.map((p) => [p.port, p.ingress.summary, p.ingress.nearMisses.map((m) => [m.policy, m.changes.map((c) => c.text)])]);
    assert.deepEqual(ingress, [
      [80, 'denied: isolated by sock-shop/cortex-access, and no ingress rule of it admits this.', [['sock-shop/cart-access', ['podSelector name=cart: the pods of sock-shop/carts have name=carts (1 character)']]]],
    ]);
  });
});

describe('netlens/explain over LSP', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  const dir = path.join(FIXTURES, 'explain');
  before(async () => {
    client = await LspTestClient.start(dir);
    await client.waitForDiagnostics(uriOf(SHOP), (ds) => ds.length > 0);
  });
  after(() => client.stop());

  test('answers with the full report, links as file URIs, and the old summary lines', async () => {
    const result = await client.connection.sendRequest<ExplainResult>(EXPLAIN, { source: 'shop/front-end', destination: 'shop/carts', port: 80, protocol: 'TCP' });
    assert.equal(result.allowed, false);
    assert.deepEqual(result.lines, [
      'shop/front-end → shop/carts on TCP 80: DENIED',
      'egress: allowed: no policy selects shop/front-end for egress, so it is not isolated for egress.',
      'ingress: denied: isolated by shop/cortex-access, shop/carts-admin, and no ingress rule of them admits this.',
    ]);
    const miss = result.report!.ports[0]!.ingress.nearMisses[0]!;
    assert.equal(miss.policy, 'shop/cart-access');
    assert.deepEqual(miss.changes[0]!.fix!.edits[0], {
      uri: uriOf(SHOP),
      start: { line: lineOf('name: cart', 'cart-access'), character: 12 },
      end: { line: lineOf('name: cart', 'cart-access'), character: 16 },
      newText: 'carts',
    });
  });

  test('without a port it explains the declared ports; an unknown end gets a did-you-mean', async () => {
    const result = await client.connection.sendRequest<ExplainResult>(EXPLAIN, { source: 'carts', destination: 'front-end' });
    assert.equal(result.allowed, true);
    assert.deepEqual(result.rules, [{ policy: 'shop/front-end-open', direction: 'ingress', rule: 0, uri: uriOf(SHOP), line: lineOf('- ports: [{port: 8079}]') }]);
    assert.deepEqual(result.report!.ports.map((p) => [p.port, p.allowed]), [[8079, true]]);
    const unknown = await client.connection.sendRequest<ExplainResult>(EXPLAIN, { source: 'frontend', destination: 'carts' });
    assert.deepEqual(unknown, { allowed: false, lines: ['Unknown source: no workload "frontend" (use namespace/name, a name, or an IP address); did you mean front-end?'], rules: [] });
  });
});
