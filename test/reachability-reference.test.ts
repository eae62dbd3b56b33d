/**
 * The fast bitset matrix against the obvious reading of the spec (explain.ts,
 * one pod pair at a time), on random small clusters written as real YAML.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { analyzeTexts, explainTraffic, type Protocol } from '../server/src/engine/index.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';

const PROTOS: Protocol[] = ['TCP', 'UDP', 'SCTP'];
const labelKey = fc.constantFrom('app', 'tier', 'team');
const labelValue = fc.constantFrom('a', 'b', 'c');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const portNumber = fc.integer({ min: 1, max: 12 });
const portName = fc.constantFrom('web', 'db', 'dns');

const selector = fc.oneof(
  fc.record({ matchLabels: labels }),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelValue, { minLength: 1, maxLength: 2 }) }),
        fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { maxLength: 2 },
    ),
  }),
);

const ipOctet = fc.integer({ min: 0, max: 7 });
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.record({
    ipBlock: fc.oneof(
      fc.record({ cidr: fc.constantFrom('10.0.0.0/29', '10.0.0.0/30', '10.0.0.4/30', '0.0.0.0/0') }),
      fc.record({ cidr: fc.constant('10.0.0.0/29'), except: fc.constantFrom(['10.0.0.0/31'], ['10.0.0.4/30', '10.0.0.2/32']) }),
    ),
  }),
);

const policyPort = fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOS), port: portNumber }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom(...PROTOS), port: portName }, { requiredKeys: ['port'] }),
  fc.integer({ min: 1, max: 10 }).chain((p) => fc.record({ port: fc.constant(p), endPort: fc.integer({ min: p, max: 12 }) })),
  fc.record({ protocol: fc.constantFrom(...PROTOS) }),
);

const rule = (peersKey: 'from' | 'to') =>
  fc.record({ [peersKey]: fc.array(peer, { maxLength: 2 }), ports: fc.array(policyPort, { maxLength: 2 }) }, { requiredKeys: [] });

const policy = fc.record({
  namespace: fc.constantFrom('x', 'y', 'z'),
  podSelector: fc.oneof(fc.constant({}), selector),
  policyTypes: fc.option(fc.subarray(['Ingress', 'Egress'], { minLength: 1 }), { nil: undefined }),
  ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
});

const pod = fc.record({
  namespace: fc.constantFrom('x', 'y', 'z'),
  labels,
  ports: fc.array(fc.record({ name: fc.option(portName, { nil: undefined }), containerPort: portNumber, protocol: fc.constantFrom(...PROTOS) }), { maxLength: 2 }),
  ip: fc.option(ipOctet, { nil: undefined }),
});

const cluster = fc.record({
  namespaceLabels: fc.tuple(labels, labels, labels),
  pods: fc.array(pod, { minLength: 1, maxLength: 7 }),
  policies: fc.array(policy, { maxLength: 4 }),
});

type Cluster = typeof cluster extends fc.Arbitrary<infer T> ? T : never;

function render(c: Cluster): string {
  const docs: unknown[] = [];
  ['x', 'y', 'z'].forEach((ns, i) => docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: c.namespaceLabels[i] } }));
  c.pods.forEach((p, i) => {
    const ports = p.ports.map((cp) => (cp.name === undefined ? { containerPort: cp.containerPort, protocol: cp.protocol } : cp));
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: p.namespace, labels: p.labels },
      spec: { containers: [{ name: 'c', image: 'i', ports }] },
      ...(p.ip === undefined ? {} : { status: { podIP: `10.0.0.${p.ip}` } }),
    });
  });
  c.policies.forEach((p, i) => {
    const spec: Record<string, unknown> = { podSelector: p.podSelector };
    if (p.policyTypes) spec['policyTypes'] = p.policyTypes;
    if (p.ingress) spec['ingress'] = p.ingress;
    if (p.egress) spec['egress'] = p.egress;
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: p.namespace }, spec });
  });
  return docs.map((d) => stringify(d)).join('---\n');
}

/** Every port number that can make a difference in these clusters, plus one beyond. */
const ALL_PORTS = [...Array.from({ length: 14 }, (_, i) => i + 1), 65535];

test('fast matrix equals the pod-by-pod reference on random clusters', async () => {
  await forEachFuzzSeed([], (seed) => fc.assert(
    fc.property(cluster, fc.constantFrom(...PROTOS), portNumber, (c, protocol, port) => {
      const analysis = analyzeTexts([{ file: 'random.yaml', text: render(c) }]);
      assert.deepEqual(analysis.findings.filter((f) => f.code === 'yaml-syntax'), []);
      const { workspace, reachability } = analysis;
      const groups = workspace.podGroups;
      const reference = (s: number, d: number, p: number, proto: Protocol) =>
        explainTraffic(workspace.policies, { kind: 'pod', group: groups[s]! }, { kind: 'pod', group: groups[d]! }, p, proto, reachability.namespaceLabels).allowed;

      const onePort = reachability.groupMatrix({ port, protocol });
      groups.forEach((_, s) => groups.forEach((__, d) => assert.equal(onePort.allowed[s]![d], reference(s, d, port, protocol), `${s}->${d} ${port}/${protocol}`)));

      const anyPort = reachability.groupMatrix({});
      groups.forEach((_, s) =>
        groups.forEach((g, d) => {
          const candidates: Array<[number, Protocol]> =
            g.ports.length > 0 ? g.ports.map((p) => [p.port, p.protocol]) : PROTOS.flatMap((proto) => ALL_PORTS.map((p): [number, Protocol] => [p, proto]));
          const expected = candidates.some(([p, proto]) => reference(s, d, p, proto));
          assert.equal(anyPort.allowed[s]![d], expected, `${s}->${d} any port`);
        }),
      );
    }),
    { seed, numRuns: 300 },
  ));
});
