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
    const last = this.last;
    // The same files in the same order, some of them new versions: a part of the workspace is the last one
    // (the same object) when the new versions hold the same items for it, as a file's documents an edit
    // left alone do. The memo and the checks then know it unchanged by identity, without comparing.
    const changed = last !== undefined && last.all.length === all.length ? changedFiles(last.all, all) : undefined;
    const kept = (part: (c: FileContents) => readonly unknown[]): boolean => changed !== undefined && changed.every((i) => sameItems(part(last!.all[i]!), part(all[i]!)));
    const namespacesKept = kept((c) => c.namespaces) && kept((c) => c.usedNamespaces[0]) && kept((c) => c.usedNamespaces[1]) && kept((c) => c.usedNamespaces[2]);
    const clusterKept = kept((c) => c.cluster.ranges) && kept((c) => c.cluster.overlays) && kept((c) => c.cluster.mtus) && kept((c) => c.cluster.cnis) && kept((c) => c.cluster.proxyModes);
    const duplicates = this.duplicates.findings(all);
    const model: WorkspaceModel = {
      namespaces: namespacesKept ? last!.model.namespaces : workspaceNamespaces(all),
      podGroups: kept((c) => c.podGroups) ? last!.model.podGroups : gather(all, (c) => c.podGroups),
      services: kept((c) => c.services) ? last!.model.services : gather(all, (c) => c.services),
      policies: kept((c) => c.policies) ? last!.model.policies : gather(all, (c) => c.policies),
      serviceAccounts: kept((c) => c.serviceAccounts) ? last!.model.serviceAccounts : workspaceServiceAccounts(all),
      tiers: kept((c) => c.tiers) ? last!.model.tiers : workspaceTiers(all),
      parseFindings: kept((c) => c.parseFindings) && sameItems(duplicates, last!.duplicates) ? last!.model.parseFindings : [...gather(all, (c) => c.parseFindings), ...duplicates],
      cluster: clusterKept ? last!.model.cluster : workspaceFacts(all),
    };
    this.last = { all, model, duplicates };
    return model;
  }

  private last: { readonly all: readonly FileContents[]; readonly model: WorkspaceModel; readonly duplicates: readonly Finding[] } | undefined;
}

/** Positions where the files' contents are not the last ones. */
function changedFiles(last: readonly FileContents[], all: readonly FileContents[]): number[] {
  const changed: number[] = [];
  for (let i = 0; i < all.length; i++) if (all[i] !== last[i]) changed.push(i);
  return changed;
}

export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function gather<T>(all: readonly FileContents[], part: (c: FileContents) => readonly T[]): T[] {
  const out: T[] = [];
  for (const c of all) appendAll(out, part(c));
  return out;
}

/** Declared namespaces (the first definition of a name wins), then implied ones in the order the objects name them: those of pods first, then of Services, then of policies. */
function workspaceNamespaces(all: readonly FileContents[]): Map<string, NamespaceModel> {
  const namespaces = new Map<string, NamespaceModel>();
  for (const c of all) for (const ns of c.namespaces) if (!namespaces.has(ns.name)) namespaces.set(ns.name, ns);
  const implied = (name: string) => {
    if (!namespaces.has(name)) {
      namespaces.set(name, { name, labels: new Map([['kubernetes.io/metadata.name', name]]), span: undefined, nameSpan: undefined });
    }
  };
  for (const kind of [0, 1, 2] as const) for (const c of all) for (const name of c.usedNamespaces[kind]) implied(name);
  return namespaces;
}

function workspaceServiceAccounts(all: readonly FileContents[]): Map<string, Labels> {
  const serviceAccounts = new Map<string, Labels>();
  for (const c of all) for (const a of c.serviceAccounts) if (!serviceAccounts.has(`${a.namespace}/${a.name}`)) serviceAccounts.set(`${a.namespace}/${a.name}`, a.labels);
  return serviceAccounts;
}

function workspaceTiers(all: readonly FileContents[]): TierTable {
  const tiers = new Map<string, { order: number | undefined; defaultAction: 'deny' | 'pass' }>();
  for (const c of all) for (const t of c.tiers) if (!tiers.has(t.name)) tiers.set(t.name, { order: t.order, defaultAction: t.defaultAction });
  return tiers;
}

function workspaceFacts(all: readonly FileContents[]): ClusterFacts {
  const cluster = emptyFacts();
  for (const c of all) appendFacts(cluster, c.cluster);
  return cluster;
}

export function buildWorkspace(files: Iterable<ManifestFile>): WorkspaceModel {
  return new WorkspaceBuilder().build(files);
}
