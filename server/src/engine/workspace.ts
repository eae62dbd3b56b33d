/**
 * All parsed files together: the namespaces (declared or implied), pods,
 * Services and policies of one workspace snapshot.
 */
import { emptyFacts, type ClusterFacts } from './clusterConfig.js';
import type { ManifestFile } from './manifests.js';
import type { NamespaceModel, PodGroup, PolicyModel, ServiceModel } from './model.js';
import { appendAll } from './findingCap.js';
import type { Finding } from './rules.js';

export interface WorkspaceModel {
  readonly namespaces: ReadonlyMap<string, NamespaceModel>;
  readonly podGroups: readonly PodGroup[];
  readonly services: readonly ServiceModel[];
  readonly policies: readonly PolicyModel[];
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
  const cluster = emptyFacts();
  for (const file of files) {
    for (const doc of file.documents) {
      appendAll(cluster.ranges, doc.cluster.ranges);
      appendAll(cluster.overlays, doc.cluster.overlays);
      appendAll(cluster.mtus, doc.cluster.mtus);
      appendAll(cluster.cnis, doc.cluster.cnis);
      appendAll(cluster.proxyModes, doc.cluster.proxyModes);
      for (const ns of doc.namespaces) if (!namespaces.has(ns.name)) namespaces.set(ns.name, ns);
      appendAll(podGroups, doc.podGroups);
      appendAll(services, doc.services);
      appendAll(policies, doc.policies);
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
  for (const p of policies) implied(p.namespace);
  return { namespaces, podGroups, services, policies, parseFindings, cluster };
}
