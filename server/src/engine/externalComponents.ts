/**
 * Pods that run in the cluster but not from this workspace's manifests: the
 * components every cluster has (CoreDNS, the API server), and those a team
 * declares in `.netlens.yaml` (ingress controller, monitoring, mesh). A peer
 * that matches one of them is satisfied; none of them ever joins the pod
 * matrix, which stays what the manifests say.
 */
import { selectorMatches, type Labels, type Selector } from './labels.js';
import type { Protocol } from './model.js';

export interface ExternalComponent {
  /** What findings call it: "CoreDNS (kube-dns)", "ingress-nginx". */
  readonly name: string;
  readonly namespace: string;
  /** Labels of its namespace; kubernetes.io/metadata.name is always implied. */
  readonly namespaceLabels: Labels;
  readonly labels: Labels;
  readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol: Protocol }>;
  /** Host-network pods: NetworkPolicy neither selects them nor admits them by label. */
  readonly hostNetwork: boolean;
}

const labels = (entries: Record<string, string>): Labels => new Map(Object.entries(entries));

/**
 * CoreDNS keeps the kube-dns name and `k8s-app: kube-dns` label for
 * compatibility (kubeadm's and the CoreDNS deployment's manifests); it serves
 * 53/UDP, 53/TCP and metrics on 9153. The API server runs as a static
 * host-network pod labelled `component: kube-apiserver, tier: control-plane`
 * (kubeadm's static pod manifest).
 */
export const BUILTIN_COMPONENTS: readonly ExternalComponent[] = [
  {
    name: 'CoreDNS (kube-dns)',
    namespace: 'kube-system',
    namespaceLabels: new Map(),
    labels: labels({ 'k8s-app': 'kube-dns' }),
    ports: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
      { port: 9153, protocol: 'TCP' },
    ],
    hostNetwork: false,
  },
  {
    name: 'the API server (kube-apiserver)',
    namespace: 'kube-system',
    namespaceLabels: new Map(),
    labels: labels({ component: 'kube-apiserver', tier: 'control-plane' }),
    ports: [{ port: 6443, protocol: 'TCP' }],
    hostNetwork: true,
  },
];

/** A component's namespace labels as a selector sees them: declared ones, the workspace's, and the name label. */
function namespaceLabelsOf(component: ExternalComponent, workspaceLabels: Labels | undefined): Labels {
  return new Map([...(workspaceLabels ?? []), ...component.namespaceLabels, ['kubernetes.io/metadata.name', component.namespace]]);
}

/**
 * The components a pod peer matches. `namespaceSelector` undefined means the
 * policy's own namespace, as in a NetworkPolicy peer.
 */
export function matchingComponents(
  components: readonly ExternalComponent[],
  policyNamespace: string,
  namespaceSelector: Selector | undefined,
  podSelector: Selector | undefined,
  workspaceNamespaceLabels: (namespace: string) => Labels | undefined,
): ExternalComponent[] {
  return components.filter((c) => {
    const inNamespace =
      namespaceSelector === undefined ? c.namespace === policyNamespace : selectorMatches(namespaceSelector, namespaceLabelsOf(c, workspaceNamespaceLabels(c.namespace)));
    return inNamespace && (podSelector === undefined || selectorMatches(podSelector, c.labels));
  });
}
