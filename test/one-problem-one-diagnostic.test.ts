/**
 * One problem, one diagnostic: over every fixture, the examples and the real
 * corpus, no two findings may share a range and a meaning, and no problem that
 * involves several places may be said once per place.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { collectFiles, readText } from '../server/src/cli/files.js';
import { analyze, analyzeTexts, parseManifestFile, type Finding, type SourceSpan } from '../server/src/engine/index.js';
import { CORPUS, CORPUS_MISSING, FIXTURES, REPO_ROOT } from './support/paths.js';

const at = (s: SourceSpan) => `${s.file}@${s.start}-${s.end}`;

/** schema-invalid restates, in the schema's words, whatever a modelling check says about the same value. */
const meaning = (f: Finding) => (f.code === 'schema-invalid' ? 'shape' : f.code);

function duplicates(findings: readonly Finding[]): string[] {
  const problems: string[] = [];
  const byRange = new Map<string, Finding[]>();
  for (const f of findings) {
    const here = byRange.get(at(f.span)) ?? [];
    const twin = here.find((g) => meaning(g) === meaning(f) || g.code === 'schema-invalid' || f.code === 'schema-invalid');
    if (twin) problems.push(`${at(f.span)}: ${twin.code} "${twin.message}" and ${f.code} "${f.message}"`);
    byRange.set(at(f.span), [...here, f]);
  }
  const byPlaces = new Map<string, Finding>();
  for (const f of findings.filter((x) => x.related.length > 0)) {
    const key = `${f.code} ${[f.span, ...f.related.map((r) => r.span)].map(at).sort().join(' ')}`;
    const twin = byPlaces.get(key);
    if (twin) problems.push(`${f.code} said at ${at(twin.span)} and again at ${at(f.span)}`);
    byPlaces.set(key, f);
  }
  return problems;
}

function analyzeFolder(dir: string): readonly Finding[] {
  return analyze(collectFiles([dir]).map((file) => parseManifestFile(file, readText(file)))).findings;
}

const fixtureFolders = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => {
    const top = path.join(FIXTURES, d.name);
    const nested = fs.readdirSync(top, { withFileTypes: true }).filter((e) => e.isDirectory());
    return [top, ...nested.map((e) => path.join(top, e.name))];
  });

for (const dir of [...fixtureFolders, path.join(REPO_ROOT, 'examples')]) {
  test(`one diagnostic per problem: ${path.relative(REPO_ROOT, dir)}`, () => {
    assert.deepEqual(duplicates(analyzeFolder(dir)), []);
    for (const file of collectFiles([dir])) assert.deepEqual(duplicates(analyzeTexts([{ file, text: readText(file) }]).findings), [], file);
  });
}

test('one diagnostic per problem: the shared corpus', { skip: CORPUS_MISSING }, () => {
  assert.deepEqual(duplicates(analyzeFolder(CORPUS!)), []);
});

test('an overlap is one diagnostic on the narrower range, every wider declaration a related location', () => {
  const analysis = analyzeTexts([
    { file: 'kubeadm.yaml', text: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n' },
    { file: 'calico.yaml', text: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: pool\nspec:\n  cidr: 10.244.0.0/16\n' },
    {
      file: 'nad.yaml',
      text: 'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: macvlan\nspec:\n  config: \'{"cniVersion": "1.0.0", "type": "macvlan", "ipam": {"type": "host-local", "subnet": "10.244.240.0/24"}}\'\n',
    },
  ]);
  const overlaps = analysis.findings.filter((f) => f.code === 'cluster-cidrs-overlap');
  assert.deepEqual(
    overlaps.map((f) => ({ file: f.span.file, message: f.message, related: f.related.map((r) => `${r.span.file}: ${r.message}`) })),
    [
      {
        file: 'nad.yaml',
        message:
          'This secondary network (10.244.240.0/24, macvlan host-local subnet) overlaps the pod network 10.244.0.0/16 (kubeadm networking.podSubnet; Calico IPPool cidr): move one of them to addresses the other does not use.',
        related: ['kubeadm.yaml: the pod network 10.244.0.0/16 (kubeadm networking.podSubnet)', 'calico.yaml: the pod network 10.244.0.0/16 (Calico IPPool cidr)'],
      },
    ],
  );
});

test('a key typed without its value is one finding, not a modelling error and a schema error', () => {
  const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector:\n    matchLabels:\n      app:\n  policyTypes: [Ingress]\n';
  assert.deepEqual(
    analyzeTexts([{ file: 'np.yaml', text }]).findings.map((f) => f.code),
    ['selector-invalid'],
  );
});
