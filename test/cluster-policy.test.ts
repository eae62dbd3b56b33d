/**
 * Cluster-wide policies through the real CLI: the conformance scenarios of
 * kubernetes-sigs/network-policy-api (conformance/tests/*.go at 0eec1b0) as
 * `netlens matrix --json` truth tables. The fixtures (test/fixtures/cluster-policy)
 * are written for Netlens; the expected verdicts are the ones the Go tests
 * poke for. Each upstream test that mutates a policy (swapping rules,
 * changing a priority or an action) is a second fixture here. Rows are
 * sources, columns destinations, in the order of PODS.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, REPO_ROOT } from './support/paths.js';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'cluster-policy');
const HOUSES = ['gryffindor/harry-potter', 'slytherin/draco-malfoy', 'hufflepuff/cedric-diggory', 'ravenclaw/luna-lovegood'];
const PODS = HOUSES.map((h) => `network-policy-conformance-${h}`);
const [GRYFFINDOR, SLYTHERIN] = PODS as [string, string];

function netlens(args: string[], status = 0): string {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: DIR, encoding: 'utf8' });
  assert.equal(run.status, status, run.stderr);
  return run.stdout;
}

/** The matrix as one string per source row: T allowed, . denied. */
function matrix(port: string, ...files: string[]): string[] {
  const [number, protocol] = port.split('/');
  const args = ['matrix', '--port', number!, ...(protocol ? ['--protocol', protocol] : []), '--json', 'houses.yaml', ...files];
  const answer = JSON.parse(netlens(args)) as { pods: string[]; allowed: boolean[][] };
  assert.deepEqual(answer.pods, PODS);
  return answer.allowed.map((row) => row.map((cell) => (cell ? 'T' : '.')).join(''));
}

const OPEN = ['TTTT', 'TTTT', 'TTTT', 'TTTT'];

test('without policies every house reaches every house', () => {
  assert.deepEqual(matrix('80'), OPEN);
});

test('integration: an admin Deny wins over a NetworkPolicy that allows (CNPAdminTierIntegration)', () => {
  assert.deepEqual(matrix('80', 'admin-deny-slytherin.yaml'), ['T.TT', '.TTT', 'TTTT', 'TTTT']);
  // The NetworkPolicy admits only slytherin into gryffindor and lets gryffindor send only to slytherin; the admin Deny still decides.
  assert.deepEqual(matrix('80', 'admin-deny-slytherin.yaml', 'np-allow-slytherin.yaml'), ['....', '.TTT', '.TTT', '.TTT']);
  assert.deepEqual(matrix('8080', 'admin-deny-slytherin.yaml', 'np-allow-slytherin.yaml'), ['....', '.TTT', '.TTT', '.TTT']);
});

test('integration: an admin Pass hands the traffic to the NetworkPolicy, or to the baseline when none selects the pod', () => {
  assert.deepEqual(matrix('80', 'admin-pass-slytherin.yaml', 'np-allow-slytherin.yaml'), ['.T..', 'TTTT', '.TTT', '.TTT']);
  assert.deepEqual(matrix('80', 'admin-pass-slytherin.yaml', 'np-allow-slytherin.yaml', 'baseline-deny-slytherin.yaml'), ['.T..', 'TTTT', '.TTT', '.TTT']);
  // With the NetworkPolicy deleted, the baseline Deny decides.
  assert.deepEqual(matrix('80', 'admin-pass-slytherin.yaml', 'baseline-deny-slytherin.yaml'), ['T.TT', '.TTT', 'TTTT', 'TTTT']);
  assert.deepEqual(matrix('8080', 'admin-pass-slytherin.yaml', 'baseline-deny-slytherin.yaml'), ['T.TT', '.TTT', 'TTTT', 'TTTT']);
});

test('priority: the lower number decides first; moving the Pass from 60 to 40 lets the baseline Accept through (CNPAdminTierPriorityField)', () => {
  assert.deepEqual(matrix('80', 'priority.yaml'), ['T.TT', '.TTT', 'TTTT', 'TTTT']);
  assert.deepEqual(matrix('80', 'priority.yaml', 'pass-at-60.yaml'), ['T.TT', '.TTT', 'TTTT', 'TTTT']);
  assert.deepEqual(matrix('80', 'priority.yaml', 'pass-at-40.yaml'), OPEN);
});

