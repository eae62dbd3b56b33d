/**
 * Upstream Kubernetes NetworkPolicy e2e scenarios, checked against the Netlens CLI.
 *
 * Source: kubernetes/kubernetes test/e2e/network/netpol/network_policy.go (with model.go,
 * policies.go, reachability.go, truthtable.go, test_helper.go, kubemanager.go). The
 * scenarios and expected verdicts are translated into fixtures under
 * test/fixtures/upstream-netpol/:
 *
 *   cluster.yaml                 the upstream model: namespaces x, y, z with pods a, b, c
 *   cases/<slug>.yaml            the NetworkPolicies one upstream test (phase) has in place
 *   cases/<slug>.expect.yaml     the expected reachability per probed port/protocol,
 *                                as upstream's NewReachability(..., true) + Expect* calls
 *   cases/<slug>.cluster.yaml    only for phases that relabel a namespace or pod
 *                                (expect file has `replacesCluster: true`): a full copy of
 *                                the cluster with the changed labels, used instead of
 *                                cluster.yaml
 *
 * The translation follows the upstream version in which every test uses the full
 * 3 namespaces x 3 pods model (the newest upstream creates a per-test subset of those pods;
 * its policies and Expect calls are otherwise the same). Loopback (same-pod) cells are not
 * compared, as upstream (ignoreLoopback = true).
 *
 * Not translated:
 * - network_policy_api.go, "should support creating NetworkPolicy API operations" and
 *   "should support creating NetworkPolicy API with endport field": they exercise the API
 *   server (discovery, CRUD, watch, validation of endPort), not reachability.
 * - network_legacy.go ("NetworkPolicyLegacy" suite): the retired pre-truth-table tests, which
 *   create ad-hoc server/client pods per test and probe through Services and DNS; they are
 *   not part of network_policy.go and need kube-proxy/DNS behaviour outside a static model.
 * - Every It() in network_policy.go (TCP, UDP and SCTP contexts) is translated; none needed
 *   skipping. Parts that are runtime-only are dropped: retries/polling, Windows variants,
 *   and Service ClusterIPs as probe targets (upstream probes each pod through its own
 *   Service; the policy verdict is the pod-to-pod one modelled here).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

// out/test/upstream-netpol.test.js is two levels below the repository root.
const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'test/fixtures/upstream-netpol');
const CASES = path.join(FIXTURES, 'cases');
const CLI = path.join(REPO, 'bin/netlens.js');

type Protocol = 'TCP' | 'UDP' | 'SCTP';

interface Peer {
  namespace?: string;
  pod?: string;
}

interface Expectation {
  from: Peer;
  to: Peer;
  allowed: boolean;
}

interface Probe {
  port: number;
  protocol: Protocol;
  default: boolean;
  expect: Expectation[];
}

interface ExpectFile {
  upstream: string;
  context?: string;
  phase?: string;
  replacesCluster?: boolean;
  probes: Probe[];
}

interface Case {
  slug: string;
  caseFile: string;
  clusterFile: string;
  spec: ExpectFile;
}

interface Matrix {
  pods: string[];
  allowed: boolean[][];
}

// ---------------------------------------------------------------- loading and validation

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkPeer(v: unknown, where: string): Peer {
  assert.ok(isRecord(v), `${where}: peer must be a mapping`);
  for (const key of Object.keys(v)) {
    assert.ok(key === 'namespace' || key === 'pod', `${where}: unknown peer key "${key}"`);
  }
  const peer: Peer = {};
  if (v['namespace'] !== undefined) {
    assert.equal(typeof v['namespace'], 'string', `${where}: namespace must be a string`);
    peer.namespace = v['namespace'] as string;
  }
  if (v['pod'] !== undefined) {
    assert.equal(typeof v['pod'], 'string', `${where}: pod must be a string`);
    peer.pod = v['pod'] as string;
  }
  return peer;
}

function checkExpectFile(raw: unknown, file: string): ExpectFile {
  assert.ok(isRecord(raw), `${file}: must be a mapping`);
  assert.equal(typeof raw['upstream'], 'string', `${file}: "upstream" must be the It() string`);
  assert.ok(Array.isArray(raw['probes']) && raw['probes'].length > 0, `${file}: "probes" must be a non-empty list`);
  const probes = (raw['probes'] as unknown[]).map((p, i): Probe => {
    const where = `${file} probes[${i}]`;
    assert.ok(isRecord(p), `${where}: must be a mapping`);
    assert.ok(Number.isInteger(p['port']) && (p['port'] as number) >= 1 && (p['port'] as number) <= 65535, `${where}: bad port`);
    assert.ok(p['protocol'] === 'TCP' || p['protocol'] === 'UDP' || p['protocol'] === 'SCTP', `${where}: bad protocol`);
    assert.equal(typeof p['default'], 'boolean', `${where}: "default" must be a boolean`);
    const rawExpect = p['expect'] ?? [];
    assert.ok(Array.isArray(rawExpect), `${where}: "expect" must be a list`);
    const expect = rawExpect.map((e: unknown, j: number): Expectation => {
      const w = `${where} expect[${j}]`;
      assert.ok(isRecord(e), `${w}: must be a mapping`);
      assert.equal(typeof e['allowed'], 'boolean', `${w}: "allowed" must be a boolean`);
      return { from: checkPeer(e['from'], `${w} from`), to: checkPeer(e['to'], `${w} to`), allowed: e['allowed'] as boolean };
    });
    return { port: p['port'] as number, protocol: p['protocol'] as Protocol, default: p['default'] as boolean, expect };
  });
  const spec: ExpectFile = { upstream: raw['upstream'] as string, probes };
  if (typeof raw['context'] === 'string') spec.context = raw['context'];
  if (typeof raw['phase'] === 'string') spec.phase = raw['phase'];
  if (raw['replacesCluster'] !== undefined) {
    assert.equal(typeof raw['replacesCluster'], 'boolean', `${file}: "replacesCluster" must be a boolean`);
    spec.replacesCluster = raw['replacesCluster'] as boolean;
  }
  return spec;
}

function loadCases(): Case[] {
  const suffix = '.expect.yaml';
  return fs
    .readdirSync(CASES)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f): Case => {
      const slug = f.slice(0, -suffix.length);
      const expectFile = path.join(CASES, f);
      const spec = checkExpectFile(parse(fs.readFileSync(expectFile, 'utf8')), expectFile);
      const caseFile = path.join(CASES, `${slug}.yaml`);
      const clusterFile = spec.replacesCluster ? path.join(CASES, `${slug}.cluster.yaml`) : path.join(FIXTURES, 'cluster.yaml');
      return { slug, caseFile, clusterFile, spec };
    });
}

/** "namespace/name" of every Pod document in the given files. */
function podsIn(files: string[]): string[] {
  const pods = new Set<string>();
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const obj: unknown = doc.toJS();
      if (!isRecord(obj) || obj['kind'] !== 'Pod' || !isRecord(obj['metadata'])) continue;
      const meta = obj['metadata'];
      pods.add(`${String(meta['namespace'] ?? 'default')}/${String(meta['name'])}`);
    }
  }
  return [...pods].sort();
}

