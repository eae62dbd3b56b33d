/**
 * All parsed files together: the namespaces (declared or implied), pods,
 * Services and policies of one workspace snapshot.
 */
import { emptyFacts, type ClusterFacts } from './clusterConfig.js';
import type { ManifestFile } from './manifests.js';
import type { Labels } from './labels.js';
import type { NamespaceModel, PodGroup, PolicyModel, ServiceAccountModel, ServiceModel, TierModel } from './model.js';
import type { TierTable } from './orderedPolicies.js';
import { appendAll } from './findingCap.js';
import type { Finding } from './rules.js';
import type { ObjectDefinition } from './manifests.js';
import { DuplicateDefinitions, type FileDefinitions } from './duplicates.js';

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

/** What one version of one file adds to the workspace, gathered once. */
interface FileContents extends FileDefinitions {
  readonly namespaces: readonly NamespaceModel[];
  readonly podGroups: readonly PodGroup[];
  readonly services: readonly ServiceModel[];
  readonly policies: readonly PolicyModel[];
  readonly serviceAccounts: readonly ServiceAccountModel[];
  readonly tiers: readonly TierModel[];
  readonly parseFindings: readonly Finding[];
  readonly cluster: ClusterFacts;
  /** Namespaces its pods, Services and policies live in, which exist whether or not a file declares them. */
  readonly usedNamespaces: readonly [readonly string[], readonly string[], readonly string[]];
}

function appendFacts(into: ClusterFacts, from: ClusterFacts): void {
  appendAll(into.ranges, from.ranges);
  appendAll(into.overlays, from.overlays);
  appendAll(into.mtus, from.mtus);
  appendAll(into.cnis, from.cnis);
  appendAll(into.proxyModes, from.proxyModes);
}

function contentsOf(file: ManifestFile, sameName: (name: string) => string): FileContents {
  const namespaces: NamespaceModel[] = [];
  const podGroups: PodGroup[] = [];
  const services: ServiceModel[] = [];
  const policies: PolicyModel[] = [];
  const parseFindings: Finding[] = [];
  const serviceAccounts: ServiceAccountModel[] = [];
  const tiers: TierModel[] = [];
  const cluster = emptyFacts();
  const definitions: ObjectDefinition[] = [];
  for (const doc of file.documents) {
    appendAll(definitions, doc.definitions);
    appendFacts(cluster, doc.cluster);
    appendAll(namespaces, doc.namespaces);
    appendAll(podGroups, doc.podGroups);
    appendAll(services, doc.services);
    appendAll(policies, doc.policies);
    appendAll(serviceAccounts, doc.serviceAccounts);
    appendAll(tiers, doc.tiers);
    appendAll(parseFindings, doc.findings);
  }
  const distinct = (names: string[]) => [...new Set(names)].map(sameName);
  const usedNamespaces = [
    distinct(podGroups.map((g) => g.namespace)),
    distinct(services.map((s) => s.namespace)),
    // A cluster-wide policy lives in no namespace ('').
    distinct(policies.flatMap((p) => (p.namespace !== '' ? [p.namespace] : []))),
  ] as const;
  return { file: file.file, definitions, namespaces, podGroups, services, policies, serviceAccounts, tiers, parseFindings, cluster, usedNamespaces };
}

/**
 * Builds workspaces from files, remembering what each file object held: a
 * file's contents are gathered once per version of it (a ManifestFile is
 * made anew when its text changes), so an edit costs the files it changed
 * plus one pass over the files, not one over every document.
 */
export class WorkspaceBuilder {
  private readonly contents = new WeakMap<ManifestFile, FileContents>();
  private readonly duplicates = new DuplicateDefinitions();
  /**
   * One string object per namespace name. Each file's parse makes its own
   * strings, and looking up thousands of those on every build cost a few ms
   * at 10,000 documents; the same objects are found faster.
   */
  private readonly names = new Map<string, string>();
  private readonly sameName = (name: string): string => {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  };

  build(files: Iterable<ManifestFile>): WorkspaceModel {
    const all: FileContents[] = [];
    for (const file of files) {
      let c = this.contents.get(file);
      if (c === undefined) this.contents.set(file, (c = contentsOf(file, this.sameName)));
      all.push(c);
    }
    const namespaces = new Map<string, NamespaceModel>();
    const podGroups: PodGroup[] = [];
    const services: ServiceModel[] = [];
    const policies: PolicyModel[] = [];
    const parseFindings: Finding[] = [];
    const serviceAccounts = new Map<string, Labels>();
    const tiers = new Map<string, { order: number | undefined; defaultAction: 'deny' | 'pass' }>();
    const cluster = emptyFacts();
    for (const c of all) {
      for (const ns of c.namespaces) if (!namespaces.has(ns.name)) namespaces.set(ns.name, ns);
      appendAll(podGroups, c.podGroups);
      appendAll(services, c.services);
      appendAll(policies, c.policies);
      for (const a of c.serviceAccounts) if (!serviceAccounts.has(`${a.namespace}/${a.name}`)) serviceAccounts.set(`${a.namespace}/${a.name}`, a.labels);
      for (const t of c.tiers) if (!tiers.has(t.name)) tiers.set(t.name, { order: t.order, defaultAction: t.defaultAction });
      appendAll(parseFindings, c.parseFindings);
      appendFacts(cluster, c.cluster);
    }
    // Implied namespaces in the order the objects name them: those of pods first, then of Services, then of policies.
    const implied = (name: string) => {
      if (!namespaces.has(name)) {
        namespaces.set(name, { name, labels: new Map([['kubernetes.io/metadata.name', name]]), span: undefined, nameSpan: undefined });
      }
    };
    for (const kind of [0, 1, 2] as const) for (const c of all) for (const name of c.usedNamespaces[kind]) implied(name);
    appendAll(parseFindings, this.duplicates.findings(all));
    return { namespaces, podGroups, services, policies, serviceAccounts, tiers, parseFindings, cluster };
  }
}

export function buildWorkspace(files: Iterable<ManifestFile>): WorkspaceModel {
  return new WorkspaceBuilder().build(files);
}
