/**
 * The port labels on graph edges, over the real netlens/graph request, for each shape a rule's ports can take:
 * a single port, endPort equal to port, a range, adjacent ports, a protocol with no port, no ports at all, and a
 * named port. The
 * edges' labels are computed from interval arithmetic (portRanges.ts), where an off-by-one turns "TCP 80" into
 * "TCP 80-81" or "all TCP ports" into a range spilling into UDP.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GRAPH, type GraphData } from '../server/src/requests.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { scratchWorkspace } from './support/scratch.js';

const pod = (name: string, ports: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: edge, labels: {app: ${name}}}
spec:
  containers: [{name: c, image: i${ports}}]
`;
const ingressFromClient = (name: string, ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-${name}, namespace: edge}
spec:
  podSelector: {matchLabels: {app: ${name}}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]${ports}
`;

const MANIFESTS = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: edge}\n',
  pod('client', ''),
  pod('single', ', ports: [{containerPort: 80}]'),
  pod('declared-in-range', ', ports: [{containerPort: 85}]'),
  pod('oneport-range', ''),
  pod('range', ''),
  pod('udp', ''),
  pod('portless-tcp', ''),
  pod('portless-any', ''),
  pod('named', ', ports: [{name: http, containerPort: 8080}]'),
  ingressFromClient('single', '\n    ports: [{port: 80}]'),
  ingressFromClient('oneport-range', '\n    ports: [{port: 80, endPort: 80}]'),
  ingressFromClient('declared-in-range', '\n    ports: [{port: 80, endPort: 90}]'),
  ingressFromClient('range', '\n    ports: [{port: 80, endPort: 90}]'),
  ingressFromClient('udp', '\n    ports: [{port: 53, protocol: UDP}, {port: 54, protocol: UDP}]'),
  ingressFromClient('portless-tcp', '\n    ports: [{protocol: TCP}]'),
  ingressFromClient('portless-any', ''),
  ingressFromClient('named', '\n    ports: [{port: http}]'),
].join('---\n');

describe('graph edge port labels', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  let dir: string;
  before(async () => {
    dir = scratchWorkspace('graph-ports', { 'cluster.yaml': MANIFESTS });
    client = await LspTestClient.start(dir);
    await client.waitForModel(uriOf(path.join(dir, 'cluster.yaml')));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('each destination shows exactly the ports its policy admits from client', async () => {
    const graph = await client.connection.sendRequest<GraphData>(GRAPH);
    const fromClient = Object.fromEntries(graph.edges.filter((e) => e.source === 'w:Pod:edge/client').map((e) => [e.target, e.ports]));
    // A destination that declares container ports shows the admitted ports it declares; one that declares none
    // shows everything the rule admits.
    assert.deepEqual(fromClient, {
      'w:Pod:edge/single': ['TCP 80'],
      'w:Pod:edge/declared-in-range': ['TCP 85'],
      'w:Pod:edge/oneport-range': ['TCP 80'],
      'w:Pod:edge/range': ['TCP 80-90'],
      'w:Pod:edge/udp': ['UDP 53-54'],
      'w:Pod:edge/portless-tcp': ['all TCP ports'],
      'w:Pod:edge/portless-any': ['any port'],
      'w:Pod:edge/named': ['TCP 8080'],
    });
  });
});
