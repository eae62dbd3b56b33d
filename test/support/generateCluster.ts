/**
 * A deterministic generator of realistic clusters for benchmarks: namespaces
 * with team labels, Deployments/StatefulSets with named ports, Services, and
 * NetworkPolicies mixing default-deny, pod/namespace selectors, ipBlocks with
 * except, DNS egress and port ranges.
 */
import { stringify } from 'yaml';

export interface ClusterShape {
  readonly workloads: number;
  readonly policies: number;
  readonly namespaces?: number;
  /** Workloads per file; 0 puts everything in one file. */
  readonly perFile?: number;
  readonly seed?: number;
  /** Add the cluster's network configuration: a kubeadm ClusterConfiguration and a Calico .conflist. */
  readonly clusterConfig?: boolean;
}

const KUBEADM = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
`;

const CALICO_CONFLIST = `{
  "cniVersion": "0.3.1",
  "name": "k8s-pod-network",
  "plugins": [
    { "type": "calico", "mtu": 1450, "ipam": { "type": "calico-ipam" }, "policy": { "type": "k8s" } },
    { "type": "portmap", "capabilities": { "portMappings": true }, "snat": true }
  ]
}
`;

/** Mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = ['web', 'api', 'db', 'cache', 'queue', 'worker', 'auth', 'search', 'billing', 'metrics'];
const TIERS = ['frontend', 'backend', 'data'];
const PORTS: Record<string, [string, number]> = {
  web: ['http', 8080],
  api: ['http', 8000],
  db: ['pg', 5432],
  cache: ['redis', 6379],
  queue: ['amqp', 5672],
  worker: ['metrics', 9090],
  auth: ['grpc', 9000],
  search: ['http', 9200],
  billing: ['grpc', 9001],
  metrics: ['prom', 9091],
};

export function generateCluster(shape: ClusterShape): Array<{ file: string; text: string }> {
  const rnd = prng(shape.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const nsCount = shape.namespaces ?? Math.max(3, Math.round(shape.workloads / 40));
  const namespaces = Array.from({ length: nsCount }, (_, i) => `team-${i}`);
  const docs: Array<{ group: number; doc: unknown }> = [];
  namespaces.forEach((ns, i) =>
    docs.push({ group: i, doc: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `t${i % 7}`, env: i % 3 === 0 ? 'prod' : 'dev' } } } }),
  );
  for (let w = 0; w < shape.workloads; w++) {
    const ns = namespaces[w % nsCount]!;
    const app = APPS[Math.floor(w / nsCount) % APPS.length]!;
    const name = `${app}-${w}`;
    const [portName, port] = PORTS[app]!;
    const labels = { app, tier: pick(TIERS), instance: name };
    const kind = app === 'db' || app === 'cache' ? 'StatefulSet' : 'Deployment';
    docs.push({
      group: w,
      doc: {
        apiVersion: 'apps/v1',
        kind,
        metadata: { name, namespace: ns },
        spec: {
          replicas: 1 + Math.floor(rnd() * 3),
          selector: { matchLabels: { instance: name } },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: app, image: `example/${app}:1`, ports: [{ name: portName, containerPort: port }] }] },
          },
        },
      },
    });
    docs.push({
      group: w,
      doc: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { instance: name }, ports: [{ name: portName, port, targetPort: portName }] } },
    });
  }
  for (let p = 0; p < shape.policies; p++) {
    const ns = namespaces[p % nsCount]!;
    const variant = p % 6;
    let spec: Record<string, unknown>;
    const app = pick(APPS);
    if (variant === 0) spec = { podSelector: {}, policyTypes: ['Ingress'] };
    else if (variant === 1)
      spec = {
        podSelector: { matchLabels: { app } },
        ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }, { namespaceSelector: { matchLabels: { team: `t${p % 7}` } } }], ports: [{ port: PORTS[app]![0] }] }],
      };
    else if (variant === 2)
      spec = {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'data'] }] },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { app: pick(APPS) } } }] }],
      };
    else if (variant === 3)
      spec = {
        podSelector: { matchLabels: { app } },
        policyTypes: ['Egress'],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
          { to: [{ podSelector: {} }] },
          { to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] } }], ports: [{ port: 443 }] },
        ],
      };
    else if (variant === 4)
      spec = { podSelector: { matchLabels: { tier: pick(TIERS) } }, ingress: [{ ports: [{ port: 8000, endPort: 9100 }] }] };
    else spec = { podSelector: { matchLabels: { app } }, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['worker'] }] } }] }] };
    docs.push({ group: p, doc: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${p}`, namespace: ns }, spec } });
  }
  const perFile = shape.perFile ?? 0;
  const files = new Map<string, string[]>();
  for (const { group, doc } of docs) {
    const d = doc as { kind: string };
    const file = perFile === 0 ? 'cluster.yaml' : `${d.kind === 'NetworkPolicy' ? 'policies' : d.kind === 'Namespace' ? 'namespaces' : 'apps'}-${Math.floor(group / perFile)}.yaml`;
    const list = files.get(file) ?? [];
    list.push(stringify(doc));
    files.set(file, list);
  }
  const out = [...files].map(([file, parts]) => ({ file, text: parts.join('---\n') }));
  if (shape.clusterConfig) out.push({ file: 'kubeadm-config.yaml', text: KUBEADM }, { file: '10-calico.conflist', text: CALICO_CONFLIST });
  return out;
}
