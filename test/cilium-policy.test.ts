/**
 * CiliumNetworkPolicy through the real CLI: `netlens matrix --json` truth
 * tables on a small fleet (test/fixtures/cilium). Facts from the Cilium
 * policy docs: fromEndpoints without a namespace label means the policy's own
 * namespace; `k8s:io.kubernetes.pod.namespace` names another; a policy with
 * only ingressDeny rules still puts ingress into default deny
 * (enableDefaultDeny defaults to true for a direction that has rules); a deny
 * rule wins over any allow. Rows are sources, columns destinations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureCli } from './support/fixtureCli.js';

const { netlens, matrix } = fixtureCli('cilium', ['fleet/ship-a', 'fleet/ship-b', 'fleet/station', 'other/probe']);

const T = true;
const F = false;

test('without policies every pod reaches every pod', () => {
  assert.deepEqual(matrix(80, 'cluster.yaml'), [[T, T, T, T], [T, T, T, T], [T, T, T, T], [T, T, T, T]]);
});

test('an L3/L4 rule admits empire pods of the policy namespace on TCP 80 only', () => {
  // ship-b (empire, fleet) reaches the station; ship-a (rebels) and probe (empire, but namespace other) do not.
  assert.deepEqual(matrix(80, 'cluster.yaml', 'l4.yaml'), [[T, T, F, T], [T, T, T, T], [T, T, T, T], [T, T, F, T]]);
  // On another port nobody but the station itself reaches the station.
  assert.deepEqual(matrix(81, 'cluster.yaml', 'l4.yaml'), [[T, T, F, T], [T, T, F, T], [T, T, T, T], [T, T, F, T]]);
});

test('the k8s:io.kubernetes.pod.namespace label selects pods of another namespace', () => {
  assert.deepEqual(matrix(80, 'cluster.yaml', 'l4.yaml', 'ns.yaml'), [[T, T, F, T], [T, T, T, T], [T, T, T, T], [T, T, T, T]]);
});

test('an ingressDeny rule wins over the allow, and alone still isolates ingress', () => {
  assert.deepEqual(matrix(80, 'cluster.yaml', 'l4.yaml', 'deny.yaml'), [[T, T, F, T], [T, T, F, T], [T, T, T, T], [T, T, F, T]]);
  assert.deepEqual(matrix(80, 'cluster.yaml', 'deny.yaml'), [[T, T, F, T], [T, T, F, T], [T, T, T, T], [T, T, F, T]]);
  // explain exits 1 when the traffic is denied.
  const why = netlens(['explain', 'fleet/ship-b', 'fleet/station', '--port', '80', 'cluster.yaml', 'l4.yaml', 'deny.yaml'], 1);
  assert.match(why, /^fleet\/ship-b → fleet\/station on TCP 80: DENIED$/m);
  assert.match(why, /ingress of fleet\/station: denied: by fleet\/no-ship-b ingressDeny rule 1, and a deny rule wins over any allow\./);
});

test('world and CIDR rules admit only peers outside the cluster: a pod whose IP falls in the range is not admitted', () => {
  // ship-a's status.podIP 10.1.0.5 is inside the rule's 10.0.0.0/8 and inside world's 0.0.0.0/0; Cilium matches pods by identity, not by IP.
  assert.deepEqual(matrix(80, 'cluster.yaml', 'world.yaml'), [[T, T, F, T], [T, T, F, T], [T, T, T, T], [T, T, F, T]]);
  const why = netlens(['explain', 'fleet/ship-a', 'fleet/station', '--port', '80', 'cluster.yaml', 'world.yaml'], 1);
  assert.match(why, /✗ from addresses 10\.0\.0\.0\/8 outside the cluster: fleet\/ship-a is a pod of the cluster, and this peer admits only addresses outside it \(select the pod by labels\)/);
});

test('check names what Netlens does not model, deny shadowing, and Cilium policies on a Calico cluster', () => {
  const findings = (files: string[]) =>
    (JSON.parse(netlens(['check', '--format', 'json', ...files])) as { findings: Array<{ code: string; file: string; line: number }> }).findings
      .filter((f) => f.code.startsWith('cilium-') || f.code === 'deny-shadows-allow')
      .map((f) => `${f.file}:${f.line} ${f.code}`);
  assert.deepEqual(findings(['cluster.yaml', 'findings.yaml']), [
    'findings.yaml:7 cilium-entity-not-modelled',
    'findings.yaml:8 cilium-namespace-labels-ignored',
    'findings.yaml:10 cilium-field-not-modelled',
    'findings.yaml:18 deny-shadows-allow',
    'findings.yaml:26 cilium-host-policy-not-modelled',
  ]);
  // With Calico's CNI configuration in the workspace, the Cilium policies are flagged once, on the first one's name.
  const onCalico = findings(['cluster.yaml', 'l4.yaml', 'deny.yaml', 'calico.conflist']);
  assert.deepEqual(onCalico, ['l4.yaml:3 cilium-policy-without-cilium']);
  const text = netlens(['check', 'cluster.yaml', 'l4.yaml', 'deny.yaml', 'calico.conflist']);
  assert.match(text, /l4\.yaml:3:\d+: warning cilium-policy-without-cilium: This CiliumNetworkPolicy \(and 1 more policy like it\) is enforced only by cilium, but the cluster's CNI is calico /);
});

test('a misspelt field is schema-invalid with the field meant (schemas/cilium-*.schema.json)', () => {
  const out = netlens(['check', 'cluster.yaml', 'typo.yaml'], 1);
  assert.match(out, /^typo\.yaml:10:7: error schema-invalid: Unknown field "fromEndpoint" in spec\.ingress\[0\] \(did you mean "fromEndpoints"\?\)/m);
});
