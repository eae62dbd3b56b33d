/**
 * Random small clusters as real YAML, for the reachability property tests. The generator aims at the places a
 * shared policy model could hide a bug: host-network pods, `policyTypes` empty/absent/one/both, NotIn and
 * DoesNotExist on keys some pods and namespaces lack, endPort equal to port, named ports that only some pods
 * declare (or declare on another protocol, or in a sidecar container), ipBlocks with excepts, namespaceSelectors
 * on the kubernetes.io/metadata.name label the API server adds, and all three protocols.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const NAMESPACES = ['x', 'y', 'z'] as const;
// "team" is on no namespace and few pods, so NotIn and DoesNotExist meet objects without the key.
const labelKey = fc.constantFrom('app', 'tier', 'team');
const labelValue = fc.constantFrom('a', 'b');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const namespaceLabels = fc.dictionary(fc.constantFrom('app', 'tier'), labelValue, { maxKeys: 2 });
/** Every port a generated policy or container names lies in 1-PORT_LIMIT. */
export const PORT_LIMIT = 8;
export const portNumber = fc.integer({ min: 1, max: PORT_LIMIT });
const portName = fc.constantFrom('web', 'db');
export const protocol = fc.constantFrom(...PROTOCOLS);

const requirement = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(labelValue, { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector = fc.record({ matchLabels: labels, matchExpressions: fc.array(requirement, { minLength: 1, maxLength: 2 }) }, { requiredKeys: [] });
// Namespace selectors may also name the label every namespace carries implicitly: kubernetes.io/metadata.name.
const namespaceLabelKey = fc.constantFrom('app', 'tier', 'team', 'kubernetes.io/metadata.name');
const namespaceLabelValue = fc.constantFrom('a', 'b', 'x', 'y');
const namespaceRequirement = fc.oneof(
  fc.record({ key: namespaceLabelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(namespaceLabelValue, { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: namespaceLabelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const namespaceSelector = fc.record(
  { matchLabels: fc.dictionary(namespaceLabelKey, namespaceLabelValue, { maxKeys: 2 }), matchExpressions: fc.array(namespaceRequirement, { minLength: 1, maxLength: 2 }) },
  { requiredKeys: [] },
);

const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector }),
  fc.record({ podSelector: selector, namespaceSelector }),
  fc.record({
    ipBlock: fc.oneof(
      fc.record({ cidr: fc.constantFrom('10.0.0.0/29', '10.0.0.4/30', '10.0.0.3/32', '0.0.0.0/0') }),
      fc.record({ cidr: fc.constantFrom('10.0.0.0/29', '0.0.0.0/0'), except: fc.constantFrom(['10.0.0.0/31'], ['10.0.0.4/30', '10.0.0.2/32']) }),
    ),
  }),
);

const policyPort = fc.oneof(
  fc.record({ protocol, port: portNumber }, { requiredKeys: ['port'] }),
  fc.record({ protocol, port: portName }, { requiredKeys: ['port'] }),
  // endPort equal to port half the time: a one-port range is valid and must allow that port.
  portNumber.chain((p) => fc.record({ protocol, port: fc.constant(p), endPort: fc.oneof(fc.constant(p), fc.integer({ min: p, max: PORT_LIMIT })) }, { requiredKeys: ['port', 'endPort'] })),
  fc.record({ protocol }),
);

const rule = (peersKey: 'from' | 'to') => fc.record({ [peersKey]: fc.array(peer, { maxLength: 2 }), ports: fc.array(policyPort, { maxLength: 2 }) }, { requiredKeys: [] });

const policy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: fc.oneof(fc.constant({}), selector),
  policyTypes: fc.constantFrom(undefined, [], ['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress']),
  ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
});

const containerPort = fc.record({ name: fc.option(portName, { nil: undefined }), containerPort: portNumber, protocol: fc.option(protocol, { nil: undefined }) });

const pod = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels,
  hostNetwork: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  // A pod's port names are unique, as the API requires.
  ports: fc.uniqueArray(containerPort, { maxLength: 3, selector: (p) => p.name ?? `${p.containerPort}/${p.protocol ?? 'TCP'}` }),
  /** How many of the ports (from the end) a second, sidecar container declares. */
  sidecarPorts: fc.integer({ min: 0, max: 2 }),
  ip: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
});

export const randomCluster = fc.record({
  namespaceLabels: fc.tuple(namespaceLabels, namespaceLabels, namespaceLabels),
  pods: fc.array(pod, { minLength: 1, maxLength: 6 }),
  policies: fc.array(policy, { maxLength: 4 }),
});

export type RandomCluster = typeof randomCluster extends fc.Arbitrary<infer T> ? T : never;

/** The cluster as one multi-document YAML text: three Namespaces, then Pods p0.., then NetworkPolicies np0... */
export function renderCluster(c: RandomCluster): string {
  const docs: unknown[] = [];
  NAMESPACES.forEach((name, i) => docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: c.namespaceLabels[i] } }));
  c.pods.forEach((p, i) => {
    const ports = p.ports.map((cp) => Object.fromEntries(Object.entries(cp).filter(([, v]) => v !== undefined)));
    const split = Math.max(0, ports.length - p.sidecarPorts);
    const containers = [{ name: 'c', image: 'i', ports: ports.slice(0, split) }, ...(split < ports.length ? [{ name: 'sidecar', image: 'i', ports: ports.slice(split) }] : [])];
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: p.namespace, labels: p.labels },
      spec: { ...(p.hostNetwork ? { hostNetwork: true } : {}), containers },
      ...(p.ip === undefined ? {} : { status: { podIP: `10.0.0.${p.ip}` } }),
    });
  });
  c.policies.forEach((p, i) => {
    const spec = Object.fromEntries(Object.entries({ podSelector: p.podSelector, policyTypes: p.policyTypes, ingress: p.ingress, egress: p.egress }).filter(([, v]) => v !== undefined));
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: p.namespace }, spec });
  });
  return docs.map((d) => stringify(d)).join('---\n');
}

