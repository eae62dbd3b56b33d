/**
 * Operator custom resources that stand for pods: one declarative table from
 * (API group, kind) to the pods the operator creates, with their names,
 * labels, ports and replica count. Each entry cites where its label
 * convention is documented or set. A policy beside a `kind: Prometheus` then
 * selects the Prometheus pods, as it will in the cluster.
 */
import type { Node } from 'yaml';
import type { ContainerPort, PodGroup, Protocol } from './model.js';
import type { SourceSpan } from './source.js';
import { get, integer, items, stringMap, text, type NodeContext } from './yamlNodes.js';

/** NAME:PORT or NAME:PORT/PROTOCOL (TCP when left out). */
type PortSpec = string;

function containerPort(spec: PortSpec, span: SourceSpan): ContainerPort {
  const [name, rest] = spec.split(':') as [string, string];
  const [port, protocol] = rest.split('/');
  return { name, port: Number(port), protocol: (protocol ?? 'TCP') as Protocol, span };
}

/** One set of alike pods; `{name}` is the custom resource's name, `{namespace}` its namespace, `{set}` an item's name. */
interface PodSetSpec {
  readonly podName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  /** How many pods, from the resource (or the item of `each`). */
  readonly replicas: (ctx: NodeContext, at: Node) => number;
  /** Where the resource lets users add pod labels, relative to the resource (or item). */
  readonly templateLabels?: readonly string[];
  /** Only when this field is set (Strimzi's ZooKeeper). */
  readonly when?: readonly string[];
  /** One pod set per item of this list (ECK's nodeSets). */
  readonly each?: readonly string[];
}

export interface OperatorEntry {
  readonly group: string;
  readonly kind: string;
  /** Where the label convention comes from. */
  readonly source: string;
  readonly podSets: readonly PodSetSpec[];
}

const field =
  (path: readonly string[], fallback: number, minus = 0) =>
  (ctx: NodeContext, at: Node): number =>
    Math.max(0, (integer(ctx, get(ctx, at, ...path)) ?? fallback) - minus);

/** prometheus-operator runs each of its kinds as a StatefulSet named KIND-NAME, labelled alike. */
const prometheusOperatorEntry = (kind: string, app: string, file: string, ports: readonly PortSpec[], extra: Record<string, string> = {}): OperatorEntry => ({
  group: 'monitoring.coreos.com',
  kind,
  source: `prometheus-operator, ${file} (pod labels); kube-prometheus's Services select Prometheus and Alertmanager pods by them`,
  podSets: [
    {
      podName: `${app}-{name}`,
      labels: {
        'app.kubernetes.io/name': app,
        'app.kubernetes.io/instance': '{name}',
        'app.kubernetes.io/managed-by': 'prometheus-operator',
        'operator.prometheus.io/name': '{name}',
        [app]: '{name}',
        ...extra,
      },
      ports,
      replicas: field(['spec', 'replicas'], 1),
      templateLabels: ['spec', 'podMetadata', 'labels'],
    },
  ],
});

/** CloudNativePG: one primary, the other instances replicas; role is the deprecated alias of cnpg.io/instanceRole. */
const cnpgInstances = (role: string, podName: string, replicas: PodSetSpec['replicas']): PodSetSpec => ({
  podName,
  labels: { 'cnpg.io/cluster': '{name}', 'cnpg.io/podRole': 'instance', 'cnpg.io/instanceRole': role, role },
  ports: ['postgresql:5432', 'metrics:9187', 'status:8000'],
  replicas,
  templateLabels: ['spec', 'inheritedMetadata', 'labels'],
});

/**
 * Rook labels every Ceph daemon pod `app: rook-ceph-DAEMON` and `rook_cluster:
 * NAMESPACE`. Ports vary with the cluster's settings (the dashboard's with
 * SSL), so only the monitors' fixed ones are declared.
 */
const ROOK_SOURCE =
  'Rook deploy/examples: networkpolicy.yaml selects each daemon by app: rook-ceph-DAEMON; the Service examples (dashboard-external-http.yaml, rgw-external.yaml, nfs-load-balancer.yaml) add rook_cluster: NAMESPACE, mgr_role: active, rook_object_store, and ceph_nfs with instance: a (its comment: instance "a" always exists; the other NFS instances are left out)';
