/**
 * Code lenses and hovers after an edit read a ReachSummary patched from the
 * last one (WorkspaceIndex.reachSummary): a policy edit works out again only
 * the rows and columns of the classes that policy selects, and what the user
 * sees is exactly what a fresh index over the same texts shows. Tiered
 * (AdminNetworkPolicy) and ordered (Calico) policies are decided per class,
 * outside what the patch compares, so with either of them the counts are
 * computed whole.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeLenses } from '../server/src/codeLens.js';
import { hover } from '../server/src/hover.js';
import { DEFAULT_SETTINGS } from '../server/src/settings.js';
import { WorkspaceIndex } from '../server/src/workspaceIndex.js';
import { generateCluster } from './support/generateCluster.js';
import { plainGraph } from './support/plainGraph.js';

const FILES = generateCluster({ workloads: 120, policies: 60, perFile: 5, seed: 7, clusterConfig: true }).map((f) => ({ uri: `file:///ws/${f.file}`, text: f.text }));

function indexOf(texts: ReadonlyMap<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex(DEFAULT_SETTINGS);
  for (const [uri, text] of texts) index.setText(uri, text, false);
  return index;
}

/** Every lens of every file, and the hover on every podSelector of one file. */
function seen(index: WorkspaceIndex, hoverUri: string): string {
  const analysis = index.analysis();
  const summary = index.reachSummary();
  const lenses = index
    .uris()
    .sort()
    .map((uri) => codeLenses(analysis, summary, uri, index.lineIndex(uri)).map((l) => l.command?.title));
  const text = index.text(hoverUri)!;
  const hovers: unknown[] = [];
  for (let at = text.indexOf('podSelector'); at >= 0; at = text.indexOf('podSelector', at + 1)) hovers.push(hover(analysis, summary, hoverUri, text, at + 2, index.lineIndex));
  return JSON.stringify({ lenses, hovers });
}

function editOnce(texts: Map<string, string>, uri: string, from: string, to: string): string {
  const text = texts.get(uri)!;
  assert.ok(text.includes(from), `${uri} holds ${from}`);
  const next = text.replace(from, to);
  texts.set(uri, next);
  return next;
}

const ADMIN_ALLOW = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: prod-open-to-dev
spec:
  priority: 10
  subject:
    namespaces:
      matchLabels: {env: prod}
  ingress:
    - name: dev-in
      action: Allow
      from:
        - namespaces:
            matchLabels: {env: dev}
`;

const CALICO_ALLOW = `apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata:
  name: prod-open-to-dev
spec:
  order: 500
  namespaceSelector: env == 'prod'
  selector: has(app)
  types: [Ingress]
  ingress:
    - action: Allow
      source:
        namespaceSelector: env == 'dev'
    - action: Pass
`;

/**
 * Adds a file, edits the ipBlock policy, then removes the file: after each
 * step lenses, hovers and findings equal a fresh index's, and the any-port
 * matrix was computed whole (its patch would miss what the file decides).
 */
function wholeAroundFile(file: string, text: string): void {
  const texts = new Map(FILES.map((f) => [f.uri, f.text]));
  const index = indexOf(texts);
  const target = FILES.find((f) => f.text.includes('cidr: 10.0.0.0/8'))!.uri;
  const added = `file:///ws/${file}`;
  seen(index, target);
  const steps: Array<[string, () => void]> = [
    ['added', () => {
      texts.set(added, text);
      index.setText(added, text, true);
    }],
    ['ipBlock edited', () => index.setText(target, editOnce(texts, target, '10.0.0.0/8', '10.0.0.1/8'), true)],
    ['removed', () => {
      texts.delete(added);
      index.remove(added);
    }],
  ];
  for (const [name, step] of steps) {
    step();
    const fresh = indexOf(texts);
    assert.equal(seen(index, target), seen(fresh, target), `lenses and hovers, ${name}`);
    assert.equal(JSON.stringify(index.analysis().findings), JSON.stringify(fresh.analysis().findings), `findings, ${name}`);
    assert.equal(index.reachSummary().patchedClasses(), index.analysis().reachability.classes.length, `${name}: computed whole`);
    assert.deepEqual(plainGraph(index.reachabilityGraph()), plainGraph(fresh.reachabilityGraph()), `graph, ${name}`);
    assert.equal(index.graphClassesDecided(), index.analysis().reachability.classes.length, `${name}: the graph is worked out whole`);
  }
}

describe('lenses and hovers after an edit', () => {
  test('a policy edit patches the counts for the classes that policy selects, and they equal a fresh index', () => {
    const texts = new Map(FILES.map((f) => [f.uri, f.text]));
    const index = indexOf(texts);
    const target = FILES.find((f) => f.text.includes('cidr: 10.0.0.0/8'))!.uri;
    const before = seen(index, target);
    assert.equal(index.reachSummary().patchedClasses(), undefined, 'the first summary is computed whole');
    index.reachabilityGraph();
    assert.equal(index.graphClassesDecided(), index.analysis().reachability.classes.length, 'the first graph is worked out whole');
    assert.equal(before, seen(indexOf(texts), target));

    for (const [from, to] of [['10.0.0.0/8', '10.0.0.1/8'], ['10.0.0.1/8', '10.0.0.0/8']] as const) {
      index.setText(target, editOnce(texts, target, from, to), true);
      const analysis = index.analysis();
      const edited = analysis.workspace.policies.find((p) => p.span.file === target && p.egress.some((r) => r.peers?.some((peer) => peer.kind === 'ipBlock')))!;
      const selected = analysis.reachability.selectedClasses(edited).count();
      assert.ok(selected > 0 && selected < analysis.reachability.classes.length);
      assert.equal(seen(index, target), seen(indexOf(texts), target), `after ${from} → ${to}`);
      assert.equal(index.reachSummary().patchedClasses(), selected, `after ${from} → ${to}, only the classes ${edited.id} selects are worked out again`);
      assert.deepEqual(plainGraph(index.reachabilityGraph()), plainGraph(indexOf(texts).reachabilityGraph()), `graph after ${from} → ${to}`);
      assert.equal(index.graphClassesDecided(), selected, `after ${from} → ${to}, the graph decides again only the flows of the classes ${edited.id} selects`);
    }
  });

  test('a workload label edit changes the classes: the counts are computed whole, and equal a fresh index', () => {
    const texts = new Map(FILES.map((f) => [f.uri, f.text]));
    const index = indexOf(texts);
    const target = FILES.find((f) => f.text.includes('kind: NetworkPolicy') && f.text.includes('tier: frontend'))!.uri;
    seen(index, target);
    const workloads = FILES.find((f) => f.text.includes('kind: Deployment') && f.text.includes('tier: frontend'))!.uri;
    index.setText(workloads, editOnce(texts, workloads, 'tier: frontend', 'tier: backend'), true);
    assert.equal(seen(index, target), seen(indexOf(texts), target));
    assert.equal(index.reachSummary().patchedClasses(), undefined);
  });

  test('with a cluster-wide tiered policy before or after the edit, the counts are computed whole, and equal a fresh index', () => {
    wholeAroundFile('admin-allow.yaml', ADMIN_ALLOW);
  });

  test('with a Calico ordered policy before or after the edit, the counts are computed whole, and equal a fresh index', () => {
    wholeAroundFile('calico-allow.yaml', CALICO_ALLOW);
  });
});