/*
 * Cluster-wide policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) over the same pods:
 * every action, both tiers, subjects by namespace or by pod, peers by namespace, by pod and by network (a /0
 * included), ports by number, range and name in both API generations. Priorities are distinct, as the API leaves
 * the order of equal priorities undefined.
 */
const podPeers = [
  fc.record({ namespaces: namespaceSelector }),
  fc.record({ pods: fc.record({ namespaceSelector, podSelector: selector }, { requiredKeys: ['podSelector'] }) }),
] as const;
// Only egress rules take networks.
const clusterPeer = { ingress: fc.oneof(...podPeers), egress: fc.oneof(...podPeers, fc.record({ networks: fc.uniqueArray(fc.constantFrom('10.0.0.0/29', '10.0.0.4/30', '10.0.0.3/32', '0.0.0.0/0'), { minLength: 1, maxLength: 2 }) })) };
/** A port condition, written later in either generation. */
const clusterPort = fc.oneof(
  fc.record({ kind: fc.constant('number' as const), protocol, port: portNumber }),
  portNumber.chain((start) => fc.record({ kind: fc.constant('range' as const), protocol, start: fc.constant(start), end: fc.integer({ min: start + 1, max: PORT_LIMIT + 1 }) })),
  fc.record({ kind: fc.constant('named' as const), name: portName }),
);
const clusterRule = (direction: 'ingress' | 'egress') =>
  fc.record({
    action: fc.constantFrom('Allow', 'Deny', 'Pass'),
    peers: fc.array<object>(clusterPeer[direction], { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(clusterPort, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  });
const clusterPolicy = fc.record({
  generation: fc.constantFrom('v1alpha1', 'v1alpha2'),
  tier: fc.constantFrom('Admin', 'Baseline'),
  subject: fc.oneof(fc.record({ namespaces: namespaceSelector }), fc.record({ pods: fc.record({ namespaceSelector, podSelector: selector }, { requiredKeys: ['podSelector'] }) })),
  ingress: fc.array(clusterRule('ingress'), { maxLength: 3 }),
  egress: fc.array(clusterRule('egress'), { maxLength: 3 }),
});
export const randomClusterPolicies = fc.array(clusterPolicy, { maxLength: 4 }).chain((policies) =>
  fc.shuffledSubarray(Array.from({ length: 20 }, (_, i) => (i + 1) * 5), { minLength: policies.length, maxLength: policies.length }).map((priorities) =>
    policies.map((p, i) => ({ ...p, priority: priorities[i]! })),
  ),
);
export type RandomClusterPolicy = typeof clusterPolicy extends fc.Arbitrary<infer T> ? T & { priority: number } : never;

type ClusterPort = typeof clusterPort extends fc.Arbitrary<infer T> ? T : never;

function v1alpha2Port(p: ClusterPort): unknown {
  if (p.kind === 'named') return { destinationNamedPort: p.name };
  const destinationPort = p.kind === 'number' ? { number: p.port } : { range: { start: p.start, end: p.end } };
  return { [p.protocol.toLowerCase()]: { destinationPort } };
}

function v1alpha1Port(p: ClusterPort): unknown {
  if (p.kind === 'named') return { namedPort: p.name };
  return p.kind === 'number' ? { portNumber: { protocol: p.protocol, port: p.port } } : { portRange: { protocol: p.protocol, start: p.start, end: p.end } };
}

/**
 * Each policy as YAML: v1alpha2 ClusterNetworkPolicy, or v1alpha1 (AdminNetworkPolicy for the admin tier; the one
 * BaselineAdminNetworkPolicy "default" for the first v1alpha1 baseline policy, whose Pass rules it cannot have, so
 * they are written as ClusterNetworkPolicy, as are later v1alpha1 baseline policies).
 */
export function renderClusterPolicies(policies: readonly RandomClusterPolicy[]): string {
  let baselineTaken = false;
  return policies
    .map((p, i) => {
      const hasPass = [...p.ingress, ...p.egress].some((r) => r.action === 'Pass');
      let kind = 'ClusterNetworkPolicy';
      if (p.generation === 'v1alpha1' && p.tier === 'Admin') kind = 'AdminNetworkPolicy';
      if (p.generation === 'v1alpha1' && p.tier === 'Baseline' && !baselineTaken && !hasPass) kind = 'BaselineAdminNetworkPolicy';
      if (kind === 'BaselineAdminNetworkPolicy') baselineTaken = true;
      const v2 = kind === 'ClusterNetworkPolicy';
      const rules = (list: typeof p.ingress, peersKey: 'from' | 'to') =>
        list.map((r) => ({
          action: v2 && r.action === 'Allow' ? 'Accept' : r.action,
          [peersKey]: r.peers,
          ...(r.ports === undefined ? {} : v2 ? { protocols: r.ports.map(v1alpha2Port) } : { ports: r.ports.map(v1alpha1Port) }),
        }));
      const spec = {
        ...(v2 ? { tier: p.tier } : {}),
        ...(kind === 'BaselineAdminNetworkPolicy' ? {} : { priority: p.priority }),
        subject: p.subject,
        ingress: rules(p.ingress, 'from'),
        egress: rules(p.egress, 'to'),
      };
      const name = kind === 'BaselineAdminNetworkPolicy' ? 'default' : `cnp${i}`;
      return stringify({ apiVersion: `policy.networking.k8s.io/${v2 ? 'v1alpha2' : 'v1alpha1'}`, kind, metadata: { name }, spec });
    })
    .join('---\n');
}