test('ingress TCP: rules of one policy count in written order, on their ports (CNPAdminTierIngressTCP)', () => {
  // Accept for ravenclaw first; slytherin denied on 80 only; hufflepuff accepted on 80, denied on the rest.
  assert.deepEqual(matrix('80', 'ingress-tcp-accept-first.yaml'), OPEN.map((row, i) => (i === 1 ? '.TTT' : row)));
  assert.deepEqual(matrix('8080', 'ingress-tcp-accept-first.yaml'), OPEN.map((row, i) => (i === 2 ? '.TTT' : row)));
  // Deny swapped to the top: ravenclaw denied on every port.
  assert.deepEqual(matrix('80', 'ingress-tcp-deny-first.yaml'), ['TTTT', '.TTT', 'TTTT', '.TTT']);
  assert.deepEqual(matrix('8080', 'ingress-tcp-deny-first.yaml'), ['TTTT', 'TTTT', '.TTT', '.TTT']);
  // Pass at the top: no NetworkPolicy and no baseline, so the default allow.
  assert.deepEqual(matrix('8080', 'ingress-tcp-pass-first.yaml'), OPEN.map((row, i) => (i === 2 ? '.TTT' : row)));
});

test('the v1alpha1 AdminNetworkPolicy spelling of the same rules gives the same tables', () => {
  for (const port of ['80', '8080', '53/UDP']) assert.deepEqual(matrix(port, 'ingress-tcp-v1alpha1.yaml'), matrix(port, 'ingress-tcp-accept-first.yaml'), port);
});

test('egress by protocol: UDP and SCTP ports, a TCP range and a named port (CNPAdminTierEgressUDP/SCTP)', () => {
  const first = (port: string) => matrix(port, 'egress-protocols.yaml')[0];
  assert.equal(first('53/UDP'), 'T..T');
  assert.equal(first('5353/UDP'), 'TT.T');
  assert.equal(first('9003/SCTP'), 'TTTT');
  assert.equal(first('9005/SCTP'), 'TT.T');
  // "web" is 80 on the ravenclaw server: accepted before the range denies the rest of TCP.
  assert.equal(first('80'), 'TT.T');
  assert.equal(first('8080'), 'TT..');
  // Only gryffindor's egress is governed.
  assert.deepEqual(matrix('8080', 'egress-protocols.yaml').slice(1), ['TTTT', 'TTTT', 'TTTT']);
});

test('networks: a Deny to 0.0.0.0/0 and ::/0 also denies pod traffic, after the Accept to slytherin (CNPAdminTierEgressInlineCIDRPeers)', () => {
  for (const port of ['80', '53/UDP', '9003/SCTP']) assert.deepEqual(matrix(port, 'egress-networks.yaml'), ['.T..', 'TTTT', 'TTTT', 'TTTT'], port);
});

test('baseline v1alpha1: decides where no NetworkPolicy selects the pod, and a NetworkPolicy overrides it (BANP ingress rules)', () => {
  assert.deepEqual(matrix('80', 'baseline-v1alpha1.yaml'), ['.TTT', '.TTT', '.TTT', 'TTTT']);
  assert.deepEqual(matrix('80', 'baseline-v1alpha1.yaml', 'np-allow-hufflepuff.yaml'), ['.TTT', '.TTT', 'TTTT', '.TTT']);
});

test('the peer shape of releases before v0.1.5 is read for what it selects (and flagged by the schema)', () => {
  assert.deepEqual(matrix('80', 'older-v1alpha1.yaml'), ['TTTT', '.TTT', '.TTT', 'TTTT']);
  const schema = (JSON.parse(netlens(['check', '--format', 'json', 'houses.yaml', 'older-v1alpha1.yaml'], 1)) as { findings: Array<{ code: string; line: number }> }).findings
    .filter((f) => f.code === 'schema-invalid')
    .map((f) => f.line);
  assert.deepEqual(schema, [14, 16]);
});

test('nodes and domain names match no pod of the workspace', () => {
  assert.deepEqual(matrix('80', 'egress-nodes-domains.yaml'), OPEN);
});

