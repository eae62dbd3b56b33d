/**
 * What the checks ask of the pod list as a whole: the namespaces that run
 * workloads, and the first workload of each. Worked out once per pod list:
 * an analysis after an edit that left every pod group alone is handed the
 * same list (AnalysisMemo), so it does not walk every pod again.
 */
import type { PodGroup } from './model.js';

const firstWorkloads = new WeakMap<readonly PodGroup[], ReadonlyMap<string, PodGroup>>();

/** Per namespace where the workspace declares workloads (host-network pods aside), its first one: only there can "selects no pod" be judged. */
export function firstWorkloadByNamespace(podGroups: readonly PodGroup[]): ReadonlyMap<string, PodGroup> {
  let first = firstWorkloads.get(podGroups);
  if (first === undefined) {
    const map = new Map<string, PodGroup>();
    for (const g of podGroups) if (!g.hostNetwork && !map.has(g.namespace)) map.set(g.namespace, g);
    firstWorkloads.set(podGroups, (first = map));
  }
  return first;
}

const workloadLists = new WeakMap<readonly PodGroup[], ReadonlyMap<string, readonly PodGroup[]>>();

/** Per namespace where the workspace declares workloads (host-network pods aside), all of them in workspace order. */
export function workloadsByNamespace(podGroups: readonly PodGroup[]): ReadonlyMap<string, readonly PodGroup[]> {
  let lists = workloadLists.get(podGroups);
  if (lists === undefined) {
    const map = new Map<string, PodGroup[]>();
    for (const g of podGroups) {
      if (g.hostNetwork) continue;
      const list = map.get(g.namespace);
      if (list === undefined) map.set(g.namespace, [g]);
      else list.push(g);
    }
    workloadLists.set(podGroups, (lists = map));
  }
  return lists;
}

const namespaceSets = new WeakMap<readonly PodGroup[], ReadonlySet<string>>();

/** Namespaces where the workspace declares workloads (host-network pods aside). */
export function workloadNamespaces(podGroups: readonly PodGroup[]): ReadonlySet<string> {
  let set = namespaceSets.get(podGroups);
  if (set === undefined) namespaceSets.set(podGroups, (set = new Set(firstWorkloadByNamespace(podGroups).keys())));
  return set;
}

const anyPodNamespaces = new WeakMap<readonly PodGroup[], ReadonlySet<string>>();

/** Namespaces any pod of the workspace runs in, host-network pods included. */
export function podNamespaces(podGroups: readonly PodGroup[]): ReadonlySet<string> {
  let set = anyPodNamespaces.get(podGroups);
  if (set === undefined) anyPodNamespaces.set(podGroups, (set = new Set(podGroups.map((g) => g.namespace))));
  return set;
}
