/**
 * Calico NetworkPolicy and GlobalNetworkPolicy through the real CLI:
 * `netlens matrix --json` truth tables on a small cluster
 * (test/fixtures/calico, the setting of Calico's policy examples). Facts
 * from Calico's references: policies are evaluated in order (lower order
 * first, no order last) and the first rule that matches decides; a
 * Kubernetes NetworkPolicy is an order-1000 policy of the default tier; a
 * tier that applies but decides nothing drops the traffic; Pass goes on to
 * the next tier; namespaceSelector and serviceAccounts match the namespace's
 * and the service account's labels. Rows are sources, columns destinations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureCli } from './support/fixtureCli.js';

const { netlens, matrix } = fixtureCli('calico', ['production/database', 'production/frontend', 'production/reports', 'staging/frontend'], ['cluster.yaml', 'calico.conflist']);

const T = true;
const F = false;
/** Only the database's column changes in most cases: every pod reaches every other pod but it. */
const toDatabase = (column: boolean[]): boolean[][] => column.map((allowed, s) => [s === 0 || allowed, T, T, T]);

test('without policies every pod reaches every pod', () => {
  assert.deepEqual(matrix(6379), toDatabase([T, T, T, T]));
});

test("the resource reference's NetworkPolicy admits frontends of its namespace on TCP 6379 only", () => {
  assert.deepEqual(matrix(6379, 'allow-6379.yaml'), toDatabase([T, T, T, F]));
  assert.deepEqual(matrix(80, 'allow-6379.yaml'), toDatabase([T, F, F, F]));
});

test('a Deny of a lower order decides before a later Allow', () => {
  // deny-blue (order 100) drops the blue reports pod; allow-tcp-6379 (no order: last) still admits the other frontend.
  assert.deepEqual(matrix(6379, 'allow-6379.yaml', 'deny-blue.yaml'), toDatabase([T, T, F, F]));
  const why = netlens(['explain', 'production/reports', 'production/database', '--port', '6379', 'cluster.yaml', 'calico.conflist', 'allow-6379.yaml', 'deny-blue.yaml'], 1);
  assert.match(why, /^production\/reports → production\/database on TCP 6379: DENIED$/m);
  assert.match(why, /ingress of production\/database: denied: by deny-blue ingress rule 1 \(Deny\), the first rule that matches in tier and policy order\./);
});

test('a Kubernetes NetworkPolicy sits at order 1000: a Calico Deny at 500 wins over it, one at 2000 does not', () => {
  // The NetworkPolicy admits staging to the database; alone with allow-tcp-6379 every pod reaches it.
  assert.deepEqual(matrix(6379, 'allow-6379.yaml', 'staging-np.yaml'), toDatabase([T, T, T, T]));
  // deny-staging selects every production pod with a role; its second rule allows the rest.
  assert.deepEqual(matrix(6379, 'allow-6379.yaml', 'staging-np.yaml', 'deny-staging-early.yaml'), [
    [T, T, T, T],
    [T, T, T, T],
    [T, T, T, T],
    [F, F, F, T],
  ]);
  assert.deepEqual(matrix(6379, 'allow-6379.yaml', 'staging-np.yaml', 'deny-staging-late.yaml'), [
    [T, T, T, T],
    [T, T, T, T],
    [T, T, T, T],
    [T, F, F, T],
  ]);
  const why = netlens(['explain', 'staging/frontend', 'production/database', '--port', '6379', 'cluster.yaml', 'calico.conflist', 'allow-6379.yaml', 'staging-np.yaml', 'deny-staging-late.yaml']);
  assert.match(why, /ingress of production\/database: allowed: by production\/staging-to-database ingress rule 1 \(Allow\), the first rule that matches in tier and policy order\./);
});