test('explain names the deciding policy, rule, action and tier, and the Pass that handed the traffic on', () => {
  const denied = netlens(['explain', SLYTHERIN, GRYFFINDOR, '--port', '80', 'houses.yaml', 'admin-deny-slytherin.yaml', 'np-allow-slytherin.yaml'], 1);
  assert.match(denied, /: DENIED$/m);
  assert.match(
    denied,
    /^ {2}ingress of network-policy-conformance-gryffindor\/harry-potter: denied: by ClusterNetworkPolicy guard-gryffindor ingress rule 1 \(no-slytherin-in\), Deny in the admin tier at priority 10, which no NetworkPolicy can override\.$/m,
  );
  const passed = netlens(['explain', GRYFFINDOR, SLYTHERIN, '--port', '80', 'houses.yaml', 'admin-pass-slytherin.yaml', 'baseline-deny-slytherin.yaml'], 1);
  assert.match(
    passed,
    /^ {2}egress of network-policy-conformance-gryffindor\/harry-potter: passed on by ClusterNetworkPolicy guard-gryffindor egress rule 1 \(no-slytherin-out\); denied: by ClusterNetworkPolicy baseline-gryffindor egress rule 1, Deny in the baseline tier at priority 10, as no NetworkPolicy selects network-policy-conformance-gryffindor\/harry-potter for egress\.$/m,
  );
  const report = JSON.parse(netlens(['explain', GRYFFINDOR, SLYTHERIN, '--port', '80', '--json', 'houses.yaml', 'admin-pass-slytherin.yaml', 'baseline-deny-slytherin.yaml'], 1)) as {
    ports: Array<{ egress: { tiers: { decidedBy: string; rules: Array<{ policy: string; action: string; tier: string; priority: number; matches: boolean }> } } }>;
  };
  assert.equal(report.ports[0]!.egress.tiers.decidedBy, 'rule');
  assert.deepEqual(
    report.ports[0]!.egress.tiers.rules.map((r) => [r.policy, r.action, r.tier, r.priority, r.matches]),
    [
      ['guard-gryffindor', 'Pass', 'admin', 10, true],
      ['baseline-gryffindor', 'Deny', 'baseline', 10, true],
    ],
  );
});

test('check: shadowed rules, equal priorities, a Pass with no NetworkPolicy, subjects and peers matching nothing, schema and field errors', () => {
  // check exits 1 when it finds errors.
  const findings = (files: string[], status = 0) =>
    (JSON.parse(netlens(['check', '--format', 'json', 'houses.yaml', ...files], status)) as { findings: Array<{ code: string; file: string; line: number; message: string }> }).findings.filter(
      (f) => f.file !== 'houses.yaml',
    );
  assert.deepEqual(
    findings(['findings.yaml'], 1).map((f) => `${f.line} ${f.code}`),
    [
      '14 tier-rule-shadowed',
      '18 pass-without-network-policy',
      // The Pass to every slytherin pod comes first: this Deny never applies (and its pods do not exist).
      '21 tier-rule-shadowed',
      '23 peer-selects-no-pods',
      '30 tier-priority-overlap',
      '52 policy-selects-no-pods',
      '64 object-invalid',
      '68 object-invalid',
      '69 schema-invalid',
    ],
  );
  const shadowed = findings(['findings.yaml'], 1)[0]!.message;
  assert.match(shadowed, /^This admin Allow at priority 10 is shadowed by the admin Deny at priority 10 \(first-at-10 ingress rule 1\) for the same traffic: it never decides anything\./);
  const acrossTiers = findings(['priority.yaml']).map((f) => f.message);
  assert.match(acrossTiers[0]!, /^This baseline Accept at priority 10 is shadowed by the admin Deny at priority 50 \(deny-at-50 ingress rule 1\) for the same traffic/);
  // One policy hiding two rules of another: one finding for the pair, the second rule a related location.
  const report = JSON.parse(netlens(['check', '--format', 'json', 'houses.yaml', 'shadowed-pair.yaml'])) as {
    findings: Array<{ code: string; file: string; line: number; message: string; related?: Array<{ line: number; message: string }> }>;
  };
  const pair = report.findings.filter((f) => f.code === 'tier-rule-shadowed');
  assert.deepEqual(
    pair.map((f) => f.line),
    [26],
  );
  assert.match(pair[0]!.message, /^This admin Allow at priority 20 is shadowed by the admin Deny at priority 5 \(deny-all-at-5 ingress rule 1\) for the same traffic: it never decides anything\. So is ingress rule 2 of allow-friends-at-20, by rules of deny-all-at-5\./);
  assert.deepEqual(
    pair[0]!.related?.map((r) => `${r.line} ${r.message}`),
    ['13 the rule evaluated first', '29 also shadowed: allow-friends-at-20 ingress rule 2'],
  );
  // The conformance fixtures themselves are valid: no error, no schema finding.
  for (const file of ['admin-deny-slytherin.yaml', 'ingress-tcp-v1alpha1.yaml', 'egress-protocols.yaml', 'egress-networks.yaml', 'baseline-v1alpha1.yaml', 'egress-nodes-domains.yaml']) {
    assert.deepEqual(findings([file]).filter((f) => f.code === 'schema-invalid' || f.code === 'object-invalid'), [], file);
  }
});