const rookDaemon = (daemon: string, podName: string, replicas: PodSetSpec['replicas'], ports: readonly PortSpec[] = [], extra: Record<string, string> = {}): PodSetSpec => ({
  podName,
  labels: { app: `rook-ceph-${daemon}`, rook_cluster: '{namespace}', ...extra },
  ports,
  replicas,
});

export const OPERATOR_TABLE: readonly OperatorEntry[] = [
  prometheusOperatorEntry(
    'Prometheus',
    'prometheus',
    'pkg/prometheus/server/statefulset.go',
    ['web:9090', 'reloader-web:8080'],
    { 'operator.prometheus.io/shard': '0' },
  ),
  prometheusOperatorEntry('Alertmanager', 'alertmanager', 'pkg/alertmanager/statefulset.go', ['web:9093', 'mesh-tcp:9094', 'mesh-udp:9094/UDP', 'reloader-web:8080']),
  prometheusOperatorEntry('ThanosRuler', 'thanos-ruler', 'pkg/thanos/statefulset.go', ['grpc:10901', 'web:10902']),
  {
    group: 'postgresql.cnpg.io',
    kind: 'Cluster',
    source: 'CloudNativePG docs, "Labels and annotations" (cnpg.io/cluster, cnpg.io/instanceRole, cnpg.io/podRole; role is the deprecated alias)',
    podSets: [cnpgInstances('primary', '{name}-1', () => 1), cnpgInstances('replica', '{name}-replicas', field(['spec', 'instances'], 1, 1))],
  },
  {
    group: 'elasticsearch.k8s.elastic.co',
    kind: 'Elasticsearch',
    source: 'Elastic Cloud on Kubernetes docs, "Network policies" (common.k8s.elastic.co/type, elasticsearch.k8s.elastic.co/cluster-name) and "Customize Pods" (podTemplate labels)',
    podSets: [
      {
        each: ['spec', 'nodeSets'],
        podName: '{name}-es-{set}',
        labels: {
          'common.k8s.elastic.co/type': 'elasticsearch',
          'elasticsearch.k8s.elastic.co/cluster-name': '{name}',
          'elasticsearch.k8s.elastic.co/statefulset-name': '{name}-es-{set}',
        },
        ports: ['https:9200', 'transport:9300'],
        replicas: field(['count'], 1),
        templateLabels: ['podTemplate', 'metadata', 'labels'],
      },
    ],
  },
  {
    group: 'rabbitmq.com',
    kind: 'RabbitmqCluster',
    source: 'RabbitMQ Cluster Operator docs, "Using the operator: restrict traffic using network policies" (app.kubernetes.io/name is the cluster name)',
    podSets: [
      {
        podName: '{name}-server',
        labels: { 'app.kubernetes.io/name': '{name}', 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/part-of': 'rabbitmq' },
        ports: ['amqp:5672', 'management:15672', 'prometheus:15692', 'epmd:4369', 'cluster-links:25672'],
        replicas: field(['spec', 'replicas'], 1),
      },
    ],
  },
  {
    group: 'kafka.strimzi.io',
    kind: 'Kafka',
    source: 'Strimzi docs, "Configuring network policies" and "Labels and annotations" (strimzi.io/cluster, strimzi.io/kind, strimzi.io/name)',
    podSets: [
      {
        podName: '{name}-kafka',
        labels: { 'strimzi.io/cluster': '{name}', 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': '{name}-kafka' },
        ports: ['tcp-ctrlplane:9090', 'tcp-replication:9091', 'tcp-clients:9092', 'tcp-clientstls:9093'],
        replicas: field(['spec', 'kafka', 'replicas'], 1),
        templateLabels: ['spec', 'kafka', 'template', 'pod', 'metadata', 'labels'],
      },
      {
        when: ['spec', 'zookeeper'],
        podName: '{name}-zookeeper',
        labels: { 'strimzi.io/cluster': '{name}', 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': '{name}-zookeeper' },
        ports: ['tcp-clients:2181', 'tcp-clustering:2888', 'tcp-election:3888'],
        replicas: field(['spec', 'zookeeper', 'replicas'], 1),
        templateLabels: ['spec', 'zookeeper', 'template', 'pod', 'metadata', 'labels'],
      },
    ],
  },
  {
    group: 'ceph.rook.io',
    kind: 'CephCluster',
    source: ROOK_SOURCE,
    podSets: [
      rookDaemon('mon', 'rook-ceph-mon', field(['spec', 'mon', 'count'], 3), ['msgr2:3300', 'msgr1:6789'], { ceph_daemon_type: 'mon' }),
      rookDaemon('mgr', 'rook-ceph-mgr', () => 1, [], { ceph_daemon_type: 'mgr', mgr_role: 'active' }),
      rookDaemon('osd', 'rook-ceph-osd', () => 1, [], { ceph_daemon_type: 'osd' }),
      rookDaemon('osd-prepare', 'rook-ceph-osd-prepare', () => 1),
      rookDaemon('exporter', 'rook-ceph-exporter', () => 1),
      rookDaemon('crashcollector', 'rook-ceph-crashcollector', () => 1),
    ],
  },
  { group: 'ceph.rook.io', kind: 'CephFilesystem', source: ROOK_SOURCE, podSets: [rookDaemon('mds', 'rook-ceph-mds-{name}', field(['spec', 'metadataServer', 'activeCount'], 1), [], { rook_file_system: '{name}' })] },
  { group: 'ceph.rook.io', kind: 'CephObjectStore', source: ROOK_SOURCE, podSets: [rookDaemon('rgw', 'rook-ceph-rgw-{name}', field(['spec', 'gateway', 'instances'], 1), [], { rook_object_store: '{name}' })] },
  { group: 'ceph.rook.io', kind: 'CephNFS', source: ROOK_SOURCE, podSets: [rookDaemon('nfs', 'rook-ceph-nfs-{name}-a', () => 1, [], { ceph_nfs: '{name}', instance: 'a' })] },
];

/**
 * Controllers installed as ordinary workloads that create pods at run time
 * without a custom resource in the manifests, and label their own pods
 * after start. Matched by the workload's kind and a pod template label.
 */
export interface ControllerEntry {
  readonly kind: string;
  readonly templateLabel: readonly [string, string];
  readonly source: string;
  /** Labels the controller puts on its own pods once running. */
  readonly runtimeLabels: Readonly<Record<string, string>>;
  readonly podSets: readonly PodSetSpec[];
}

const LONGHORN_MANAGED = (component: string) => ({ 'longhorn.io/component': component, 'longhorn.io/managed-by': 'longhorn-manager' });

export const CONTROLLER_TABLE: readonly ControllerEntry[] = [
  {
    kind: 'DaemonSet',
    templateLabel: ['app', 'longhorn-manager'],
    source:
      'longhorn-manager, types/types.go (longhorn.io/component, longhorn.io/managed-by, and the admission-webhook and recovery-backend labels it sets on itself); selected so by the NetworkPolicies and Services of Longhorn deploy/longhorn.yaml',
    runtimeLabels: { 'longhorn.io/admission-webhook': 'longhorn-admission-webhook', 'longhorn.io/recovery-backend': 'longhorn-recovery-backend' },
    podSets: [
      { podName: 'instance-manager', labels: { ...LONGHORN_MANAGED('instance-manager'), 'longhorn.io/instance-manager-type': 'aio' }, ports: ['iscsi:3260'], replicas: () => 1 },
      { podName: 'backing-image-manager', labels: LONGHORN_MANAGED('backing-image-manager'), ports: [], replicas: () => 1 },
      { podName: 'backing-image-data-source', labels: LONGHORN_MANAGED('backing-image-data-source'), ports: [], replicas: () => 1 },
      { podName: 'share-manager', labels: LONGHORN_MANAGED('share-manager'), ports: ['nfs:2049'], replicas: () => 1 },
      // The CronJobs of recurring snapshot/backup jobs, and the pods of one-off job tasks.
      { podName: 'recurring-job', labels: { 'longhorn.io/managed-by': 'longhorn-manager', 'recurring-job.longhorn.io': 'recurring-job' }, ports: [], replicas: () => 1 },
      { podName: 'job-task', labels: { 'longhorn.io/managed-by': 'longhorn-manager', 'longhorn.io/job-task': 'job-task' }, ports: [], replicas: () => 1 },
    ],
  },
  {
    kind: 'Deployment',
    templateLabel: ['app', 'longhorn-driver-deployer'],
    source: 'longhorn-manager, csi/deployment.go (the CSI plugin DaemonSet it deploys, app: longhorn-csi-plugin)',
    runtimeLabels: {},
    podSets: [{ podName: 'longhorn-csi-plugin', labels: { app: 'longhorn-csi-plugin' }, ports: [], replicas: () => 1 }],
  },
];

export function controllerEntry(kind: string, templateLabels: ReadonlyMap<string, string>): ControllerEntry | undefined {
  return CONTROLLER_TABLE.find((e) => e.kind === kind && templateLabels.get(e.templateLabel[0]) === e.templateLabel[1]);
}

/** The controller's own pods with their run-time labels, and the pods it creates. */
export function controllerPodGroups(ctx: NodeContext, root: Node, entry: ControllerEntry, own: PodGroup): PodGroup[] {
  const labelled: PodGroup = { ...own, labels: new Map([...own.labels, ...Object.entries(entry.runtimeLabels)]) };
  return [labelled, ...podSetGroups(ctx, root, entry.kind, entry.podSets, own)];
}

const BY_KIND = new Map(OPERATOR_TABLE.map((e) => [`${e.group}/${e.kind}`, e]));

export function operatorEntry(apiVersion: string, kind: string): OperatorEntry | undefined {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? undefined : BY_KIND.get(`${apiVersion.slice(0, slash)}/${kind}`);
}

export const OPERATOR_KINDS: ReadonlySet<string> = new Set(OPERATOR_TABLE.map((e) => e.kind));

interface ResourceHeader {
  readonly namespace: string;
  readonly name: string;
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
}

/** The pod groups a custom resource of a known operator stands for. */
export function operatorPodGroups(ctx: NodeContext, root: Node, entry: OperatorEntry, header: ResourceHeader): PodGroup[] {
  return podSetGroups(ctx, root, entry.kind, entry.podSets, header);
}

function podSetGroups(ctx: NodeContext, root: Node, kind: string, podSets: readonly PodSetSpec[], header: ResourceHeader): PodGroup[] {
  const out: PodGroup[] = [];
  for (const set of podSets) {
    if (set.when !== undefined && get(ctx, root, ...set.when) === undefined) continue;
    const scopes: Array<{ at: Node; setName: string }> =
      set.each === undefined ? [{ at: root, setName: '' }] : items(ctx, get(ctx, root, ...set.each)).map((at) => ({ at, setName: text(ctx, get(ctx, at, 'name')) ?? '' }));
    for (const { at, setName } of scopes) {
      const fill = (t: string) => t.replace(/\{name\}/g, header.name).replace(/\{set\}/g, setName).replace(/\{namespace\}/g, header.namespace);
      const replicas = set.replicas(ctx, at);
      if (replicas === 0) continue;
      const templateLabels = set.templateLabels === undefined ? new Map<string, string>() : stringMap(ctx, get(ctx, at, ...set.templateLabels));
      // The operator's own labels win over user-supplied ones, as the operators merge them.
      const labels = new Map([...templateLabels, ...Object.entries(set.labels).map(([k, v]) => [k, fill(v)] as [string, string])]);
      const ports = set.ports.map((p) => containerPort(p, header.span));
      const name = fill(set.podName);
      out.push({
        id: `${header.namespace}/${name}`,
        kind,
        namespace: header.namespace,
        name,
        labels,
        ports,
        ips: [],
        hostNetwork: false,
        replicas,
        span: header.span,
        nameSpan: header.nameSpan,
      });
    }
  }
  return out;
}