// ---------------------------------------------------------------- CLI

function runMatrix(c: Case, probe: Probe): Matrix {
  const args = [CLI, 'matrix', '--json', '--port', String(probe.port), '--protocol', probe.protocol, c.clusterFile, c.caseFile];
  const res = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const shown = `node ${args.map((a) => (path.isAbsolute(a) ? path.relative(REPO, a) : a)).join(' ')}`;
  if (res.error) throw new Error(`${shown}: ${res.error.message}`);
  assert.equal(res.status, 0, `${shown} exited with ${res.status}\nstderr:\n${res.stderr}\nstdout:\n${res.stdout}`);
  let out: unknown;
  try {
    out = JSON.parse(res.stdout);
  } catch (e) {
    assert.fail(`${shown} did not print JSON (${(e as Error).message}):\n${res.stdout}\nstderr:\n${res.stderr}`);
  }
  assert.ok(isRecord(out), `${shown}: output must be a JSON object`);
  const pods = out['pods'];
  const allowed = out['allowed'];
  assert.ok(Array.isArray(pods) && pods.every((p) => typeof p === 'string'), `${shown}: "pods" must be a list of strings`);
  assert.ok(Array.isArray(allowed) && allowed.length === pods.length, `${shown}: "allowed" must have one row per pod`);
  for (const row of allowed) {
    assert.ok(
      Array.isArray(row) && row.length === pods.length && row.every((v) => typeof v === 'boolean'),
      `${shown}: every "allowed" row must hold ${pods.length} booleans`,
    );
  }
  return { pods: pods as string[], allowed: allowed as boolean[][] };
}

// ---------------------------------------------------------------- expected matrix (upstream Reachability)

function matches(peer: Peer, pod: string): boolean {
  const slash = pod.indexOf('/');
  const ns = pod.slice(0, slash);
  const name = pod.slice(slash + 1);
  return (peer.namespace === undefined || peer.namespace === ns) && (peer.pod === undefined || peer.pod === name);
}

/** NewReachability(pods, default) followed by the Expect calls, in order. */
function expectedMatrix(pods: string[], probe: Probe): boolean[][] {
  const m = pods.map(() => pods.map(() => probe.default));
  for (const e of probe.expect) {
    pods.forEach((from, i) => {
      if (!matches(e.from, from)) return;
      pods.forEach((to, j) => {
        if (matches(e.to, to)) m[i]![j] = e.allowed;
      });
    });
  }
  return m;
}