test('check: a CNI that does not implement the API is said once, on the first cluster-wide policy', () => {
  const codes = (JSON.parse(netlens(['check', '--format', 'json', 'houses.yaml', 'priority.yaml', 'pass-at-60.yaml', 'flannel.conflist'])) as { findings: Array<{ code: string; file: string; line: number }> })
    .findings.filter((f) => f.code === 'cluster-policy-not-implemented' || f.code === 'cni-ignores-network-policy')
    .map((f) => `${f.file}:${f.line} ${f.code}`);
  assert.deepEqual(codes, ['priority.yaml:5 cluster-policy-not-implemented']);
  const text = netlens(['check', 'houses.yaml', 'admin-deny-slytherin.yaml', 'calico.conflist']);
  assert.doesNotMatch(text, /cluster-policy-not-implemented/);
});

test('which CNIs implement which generation (CLUSTER_POLICY_SUPPORT): kindnet only with an add-on, Antrea v1alpha1 and not known for ClusterNetworkPolicy', () => {
  const notImplemented = (files: string[]) =>
    (JSON.parse(netlens(['check', '--format', 'json', 'houses.yaml', ...files])) as { findings: Array<{ code: string; file: string; line: number; message: string }> }).findings.filter(
      (f) => f.code === 'cluster-policy-not-implemented',
    );
  const v1alpha1 = ['baseline-v1alpha1.yaml', 'ingress-tcp-v1alpha1.yaml'];
  const onKind = notImplemented([...v1alpha1, 'kind-cluster.yaml']);
  assert.deepEqual(onKind.map((f) => `${f.file}:${f.line}`), ['baseline-v1alpha1.yaml:5']);
  assert.match(onKind[0]!.message, /the cluster's CNI is kindnet \(from kind's default CNI \(kindnet\)\), which does not unless kube-network-policies' AdminNetworkPolicy controller \(install-anp\.yaml\) is deployed beside it/);
  // kindnet and ClusterNetworkPolicy: not known either way, so nothing is said.
  assert.deepEqual(notImplemented(['admin-deny-slytherin.yaml', 'kind-cluster.yaml']), []);
  assert.deepEqual(notImplemented([...v1alpha1, 'antrea.conflist']), []);
  assert.deepEqual(notImplemented(['admin-deny-slytherin.yaml', 'antrea.conflist']), []);
});

test('a Service isolated by NetworkPolicy is not called unreachable when an admin Allow lets pods in', () => {
  const unreachable = (files: string[]) =>
    (JSON.parse(netlens(['check', '--format', 'json', 'houses.yaml', ...files])) as { findings: Array<{ code: string }> }).findings.filter((f) => f.code === 'service-unreachable').length;
  assert.equal(unreachable(['stranded.yaml']), 1);
  assert.equal(unreachable(['stranded.yaml', 'ingress-tcp-v1alpha1.yaml']), 0);
  // The admin rules decide before the NetworkPolicy's isolation: ravenclaw and hufflepuff in on 80, slytherin denied.
  assert.deepEqual(matrix('80', 'stranded.yaml', 'ingress-tcp-v1alpha1.yaml'), ['.TTT', '.TTT', 'TTTT', 'TTTT']);
});