test('with cluster-wide policies: the admin tier decides first, Calico is the NetworkPolicy step, what Calico passes out meets the baseline tier', () => {
  const stagingDenied = [
    [T, T, T, T],
    [T, T, T, T],
    [T, T, T, T],
    [F, F, F, T],
  ];
  // An admin Allow wins over Calico's Deny at order 500.
  assert.deepEqual(matrix(6379, 'deny-staging-early.yaml', 'anp-allow-staging.yaml'), matrix(6379));
  assert.deepEqual(matrix(6379, 'deny-staging-early.yaml'), stagingDenied);
  assert.deepEqual(matrix(6379, 'pass-staging.yaml'), matrix(6379));
  // Passed out of the last tier: alone the profile allows it; with the baseline Deny it is dropped.
  assert.deepEqual(matrix(6379, 'pass-staging.yaml', 'banp-deny-staging.yaml'), stagingDenied);
  const why = netlens(['explain', 'staging/frontend', 'production/database', '--port', '6379', 'cluster.yaml', 'calico.conflist', 'pass-staging.yaml', 'banp-deny-staging.yaml'], 1);
  assert.match(why, /ingress of production\/database: denied: by BaselineAdminNetworkPolicy default ingress rule 1 \(no-staging\), Deny in the baseline tier, as Calico's tiers pass it on for production\/database's ingress\./);
});

test('a tier that applies drops what it does not decide; Pass goes on to the default tier; a service account selector allows outright', () => {
  // The security tier's gate selects every pod: production passes (and, with no policy in the
  // default tier, reaches the profile, which allows), finance's account is allowed, staging is dropped.
  assert.deepEqual(matrix(6379, 'tiers.yaml'), [
    [T, T, T, T],
    [T, T, T, T],
    [T, T, T, T],
    [F, F, F, T],
  ]);
  // Passed traffic meets allow-tcp-6379 in the default tier; the reports pod was allowed before it, on any port.
  assert.deepEqual(matrix(80, 'tiers.yaml', 'allow-6379.yaml'), [
    [T, T, T, T],
    [F, T, T, T],
    [T, T, T, T],
    [F, F, F, T],
  ]);
  const dropped = netlens(['explain', 'staging/frontend', 'production/frontend', '--port', '80', 'cluster.yaml', 'calico.conflist', 'tiers.yaml'], 1);
  assert.match(dropped, /ingress of production\/frontend: denied: no rule of tier security decides it, and a tier that applies drops what it does not decide\./);
  const allowed = netlens(['explain', 'production/reports', 'production/database', '--port', '6379', 'cluster.yaml', 'calico.conflist', 'tiers.yaml', 'deny-blue.yaml']);
  assert.match(allowed, /allowed: by security\.gate ingress rule 1 \(Allow\)/);
});

test('check reports rejected selectors and ports, a misspelt field (schemas/calico-*.schema.json), unmodelled fields, a Deny shadowing an Allow, and Calico policies on another CNI', () => {
  const findings = (files: string[]) =>
    (JSON.parse(netlens(['check', '--format', 'json', ...files], files.includes('findings.yaml') ? 1 : 0)) as { findings: Array<{ code: string; file: string; line: number }> }).findings
      .filter((f) => f.code !== 'namespace-without-default-deny')
      .map((f) => `${f.file}:${f.line} ${f.code}`);
  assert.deepEqual(findings(['cluster.yaml', 'calico.conflist', 'findings.yaml']), [
    'findings.yaml:10 selector-invalid',
    'findings.yaml:14 object-invalid',
    'findings.yaml:18 calico-field-not-modelled',
    'findings.yaml:22 calico-field-not-modelled',
    'findings.yaml:34 deny-shadows-allow',
    'findings.yaml:45 schema-invalid',
  ]);
  // One finding for every Calico policy on a Cilium cluster, on the first of them.
  assert.deepEqual(findings(['cluster.yaml', 'cilium.conflist', 'allow-6379.yaml', 'deny-blue.yaml']), ['allow-6379.yaml:6 calico-policy-without-calico']);
  assert.deepEqual(findings(['cluster.yaml', 'calico.conflist', 'allow-6379.yaml', 'deny-blue.yaml']), []);
});

test('ipVersion narrows the addresses a rule matches, not pod traffic; an ICMP rule decides no TCP traffic', () => {
  // The ICMP Deny comes first and would drop everything on TCP; the IPv6-only selector rule still admits production's frontends.
  assert.deepEqual(matrix(6379, 'ip-version.yaml'), toDatabase([T, T, T, F]));
  const from = (address: string, status: number) => netlens(['explain', address, 'production/database', '--port', '6379', 'cluster.yaml', 'calico.conflist', 'ip-version.yaml'], status);
  assert.match(from('10.2.0.1', 0), /ingress of production\/database: allowed: by production\/by-family ingress rule 2 \(Allow\)/);
  // Inside notNets, or IPv6 where the notNets rule is IPv4 only: no rule matches.
  assert.match(from('10.1.0.5', 1), /ingress of production\/database: denied: no rule of tier default decides it/);
  assert.match(from('2001:db8::1', 1), /ingress of production\/database: denied: no rule of tier default decides it/);
});

