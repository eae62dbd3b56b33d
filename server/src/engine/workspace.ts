/**
 * All parsed files together: the namespaces (declared or implied), pods,
 * Services and policies of one workspace snapshot.
 */
import { emptyFacts, type ClusterFacts } from './clusterConfig.js';
import type { ManifestFile } from './manifests.js';
import type { Labels } from './labels.js';
import type { NamespaceModel, PodGroup, PolicyModel, ServiceModel } from './model.js';
import type { TierTable } from './orderedPolicies.js';
import { appendAll } from './findingCap.js';
import { finding, type Finding } from './rules.js';
import type { ObjectDefinition } from './manifests.js';

export interface WorkspaceModel {
  readonly namespaces: ReadonlyMap<string, NamespaceModel>;
  readonly podGroups: readonly PodGroup[];
  readonly services: readonly ServiceModel[];
  readonly policies: readonly PolicyModel[];
  /** ServiceAccount labels by "namespace/name" (Calico's serviceAccountSelector reads them). */
  readonly serviceAccounts: ReadonlyMap<string, Labels>;
  /** Calico Tier objects by name. */
  readonly tiers: TierTable;
  /** Findings made while reading each document. */
  readonly parseFindings: readonly Finding[];
  /** Cluster network configuration of all files together. */
  readonly cluster: ClusterFacts;
}

export function buildWorkspace(files: Iterable<ManifestFile>): WorkspaceModel {
  const namespaces = new Map<string, NamespaceModel>();
  const podGroups: PodGroup[] = [];
  const services: ServiceModel[] = [];
  const policies: PolicyModel[] = [];
  const parseFindings: Finding[] = [];
  const serviceAccounts = new Map<string, Labels>();
  const tiers = new Map<string, { order: number | undefined; defaultAction: 'deny' | 'pass' }>();
  const cluster = emptyFacts();
  const definitions: Array<{ file: string; definition: ObjectDefinition }> = [];
  const fileNames: string[] = [];
  for (const file of files) {
    fileNames.push(file.file);
    for (const doc of file.documents) {
      for (const definition of doc.definitions) definitions.push({ file: file.file, definition });
      appendAll(cluster.ranges, doc.cluster.ranges);
      appendAll(cluster.overlays, doc.cluster.overlays);
      appendAll(cluster.mtus, doc.cluster.mtus);
      appendAll(cluster.cnis, doc.cluster.cnis);
      appendAll(cluster.proxyModes, doc.cluster.proxyModes);
      for (const ns of doc.namespaces) if (!namespaces.has(ns.name)) namespaces.set(ns.name, ns);
      appendAll(podGroups, doc.podGroups);
      appendAll(services, doc.services);
      appendAll(policies, doc.policies);
      for (const a of doc.serviceAccounts) if (!serviceAccounts.has(`${a.namespace}/${a.name}`)) serviceAccounts.set(`${a.namespace}/${a.name}`, a.labels);
      for (const t of doc.tiers) if (!tiers.has(t.name)) tiers.set(t.name, { order: t.order, defaultAction: t.defaultAction });
      appendAll(parseFindings, doc.findings);
    }
  }
  const implied = (name: string) => {
    if (!namespaces.has(name)) {
      namespaces.set(name, { name, labels: new Map([['kubernetes.io/metadata.name', name]]), span: undefined, nameSpan: undefined });
    }
  };
  for (const g of podGroups) implied(g.namespace);
  for (const s of services) implied(s.namespace);
  // A cluster-wide policy lives in no namespace ('').
  for (const p of policies) if (p.namespace !== '') implied(p.namespace);
  appendAll(parseFindings, duplicateFindings(definitions, kustomizeDirectories(fileNames)));
  return { namespaces, podGroups, services, policies, serviceAccounts, tiers, parseFindings, cluster };
}

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function directoryOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

/** Folders holding a kustomization: objects below them are bases and patches, redefined on purpose. */
function kustomizeDirectories(files: readonly string[]): string[] {
  return files.filter((f) => KUSTOMIZATION_FILES.has(f.slice(f.lastIndexOf('/') + 1))).map(directoryOf);
}

function duplicateFindings(definitions: ReadonlyArray<{ file: string; definition: ObjectDefinition }>, kustomizeDirs: readonly string[]): Finding[] {
  const inKustomizeTree = (file: string) => kustomizeDirs.some((d) => file.startsWith(`${d}/`));
  const first = new Map<string, { file: string; definition: ObjectDefinition }>();
  const out: Finding[] = [];
  for (const d of definitions) {
    const prior = first.get(d.definition.key);
    if (prior === undefined) {
      first.set(d.definition.key, d);
      continue;
    }
    if (prior.definition.fingerprint === d.definition.fingerprint || (inKustomizeTree(prior.file) && inKustomizeTree(d.file))) continue;
    const [kind, namespace, name] = d.definition.key.split('/');
    out.push(
      finding(
        'object-defined-twice',
        d.definition.nameSpan,
        `${kind} ${namespace ? `${namespace}/` : ''}${name} is defined twice with different contents; the cluster keeps whichever is applied last.`,
        [{ span: prior.definition.nameSpan, message: 'the other definition' }],
      ),
    );
  }
  return out;
}
