/**
 * Labels that controllers put on the pods they create, beyond the template's:
 * selectors written against them are right even though no manifest shows them.
 *
 * - StatefulSet: `statefulset.kubernetes.io/pod-name: NAME-i` and, since 1.28,
 *   `apps.kubernetes.io/pod-index: i` on pod i (StatefulSet docs, "Pod Name
 *   Label" and "Pod index label").
 * - Job: `job-name` and `batch.kubernetes.io/job-name: NAME` on every pod
 *   (Job docs, "Job labels"); a CronJob's Job names carry a schedule suffix
 *   that no manifest knows, so only the StatefulSet and Job ones are exact.
 */
import { selectorMatches, type Labels, type Selector } from './labels.js';
import type { PodKind } from './model.js';

export const STATEFULSET_POD_NAME = 'statefulset.kubernetes.io/pod-name';
export const STATEFULSET_POD_INDEX = 'apps.kubernetes.io/pod-index';

/** Labels every pod of the workload carries, the template's included. */
export function sharedPodLabels(kind: PodKind, name: string, replicas: number, template: Labels): Labels {
  if (kind === 'Job') return new Map([...template, ['job-name', name], ['batch.kubernetes.io/job-name', name]]);
  // One replica: its per-pod labels are the group's.
  if (kind === 'StatefulSet' && replicas === 1) return new Map([...template, ...statefulPodLabels(name, 0)]);
  return template;
}

function statefulPodLabels(name: string, index: number): Array<[string, string]> {
  return [
    [STATEFULSET_POD_NAME, `${name}-${index}`],
    [STATEFULSET_POD_INDEX, String(index)],
  ];
}

/** Pods checked one by one at most; past that a selector on pod i is taken as matching. */
const MAX_INDEXED_PODS = 10_000;

/**
 * Whether the selector matches at least one pod of a group when the per-pod
 * labels (StatefulSet pod i of many) are taken into account.
 */
export function matchesSomePod(selector: Selector, group: { kind: string; name: string; replicas: number; labels: Labels }): boolean {
  if (selectorMatches(selector, group.labels)) return true;
  if (group.kind !== 'StatefulSet' || group.replicas <= 1) return false;
  for (let i = 0; i < Math.min(group.replicas, MAX_INDEXED_PODS); i++) {
    if (selectorMatches(selector, new Map([...group.labels, ...statefulPodLabels(group.name, i)]))) return true;
  }
  return false;
}
