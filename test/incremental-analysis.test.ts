/**
 * Incremental analysis against a fresh one: the server's workspace index
 * keeps one AnalysisMemo and per-file document caches across edits; after
 * every step of a random edit sequence its findings and its matrix must be
 * exactly those of a new index given the same texts, and so must its code
 * lenses (read from a summary patched step by step). Edits change what the
 * memo keys on: a workload's labels or ports, a namespace's labels, a
 * policy's selectors or peers, a Service, the pod CIDR, documents added,
 * removed or shifted within their file, whole files added and removed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { codeLenses } from '../server/src/codeLens.js';
import { DEFAULT_SETTINGS } from '../server/src/settings.js';
import { WorkspaceIndex } from '../server/src/workspaceIndex.js';
import { generateCluster } from './support/generateCluster.js';
import { plainGraph } from './support/plainGraph.js';
import { CORPUS, CORPUS_MISSING } from './support/paths.js';

type Texts = Map<string, string>;

/** Text substitutions that change what the analysis keys on; each applies to one occurrence. */
const SWAPS: ReadonlyArray<readonly [string, string]> = [
  ['app: web', 'app: api'],
  ['app: db', 'app: cache'],
  ['tier: frontend', 'tier: backend'],
  ['tier: data', 'tier: frontend'],
  ['team: t1', 'team: t2'],
  ['env: prod', 'env: dev'],
  ['env: dev', 'env: prod'],
  ['containerPort: 8080', 'containerPort: 8081'],
  ['name: http', 'name: https'],
  ['targetPort: pg', 'targetPort: 5433'],
  ['podSubnet: 10.244.0.0/16', 'podSubnet: 10.0.0.0/16'],
  ['10.0.0.0/8', '10.0.0.1/8'],
  ['port: 53', 'port: 54'],
  ['- Ingress', '- Egress'],
  ['podSelector: {}', 'podSelector: { matchLabels: { app: web } }'],
  ['replicas: 1', 'replicas: 2'],
  ['k8s-app: kube-dns', 'k8s-app: kube-dnz'],
  ['namespace: team-1', 'namespace: team-2'],
  ['role: db', 'role: frontend'],
  ['app: productpage', 'app: reviews'],
];