test('staged policies enforce nothing: one information finding each, and no verdict changes', () => {
  assert.deepEqual(matrix(6379, 'staged.yaml'), toDatabase([T, T, T, T]));
  assert.deepEqual(matrix(6379, 'allow-6379.yaml', 'staged.yaml'), matrix(6379, 'allow-6379.yaml'));
  const report = JSON.parse(netlens(['check', '--format', 'json', 'cluster.yaml', 'calico.conflist', 'staged.yaml', 'ip-version.yaml', 'icmp-without-protocol.yaml'], 1)) as { findings: Array<{ code: string; file: string; line: number; message: string }> };
  assert.deepEqual(
    report.findings.filter((f) => f.code !== 'namespace-without-default-deny').map((f) => `${f.file}:${f.line} ${f.code}`),
    ['icmp-without-protocol.yaml:10 object-invalid', 'ip-version.yaml:15 calico-field-not-modelled', 'ip-version.yaml:33 object-invalid', 'staged.yaml:4 calico-staged-policy', 'staged.yaml:14 calico-staged-policy'],
  );
  assert.match(report.findings.find((f) => f.line === 14 && f.file === 'staged.yaml')!.message, /A StagedKubernetesNetworkPolicy previews its rules and enforces nothing.*as a Kubernetes NetworkPolicy it would take part/);
});

test("explain's closest misses on a side Calico decides: Allow rules reached before the traffic is dropped, none after a deciding Deny", () => {
  const explain = (...files: string[]) => netlens(['explain', 'staging/frontend', 'production/database', '--port', '6379', 'cluster.yaml', 'calico.conflist', ...files], 1);
  // Dropped at the end of the default tier: allow-tcp-6379 was reached, and misses only by namespace.
  assert.match(explain('allow-6379.yaml'), /closest misses:\n {6}production\/allow-tcp-6379 ingress rule 1 \(allow-6379\.yaml:12:7\), Allow: TCP 6379 from pods role == "frontend" in production, would admit it if:\n {8}- without a namespaceSelector the peer is namespace production only; staging\/frontend is in staging/);
  // deny-staging (order 500) decides first: an Allow after it would change nothing, so nothing is offered.
  assert.doesNotMatch(explain('allow-6379.yaml', 'deny-staging-early.yaml', 'staging-np.yaml'), /closest misses/);
  // A typo inside a Calico selector string: the miss names the character and carries the quick fix.
  const typos = fixtureCli('calico/typos', ['production/database', 'production/frontend']);
  const why = typos.netlens(['explain', 'production/frontend', 'production/database', '--port', '6379', 'typos.yaml', 'calico.conflist'], 1);
  assert.match(why, /- selector rol == "frontend": the pods of production\/frontend have role, not rol \(1 character\) \(typos\.yaml:48:19\) \[quick fix: Change "rol" to "role"\]/);
  assert.match(why, /- selector role in \{"frontend", "reports"\} && pcns\.env == "prd": the pods of production\/frontend have env=prod \(1 character\) \(typos\.yaml:60:37\) \[quick fix: Change "prd" to "prod"\]/);
});

test('a named port less numeric notPorts (seed 1527260373): nothing where the name resolves into notPorts', () => {
  const ports = fixtureCli('calico', ['ports/web-8080', 'ports/web-9090', 'ports/client'], ['calico.conflist']);
  // Rows and columns: web-8080, web-9090, client; a pod reaches itself; the client is selected by no policy.
  // On 8080 "web" is web-8080's port, which notPorts take away; web-9090's "web" is not 8080.
  assert.deepEqual(ports.matrix(8080, 'named-port-not-ports.yaml'), [
    [T, F, T],
    [F, T, T],
    [F, F, T],
  ]);
  // On 9090 "web" is web-9090's port, outside notPorts.
  assert.deepEqual(ports.matrix(9090, 'named-port-not-ports.yaml'), [
    [T, T, T],
    [F, T, T],
    [F, T, T],
  ]);
  const why = ports.netlens(['explain', 'ports/client', 'ports/web-8080', '--port', '8080', 'calico.conflist', 'named-port-not-ports.yaml'], 1);
  assert.match(why, /"web" is port 8080 on ports\/web-8080, which the rule's notPorts take away/);
});
