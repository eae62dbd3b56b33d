/**
 * The graph panel's graph after an edit is patched from the last one
 * (GraphMemo): the flows of class pairs whose rules an edit left alone are
 * kept, the rest decided again. Two edits that a patch could get wrong: a
 * changed policy that takes a flow away from its pods (a kept flow would
 * linger), and a new policy that isolates a namespace, so that default flows
 * into an unchanged workload there are drawn per pair instead of by the
 * namespace edge. After each, the graph equals a fresh index's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../server/src/settings.js';
import { WorkspaceIndex } from '../server/src/workspaceIndex.js';
import { plainGraph } from './support/plainGraph.js';

const workload = (ns: string, app: string, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${app}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers:
        - name: main
          image: example/${app}:1
          ports: [{containerPort: ${port}}]
`;

// ops is open both ways, so its default flows into data are one namespace edge until data is isolated somewhere.
const WORKLOADS = [
  ...['shop', 'data', 'ops'].map((name) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`),
  workload('shop', 'web', 8080),
  workload('shop', 'api', 8080),
  workload('data', 'db', 5432),
  workload('data', 'cache', 6379),
  workload('ops', 'metrics', 9090),
  workload('ops', 'logs', 3100),
].join('---\n');

const WEB_EGRESS = (port: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}]
      ports: [{port: ${port}}]
`;

const DB_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-ingress, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]
`;

function indexOf(texts: ReadonlyMap<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex(DEFAULT_SETTINGS);
  for (const [uri, text] of texts) index.setText(uri, text, false);
  return index;
}

test('a patched graph equals a fresh one after edits that take flows away and change what namespace edges draw', () => {
  const texts = new Map([
    ['file:///ws/apps.yaml', WORKLOADS],
    ['file:///ws/web-egress.yaml', WEB_EGRESS(5432)],
  ]);
  const index = indexOf(texts);
  const classes = () => index.analysis().reachability.classes.length;
  const flowsOf = () => plainGraph(index.reachabilityGraph()) as { flows: Array<{ source: string; target: string; ports: string[] }> };
  assert.deepEqual(
    flowsOf().flows.filter((f) => f.source === 'w:Deployment:shop/web').map((f) => [f.target, f.ports]),
    [['w:Deployment:data/db', ['TCP 5432']]],
  );
  assert.equal(index.graphClassesDecided(), classes(), 'the first graph is worked out whole');

  const steps: Array<[string, string, string]> = [
    // web's egress moves to a port db does not listen on: the flow web → db must go.
    ['web loses its flow to db', 'file:///ws/web-egress.yaml', WEB_EGRESS(6379)],
    // data is now isolated for ingress at db: the default flows from ops into cache, neither of them changed, are drawn per pair, not by the namespace edge.
    ['db isolated for ingress', 'file:///ws/db-ingress.yaml', DB_INGRESS],
  ];
  for (const [name, uri, text] of steps) {
    texts.set(uri, text);
    index.setText(uri, text, true);
    const fresh = indexOf(texts);
    assert.deepEqual(plainGraph(index.reachabilityGraph()), plainGraph(fresh.reachabilityGraph()), name);
    assert.ok(index.graphClassesDecided() < classes(), `${name}: patched, not worked out whole (${index.graphClassesDecided()} of ${classes()} classes decided again)`);
  }
  assert.deepEqual(
    flowsOf().flows.filter((f) => f.source === 'w:Deployment:shop/web').map((f) => f.target),
    [],
    'web reaches nothing on a port its pods declare',
  );
});
