/**
 * Namespace, Pod and pod-owning workloads → model objects.
 */
import type { Node } from 'yaml';
import { parseIP, type IPAddress } from './cidr.js';
import { sharedPodLabels } from './controllerLabels.js';
import type { ContainerPort, NamespaceModel, PodGroup, PodKind } from './model.js';
import { parseProtocol } from './ports.js';
import { finding, type Finding } from './rules.js';
import type { SourceSpan } from './source.js';
import { entry, get, integer, items, scalar, spanOf, stringMap, text, type NodeContext } from './yamlNodes.js';

export interface ObjectHeader {
  readonly namespace: string;
  readonly name: string;
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
  /** Where metadata.namespace is written; absent when the namespace is defaulted. */
  readonly namespaceSpan?: SourceSpan;
}

const LEGACY_ISOLATION = 'net.beta.kubernetes.io/network-policy';

export function buildNamespace(ctx: NodeContext, root: Node, header: ObjectHeader, findings: Finding[]): NamespaceModel {
  const labels = new Map(stringMap(ctx, get(ctx, root, 'metadata', 'labels')));
  const legacy = entry(ctx, get(ctx, root, 'metadata', 'annotations'), LEGACY_ISOLATION);
  if (legacy !== undefined) {
    findings.push(
      finding(
        'namespace-legacy-isolation',
        spanOf(ctx, legacy.keyNode),
        `${LEGACY_ISOLATION} is the pre-1.7 beta isolation switch; networking.k8s.io/v1 implementations ignore it. Use a NetworkPolicy with podSelector: {} instead.`,
      ),
    );
  }
  // The API server sets this label on every namespace since Kubernetes 1.21.
  if (!labels.has('kubernetes.io/metadata.name')) labels.set('kubernetes.io/metadata.name', header.name);
  return { name: header.name, labels, span: header.span, nameSpan: header.nameSpan };
}

/** Where each kind keeps its pod template, and how many pods it runs. */
function podTemplate(ctx: NodeContext, root: Node, kind: PodKind): { template: Node | undefined; replicas: number } {
  switch (kind) {
    case 'Pod':
      return { template: root, replicas: 1 };
    case 'DaemonSet':
      // One per node; the node count is not in the manifests.
      return { template: get(ctx, root, 'spec', 'template'), replicas: 1 };
    case 'Job':
      return { template: get(ctx, root, 'spec', 'template'), replicas: integer(ctx, get(ctx, root, 'spec', 'parallelism')) ?? 1 };
    case 'CronJob':
      return {
        template: get(ctx, root, 'spec', 'jobTemplate', 'spec', 'template'),
        replicas: integer(ctx, get(ctx, root, 'spec', 'jobTemplate', 'spec', 'parallelism')) ?? 1,
      };
    default:
      return { template: get(ctx, root, 'spec', 'template'), replicas: integer(ctx, get(ctx, root, 'spec', 'replicas')) ?? 1 };
  }
}

/** Only an account other than the namespace's default is recorded. */
function serviceAccountField(name: string | undefined): { serviceAccount?: string } {
  return name === undefined || name === '' || name === 'default' ? {} : { serviceAccount: name };
}

export function buildPodGroup(ctx: NodeContext, root: Node, kind: PodKind, header: ObjectHeader, findings: Finding[]): PodGroup {
  const { template, replicas } = podTemplate(ctx, root, kind);
  const podSpec = get(ctx, template, 'spec');
  const labels = stringMap(ctx, get(ctx, template, 'metadata', 'labels'));
  const ports: ContainerPort[] = [];
  const containers = [
    ...items(ctx, get(ctx, podSpec, 'containers')),
    // Sidecars (init containers that keep running) serve ports too.
    ...items(ctx, get(ctx, podSpec, 'initContainers')).filter((c) => text(ctx, get(ctx, c, 'restartPolicy')) === 'Always'),
  ];
  for (const container of containers) {
    for (const p of items(ctx, get(ctx, container, 'ports'))) {
      const portNode = get(ctx, p, 'containerPort');
      const port = integer(ctx, portNode);
      if (port === undefined || port < 1 || port > 65535) {
        findings.push(finding('port-invalid', spanOf(ctx, portNode ?? p), 'containerPort must be a number from 1 to 65535.'));
        continue;
      }
      const protocol = parseProtocol(ctx, get(ctx, p, 'protocol'), findings);
      if (protocol === undefined) continue;
      ports.push({ name: text(ctx, get(ctx, p, 'name')), port, protocol, span: spanOf(ctx, p) });
    }
  }
  const ips: IPAddress[] = [];
  if (kind === 'Pod') {
    const seen = new Set<string>();
    const ipNodes = [get(ctx, root, 'status', 'podIP'), ...items(ctx, get(ctx, root, 'status', 'podIPs')).map((n) => get(ctx, n, 'ip'))];
    for (const n of ipNodes) {
      const t = text(ctx, n);
      if (t === undefined || seen.has(t)) continue;
      seen.add(t);
      const ip = parseIP(t);
      if (ip.ok) ips.push(ip.value);
      else findings.push(finding('cidr-invalid', spanOf(ctx, n), ip.error));
    }
  }
  return {
    id: `${header.namespace}/${header.name}`,
    kind,
    namespace: header.namespace,
    name: header.name,
    labels: sharedPodLabels(kind, header.name, replicas, labels),
    ports,
    ips,
    hostNetwork: scalar(ctx, get(ctx, podSpec, 'hostNetwork')) === true,
    ...serviceAccountField(text(ctx, get(ctx, podSpec, 'serviceAccountName')) ?? text(ctx, get(ctx, podSpec, 'serviceAccount'))),
    replicas: Math.max(0, replicas),
    span: header.span,
    nameSpan: header.nameSpan,
  };
}