/** Upstream TruthTable.PrettyPrint style: rows are sources, columns destinations. */
function truthTable(pods: string[], cell: (i: number, j: number) => string): string {
  const w = Math.max(1, ...pods.map((p) => p.length)) + 1;
  const lines = [['-', ...pods].map((s) => s.padEnd(w)).join('').trimEnd()];
  pods.forEach((from, i) => {
    lines.push([from, ...pods.map((_, j) => cell(i, j))].map((s) => s.padEnd(w)).join('').trimEnd());
  });
  return lines.join('\n');
}

function describeMismatch(pods: string[], expected: boolean[][], actual: boolean[][], wrong: string[]): string {
  const mark = (v: boolean): string => (v ? '.' : 'X');
  return [
    `${wrong.length} wrong cell(s) ("." allowed, "X" denied; rows = from, columns = to):`,
    ...wrong.map((w) => `  ${w}`),
    '',
    'expected:',
    truthTable(pods, (i, j) => mark(expected[i]![j]!)),
    '',
    'observed (netlens):',
    truthTable(pods, (i, j) => mark(actual[i]![j]!)),
    '',
    'comparison ("." same, "X" different, "-" loopback, ignored):',
    truthTable(pods, (i, j) => (i === j ? '-' : expected[i]![j] === actual[i]![j] ? '.' : 'X')),
  ].join('\n');
}

// ---------------------------------------------------------------- tests

const cases = loadCases();

test('upstream-netpol fixtures are complete', () => {
  assert.ok(cases.length > 0, `no *.expect.yaml under ${CASES}`);
  for (const c of cases) {
    assert.ok(fs.existsSync(c.caseFile), `missing ${path.relative(REPO, c.caseFile)}`);
    assert.ok(fs.existsSync(c.clusterFile), `missing ${path.relative(REPO, c.clusterFile)}`);
    const head = fs.readFileSync(c.caseFile, 'utf8').split('\n', 1)[0];
    assert.equal(head, `# upstream: ${c.spec.upstream}`, `${c.slug}.yaml must start with its upstream It() string`);
  }
});

const byContext = new Map<string, Case[]>();
for (const c of cases) {
  const ctx = c.spec.context ?? 'NetworkPolicy between server and client';
  byContext.set(ctx, [...(byContext.get(ctx) ?? []), c]);
}

for (const [context, list] of byContext) {
  describe(`upstream netpol: ${context}`, () => {
    for (const c of list) {
      const phase = c.spec.phase ? ` (phase ${c.spec.phase.split(':')[0]})` : '';
      for (const probe of c.spec.probes) {
        test(`${c.spec.upstream}${phase} [${c.slug}] ${probe.protocol}/${probe.port}`, () => {
          assert.ok(fs.existsSync(CLI), `${path.relative(REPO, CLI)} not found: run \`npm run build\` first`);
          const actual = runMatrix(c, probe);
          const modelPods = podsIn([c.clusterFile, c.caseFile]);
          assert.deepEqual([...actual.pods].sort(), modelPods, 'the matrix must cover exactly the pods of the model');
          const expected = expectedMatrix(actual.pods, probe);
          const wrong: string[] = [];
          actual.pods.forEach((from, i) => {
            actual.pods.forEach((to, j) => {
              if (i === j) return; // loopback: ignored, like upstream (ignoreLoopback)
              const want = expected[i]![j]!;
              const got = actual.allowed[i]![j]!;
              if (want !== got) wrong.push(`${from} -> ${to}: expected ${want ? 'allowed' : 'denied'}, got ${got ? 'allowed' : 'denied'}`);
            });
          });
          if (wrong.length > 0) assert.fail(describeMismatch(actual.pods, expected, actual.allowed, wrong));
        });
      }
    }
  });
}

// Upstream ignores loopback; the documentation says a pod cannot block access
// to itself. Every pod of the model is a single Pod, so under each default-deny
// case (where policies deny every other pair into or out of a pod) the diagonal
// must still be allowed, on every probed port.
describe('upstream netpol default-deny cases: a pod can always reach itself', () => {
  const denyCases = cases.filter((c) => /^default-deny/.test(c.slug));
  test('the default-deny cases are there', () => {
    assert.deepEqual(
      denyCases.map((c) => c.slug),
      ['default-deny-all', 'default-deny-ingress'],
    );
  });
  for (const c of denyCases) {
    for (const probe of c.spec.probes) {
      test(`[${c.slug}] ${probe.protocol}/${probe.port}: every pod reaches itself, the isolated ones too`, () => {
        const actual = runMatrix(c, probe);
        const expected = expectedMatrix(actual.pods, probe);
        // Isolated: upstream expects every other pod denied into it.
        const isolated = actual.pods.filter((_, i) => expected.every((row, j) => j === i || !row[i]));
        assert.deepEqual(isolated, ['x/a', 'x/b', 'x/c']);
        assert.deepEqual(
          actual.pods.filter((_, i) => !actual.allowed[i]![i]),
          [],
          'pods denied to themselves',
        );
      });
    }
  }
});