type Edit =
  | { kind: 'swap'; file: number; swap: number; nth: number }
  | { kind: 'remove-document'; file: number; nth: number }
  | { kind: 'copy-document'; from: number; nth: number; to: number }
  | { kind: 'prepend-comment'; file: number }
  | { kind: 'type-character'; file: number; at: number; char: string }
  | { kind: 'remove-file'; file: number }
  | { kind: 'add-file'; from: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('swap' as const), file: fc.nat(), swap: fc.nat({ max: SWAPS.length - 1 }), nth: fc.nat({ max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove-document' as const), file: fc.nat(), nth: fc.nat({ max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy-document' as const), from: fc.nat(), nth: fc.nat({ max: 20 }), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prepend-comment' as const), file: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('type-character' as const), file: fc.nat(), at: fc.nat(), char: fc.constantFrom('x', ':', ' ', '\n', '-', '{') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove-file' as const), file: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add-file' as const), from: fc.nat() }) },
);

function documentsOf(text: string): string[] {
  return text.split(/^---$/m);
}

/** Applies an edit to the texts; returns the files it changed (undefined text: removed). */
function apply(texts: Texts, e: Edit, step: number): Array<[string, string | undefined]> {
  const names = [...texts.keys()];
  if (names.length === 0) return [];
  const pick = (i: number) => names[i % names.length]!;
  switch (e.kind) {
    case 'swap': {
      const file = pick(e.file);
      const text = texts.get(file)!;
      const [from, to] = SWAPS[e.swap]!;
      const hits = [...text.matchAll(new RegExp(from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'g'))];
      if (hits.length === 0) return [];
      const at = hits[e.nth % hits.length]!.index;
      return [[file, text.slice(0, at) + to + text.slice(at + from.length)]];
    }
    case 'remove-document': {
      const file = pick(e.file);
      const docs = documentsOf(texts.get(file)!);
      if (docs.length < 2) return [];
      docs.splice(e.nth % docs.length, 1);
      return [[file, docs.join('---')]];
    }
    case 'copy-document': {
      const docs = documentsOf(texts.get(pick(e.from))!);
      const to = pick(e.to);
      return [[to, `${texts.get(to)!.replace(/\n?$/, '\n')}---\n${docs[e.nth % docs.length]!.replace(/^\n/, '')}`]];
    }
    case 'prepend-comment': {
      const file = pick(e.file);
      return file.endsWith('.yaml') || file.endsWith('.yml') ? [[file, `# edit ${step}\n${texts.get(file)!}`]] : [];
    }
    case 'type-character': {
      const file = pick(e.file);
      const text = texts.get(file)!;
      const at = e.at % (text.length + 1);
      return [[file, text.slice(0, at) + e.char + text.slice(at)]];
    }
    case 'remove-file':
      return [[pick(e.file), undefined]];
    case 'add-file': {
      const from = pick(e.from);
      return [[from.replace(/(\.[a-z]+)$/, `-copy${step}$1`), texts.get(from)!]];
    }
  }
}

function indexOf(texts: Texts): WorkspaceIndex {
  const index = new WorkspaceIndex(DEFAULT_SETTINGS);
  for (const [file, text] of texts) index.setText(file, text, false);
  return index;
}

/** What a user sees of an analysis: every finding per file (suppressions applied), the matrix, every file's code lenses, and the graph. */
function observable(index: WorkspaceIndex): { findings: string; matrix: string; lenses: string; graph: string } {
  const analysis = index.analysis();
  const byFile = index
    .uris()
    .sort()
    .map((uri) => [uri, index.findingsFor(uri)]);
  const { groups, allowed } = analysis.reachability.groupMatrix({});
  const perPort = analysis.reachability.groupMatrix({ port: 53, protocol: 'UDP' });
  return {
    findings: JSON.stringify({ all: analysis.findings, byFile }),
    matrix: JSON.stringify({ pods: groups.map((g) => g.id), allowed, dns: perPort.allowed }),
    // The index's summary is patched from the last step's; a fresh index computes it whole.
    lenses: JSON.stringify(byFile.map(([uri]) => codeLenses(analysis, index.reachSummary(), uri as string, index.lineIndex(uri as string)).map((l) => l.command?.title))),
    // Likewise the graph: the index decides again only the class pairs an edit changed (GraphMemo).
    graph: JSON.stringify(plainGraph(index.reachabilityGraph())),
  };
}

function checkSequence(start: Texts, edits: readonly Edit[]): void {
  const texts = new Map(start);
  const incremental = indexOf(texts);
  incremental.analysis();
  edits.forEach((e, step) => {
    for (const [file, text] of apply(texts, e, step)) {
      if (text === undefined) {
        texts.delete(file);
        incremental.remove(file);
      } else {
        texts.set(file, text);
        incremental.setText(file, text, step % 3 === 0);
      }
    }
    const fresh = observable(indexOf(texts));
    const got = observable(incremental);
    assert.equal(got.findings, fresh.findings, `findings differ after ${JSON.stringify(edits.slice(0, step + 1))}`);
    assert.equal(got.matrix, fresh.matrix, `matrix differs after ${JSON.stringify(edits.slice(0, step + 1))}`);
    assert.equal(got.lenses, fresh.lenses, `code lenses differ after ${JSON.stringify(edits.slice(0, step + 1))}`);
    assert.equal(got.graph, fresh.graph, `graph differs after ${JSON.stringify(edits.slice(0, step + 1))}`);
  });
}

function generatedWorkspace(): Texts {
  const files = generateCluster({ workloads: 40, policies: 24, perFile: 4, seed: 11, clusterConfig: true });
  return new Map(files.map((f) => [`file:///ws/${f.file}`, f.text]));
}

function readTree(dir: string): Texts {
  const out: Texts = new Map();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|json|conflist|conf)$/.test(entry.name)) out.set(`file://${full}`, fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('incremental analysis equals a fresh one', { timeout: 300_000 }, () => {
  test('on a generated cluster, after random edit sequences', () => {
    const start = generatedWorkspace();
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => checkSequence(start, edits)),
      { numRuns: 40, seed: 18 },
    );
  });

  test('on each project of the corpus, after random edit sequences', { skip: CORPUS_MISSING }, () => {
    const projects = fs
      .readdirSync(CORPUS!, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => readTree(path.join(CORPUS!, d.name)))
      .filter((t) => t.size > 0);
    assert.ok(projects.length >= 5, 'the corpus has projects');
    for (const start of projects) {
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => checkSequence(start, edits)),
        { numRuns: 6, seed: 18 },
      );
    }
  });
});
