/**
 * The labels Calico adds to what its selectors match (docs: "Calico automatic
 * labels"): every workload endpoint carries its namespace
 * (`projectcalico.org/namespace`), orchestrator and service account, and its
 * namespace's and service account's labels behind the `pcns.` and `pcsa.`
 * prefixes, which is how a namespaceSelector or serviceAccountSelector is
 * matched against the endpoint; namespaces and service accounts carry their
 * name as `projectcalico.org/name`. Only selectors that read such a key are
 * matched against these labels; every other selector sees the pod's own.
 */
import type { Labels, Selector } from './labels.js';
import { selectorMatches } from './labels.js';
import type { PodGroup } from './model.js';

export const CALICO_NAMESPACE_LABEL = 'projectcalico.org/namespace';
export const CALICO_NAME_LABEL = 'projectcalico.org/name';
export const CALICO_NAMESPACE_PREFIX = 'pcns.';
export const CALICO_SERVICE_ACCOUNT_PREFIX = 'pcsa.';

/** Whether a label key is one Calico adds, so a selector reading it needs the endpoint's labels. */
export function isCalicoAddedKey(key: string): boolean {
  return key.startsWith('projectcalico.org/') || key.startsWith(CALICO_NAMESPACE_PREFIX) || key.startsWith(CALICO_SERVICE_ACCOUNT_PREFIX);
}

/** Where the labels of a pod's namespace and service account come from. */
export interface EndpointContext {
  readonly namespaceLabels: (namespace: string) => Labels;
  /** Undefined: no ServiceAccount object of that name in the workspace (it then has only its name). */
  readonly serviceAccountLabels: (namespace: string, name: string) => Labels | undefined;
}

export function serviceAccountOf(group: PodGroup): string {
  return group.serviceAccount ?? 'default';
}

export function calicoEndpointLabels(group: PodGroup, context: EndpointContext): Labels {
  const labels = new Map(group.labels);
  const account = serviceAccountOf(group);
  labels.set(CALICO_NAMESPACE_LABEL, group.namespace);
  labels.set('projectcalico.org/orchestrator', 'k8s');
  labels.set('projectcalico.org/serviceaccount', account);
  for (const [k, v] of context.namespaceLabels(group.namespace)) labels.set(CALICO_NAMESPACE_PREFIX + k, v);
  labels.set(`${CALICO_NAMESPACE_PREFIX}${CALICO_NAME_LABEL}`, group.namespace);
  for (const [k, v] of context.serviceAccountLabels(group.namespace, account) ?? []) labels.set(CALICO_SERVICE_ACCOUNT_PREFIX + k, v);
  labels.set(`${CALICO_SERVICE_ACCOUNT_PREFIX}${CALICO_NAME_LABEL}`, account);
  return labels;
}

/** A pod selector matched as the CNI matches it: against the endpoint's labels when it reads ones Calico adds. */
export function podSelectorMatches(selector: Selector, group: PodGroup, context: EndpointContext): boolean {
  if (selector.expression?.readsEndpointLabels !== true) return selectorMatches(selector, group.labels);
  return selectorMatches(selector, calicoEndpointLabels(group, context));
}
