/**
 * Generated workspaces of the shapes whose cost once grew far faster than
 * their size (issue 14, class 8). Each takes one size parameter; the scaling
 * benchmark doubles it and compares the times.
 */
import { generateCluster } from '../support/generateCluster.js';

export interface SourceText {
  readonly file: string;
  readonly text: string;
}

const NAMESPACES = ['shop', 'pay', 'ops', 'data'];

/** One Deployment with a named container port; labels in flow style. */
function deployment(name: string, namespace: string, labels: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
      - name: c
        image: example/app:1
        ports: [{name: http, containerPort: 8080}]
`;
}

/** n Deployments with distinct labels in four namespaces, and no policy at all. */
export function deploymentsWithoutPolicies(n: number): SourceText[] {
  const docs: string[] = NAMESPACES.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
  for (let i = 0; i < n; i++) {
    docs.push(deployment(`app-${i}`, NAMESPACES[i % NAMESPACES.length]!, `{app: app-${i}}`));
  }
  return [{ file: 'deployments.yaml', text: docs.join('---\n') }];
}

/**
 * n Pods that declare no container ports, and n policies whose rules name
 * port ranges with endPort: "any port" at such a pod has to consider every
 * range any policy mentions.
 */
export function portlessPodsWithEndPorts(n: number): SourceText[] {
  const docs: string[] = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n`];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
  namespace: shop
  labels: {app: pod-${i}, tier: t${i % 5}}
spec:
  containers:
  - name: c
    image: example/app:1
`);
  }
  for (let i = 0; i < n; i++) {
    const low = 1000 + ((i * 7) % 30000);
    docs.push(
      policy(
        `ranges-${i}`,
        `{matchLabels: {app: pod-${i}}}`,
        `[Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {tier: t${(i + 1) % 5}}}
    ports:
    - {protocol: TCP, port: ${low}, endPort: ${low + 20}}
  egress:
  - to:
    - podSelector: {matchLabels: {tier: t${(i + 2) % 5}}}
    ports:
    - {protocol: TCP, port: ${low + 10}, endPort: ${low + 40}}
    - {protocol: UDP, port: 53}`,
      ),
    );
  }
  return [{ file: 'ranges.yaml', text: docs.join('---\n') }];
}

/**
 * n Deployments and n egress policies that all select every pod; one more
 * lets DNS out for all but the last Deployment, so each egress policy has to
 * be judged for DNS against every pod.
 */
export function egressPoliciesOverDns(n: number): SourceText[] {
  const docs: string[] = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n`];
  for (let i = 0; i < n; i++) {
    docs.push(deployment(`app-${i}`, 'shop', `{app: app-${i}, tier: t${i % 4}${i === n - 1 ? ', dns: blocked' : ''}}`));
  }
  for (let i = 0; i < n; i++) {
    docs.push(policy(`egress-${i}`, '{}', `[Egress]
  egress:
  - to:
    - podSelector: {matchLabels: {tier: t${i % 4}}}
    ports:
    - {protocol: TCP, port: ${8000 + (i % 100)}}`));
  }
  docs.push(policy('dns', '{matchExpressions: [{key: dns, operator: DoesNotExist}]}', `[Egress]
  egress:
  - ports:
    - {protocol: UDP, port: 53}`));
  return [{ file: 'egress.yaml', text: docs.join('---\n') }];
}

/** A NetworkPolicy in namespace shop: its podSelector and everything from policyTypes on, in flow or block style. */
function policy(name: string, podSelector: string, rest: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector: ${podSelector}
  policyTypes: ${rest}
`;
}

/** The realistic generated cluster: 5n/2 workloads and n policies (n = 2,000 is the 5,000 × 2,000). */
export function podsAndPolicies(n: number): SourceText[] {
  return generateCluster({ workloads: Math.round(n * 2.5), policies: n, perFile: 20, seed: 7 });
}

/** A CNI .conflist with n host-local ranges beside a kubeadm config; the policy is what a keystroke edits. */
export function conflistWithRanges(n: number): SourceText[] {
  const ranges: string[] = [];
  for (let i = 0; i < n; i++) {
    // Distinct /28s of 10.244.0.0/14, with a few overlapping the Service range on purpose.
    const third = (i >> 4) & 255;
    const second = 244 + ((i >> 12) & 3);
    const subnet = i % 1000 === 999 ? `10.96.${third}.0/24` : `10.${second}.${third}.${(i & 15) * 16}/28`;
    ranges.push(`[{"subnet": "${subnet}"}]`);
  }
  const conflist = `{
  "cniVersion": "0.3.1",
  "name": "bridge-net",
  "plugins": [
    { "type": "bridge", "bridge": "cni0", "ipam": { "type": "host-local", "ranges": [
      ${ranges.join(',\n      ')}
    ] } }
  ]
}
`;
  const kubeadm = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  serviceSubnet: 10.96.0.0/12
`;
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
  return [
    { file: 'net.conflist', text: conflist },
    { file: 'kubeadm.yaml', text: kubeadm },
    { file: 'policy.yaml', text: policy },
  ];
}
