/**
 * A second, independent reading of NetworkPolicy (networking.k8s.io/v1), written from the Kubernetes API reference
 * for the property tests. It shares nothing with the engine on purpose: it imports nothing from server/src, reads the
 * YAML only through the `yaml` package's plain JavaScript view, and decides every pod pair on its own, literally and
 * slowly. A bug the engine's policy model, selector matcher or port lookup has cannot hide here by being shared.
 *
 * Scope: bare Pods, Namespaces and NetworkPolicies; IPv4 pod IPs and ipBlocks; one port and protocol per question.
 * Cluster-wide policies (policy.networking.k8s.io v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy,
 * v1alpha2 ClusterNetworkPolicy) are composed with NetworkPolicy literally, as the API documents its tiers: the admin
 * policies one by one by priority, each one's rules in written order, the first that matches deciding (a Pass skips
 * to NetworkPolicy); then NetworkPolicy if one selects the pod; then the baseline the same way; then allowed.
 * Priorities are assumed distinct (the API leaves the order of equal priorities undefined).
 */
import { parseAllDocuments } from 'yaml';

type Labels = Readonly<Record<string, string>>;
type Json = Record<string, unknown>;

interface ContainerPortSpec {
  readonly name: string | undefined;
  readonly containerPort: number;
  readonly protocol: string;
}

export interface ReferencePod {
  /** namespace/name, as `netlens matrix --json` names a bare Pod. */
  readonly id: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly hostNetwork: boolean;
  /** status.podIP as a 32-bit number, when it is an IPv4 address. */
  readonly ip: number | undefined;
  readonly ports: readonly ContainerPortSpec[];
}

interface ReferencePolicy {
  readonly namespace: string;
  readonly podSelector: unknown;
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  /** The raw rules: ingress rules list peers under `from`, egress rules under `to`. */
  readonly ingress: readonly Json[];
  readonly egress: readonly Json[];
}

/** A cluster-wide policy as written: v1alpha1 rules list ports under `ports`, v1alpha2 under `protocols`. */
interface ReferenceClusterPolicy {
  readonly kind: string;
  readonly tier: 'Admin' | 'Baseline';
  readonly priority: number;
  readonly subject: Json;
  readonly ingress: readonly Json[];
  readonly egress: readonly Json[];
}

export interface ReferenceCluster {
  readonly pods: readonly ReferencePod[];
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
  readonly policies: readonly ReferencePolicy[];
  readonly clusterPolicies: readonly ReferenceClusterPolicy[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objectsOf = (v: unknown): Json[] => listOf(v).filter(isObject);

function stringRecord(v: unknown): Labels {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
}

/** Dotted-quad IPv4 to a 32-bit unsigned number; undefined for anything else. */
export function ipv4(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether an IPv4 CIDR ("a.b.c.d/n") holds an address: the first n bits agree. */
export function cidrContains(cidr: unknown, ip: number): boolean {
  if (typeof cidr !== 'string') return false;
  const [address, lengthText] = cidr.split('/');
  const base = ipv4(address);
  const length = Number(lengthText);
  if (base === undefined || !Number.isInteger(length) || length < 0 || length > 32) return false;
  // Division instead of shifts: a JavaScript shift by 32 is a shift by 0.
  const block = 2 ** (32 - length);
  return Math.floor(base / block) === Math.floor(ip / block);
}

/** Reads the Pods, Namespaces and NetworkPolicies of a multi-document YAML text. */
export function readCluster(text: string): ReferenceCluster {
  const pods: ReferencePod[] = [];
  const namespaceLabels = new Map<string, Labels>();
  const policies: ReferencePolicy[] = [];
  const clusterPolicies: ReferenceClusterPolicy[] = [];
  for (const doc of parseAllDocuments(text)) {
    const object: unknown = doc.toJS();
    if (!isObject(object) || !isObject(object['metadata'])) continue;
    const metadata = object['metadata'];
    const name = String(metadata['name']);
    const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : 'default';
    const spec = isObject(object['spec']) ? object['spec'] : {};
    if (object['kind'] === 'Namespace') {
      // The API server labels every namespace with its own name.
      namespaceLabels.set(name, { ...stringRecord(metadata['labels']), 'kubernetes.io/metadata.name': name });
    } else if (object['kind'] === 'Pod') {
      const status = isObject(object['status']) ? object['status'] : {};
      pods.push({
        id: `${namespace}/${name}`,
        namespace,
        labels: stringRecord(metadata['labels']),
        hostNetwork: spec['hostNetwork'] === true,
        ip: ipv4(status['podIP']),
        ports: objectsOf(spec['containers']).flatMap((c) =>
          objectsOf(c['ports']).map((p) => ({
            name: typeof p['name'] === 'string' ? p['name'] : undefined,
            containerPort: Number(p['containerPort']),
            protocol: typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP',
          })),
        ),
      });
    } else if (object['kind'] === 'NetworkPolicy') {
      const ingress = objectsOf(spec['ingress']);
      const egress = objectsOf(spec['egress']);
      // API defaulting: an empty or missing policyTypes means Ingress, plus Egress when there are egress rules.
      const declared = listOf(spec['policyTypes']);
      const types = declared.length > 0 ? declared : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      policies.push({ namespace, podSelector: spec['podSelector'], affectsIngress: types.includes('Ingress'), affectsEgress: types.includes('Egress'), ingress, egress });
    } else if (['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'].includes(String(object['kind']))) {
      const kind = String(object['kind']);
      const tier = kind === 'AdminNetworkPolicy' ? 'Admin' : kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : spec['tier'] === 'Baseline' ? 'Baseline' : 'Admin';
      const priority = typeof spec['priority'] === 'number' ? spec['priority'] : 0;
      const subject = isObject(spec['subject']) ? spec['subject'] : {};
      clusterPolicies.push({ kind, tier, priority, subject, ingress: objectsOf(spec['ingress']), egress: objectsOf(spec['egress']) });
    }
  }
  for (const pod of pods) if (!namespaceLabels.has(pod.namespace)) namespaceLabels.set(pod.namespace, { 'kubernetes.io/metadata.name': pod.namespace });
  return { pods, namespaceLabels, policies, clusterPolicies };
}

/**
 * A LabelSelector: every matchLabels pair and every matchExpressions requirement must hold; an empty selector
 * matches everything. NotIn and DoesNotExist hold for labels that lack the key.
 */
export function labelSelectorMatches(selector: unknown, labels: Labels): boolean {
  if (!isObject(selector)) return true;
  for (const [key, value] of Object.entries(stringRecord(selector['matchLabels']))) if (labels[key] !== value) return false;
  for (const requirement of objectsOf(selector['matchExpressions'])) {
    const key = String(requirement['key']);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = listOf(requirement['values']);
    const holds =
      requirement['operator'] === 'In'
        ? has && values.includes(labels[key])
        : requirement['operator'] === 'NotIn'
          ? !has || !values.includes(labels[key])
          : requirement['operator'] === 'Exists'
            ? has
            : requirement['operator'] === 'DoesNotExist'
              ? !has
              : false;
    if (!holds) return false;
  }
  return true;
}

/** Whether a policy's podSelector picks a pod. Host-network pods are outside every policy. */
function policySelects(policy: ReferencePolicy, pod: ReferencePod): boolean {
  return !pod.hostNetwork && pod.namespace === policy.namespace && labelSelectorMatches(policy.podSelector, pod.labels);
}

/** Whether one NetworkPolicyPeer admits a pod as the other end of the traffic. */
function peerAdmits(cluster: ReferenceCluster, policy: ReferencePolicy, peer: Json, pod: ReferencePod): boolean {
  if (isObject(peer['ipBlock'])) {
    const block = peer['ipBlock'];
    if (pod.ip === undefined || !cidrContains(block['cidr'], pod.ip)) return false;
    return !listOf(block['except']).some((except) => cidrContains(except, pod.ip!));
  }
  // Pod and namespace selectors never pick host-network pods: their traffic carries the node's address.
  if (pod.hostNetwork) return false;
  const inNamespace =
    peer['namespaceSelector'] === undefined ? pod.namespace === policy.namespace : labelSelectorMatches(peer['namespaceSelector'], cluster.namespaceLabels.get(pod.namespace) ?? {});
  return inNamespace && (peer['podSelector'] === undefined || labelSelectorMatches(peer['podSelector'], pod.labels));
}

/** Whether a rule's ports admit port/protocol at the destination; a named port is looked up on its containers. */
function portsAdmit(ports: unknown, port: number, protocol: string, destination: ReferencePod): boolean {
  const entries = objectsOf(ports);
  if (entries.length === 0) return true;
  return entries.some((entry) => {
    if ((typeof entry['protocol'] === 'string' ? entry['protocol'] : 'TCP') !== protocol) return false;
    const value = entry['port'];
    if (value === undefined) return true;
    if (typeof value === 'number') {
      // endPort is inclusive: endPort equal to port is that one port.
      const end = typeof entry['endPort'] === 'number' ? entry['endPort'] : value;
      return value <= port && port <= end;
    }
    return destination.ports.some((p) => p.name === value && p.protocol === protocol && p.containerPort === port);
  });
}

function ruleAdmits(cluster: ReferenceCluster, policy: ReferencePolicy, rule: Json, peersKey: 'from' | 'to', other: ReferencePod, port: number, protocol: string, destination: ReferencePod): boolean {
  const peers = objectsOf(rule[peersKey]);
  const peerOk = peers.length === 0 || peers.some((peer) => peerAdmits(cluster, policy, peer, other));
  return peerOk && portsAdmit(rule['ports'], port, protocol, destination);
}

/** Whether source may open a connection to destination on port/protocol: egress of one and ingress of the other. */
export function referenceAllows(cluster: ReferenceCluster, source: ReferencePod, destination: ReferencePod, port: number, protocol: string): boolean {
  const egressPolicies = cluster.policies.filter((p) => p.affectsEgress && policySelects(p, source));
  const egressByNetworkPolicy = () =>
    egressPolicies.length === 0 ? undefined : egressPolicies.some((p) => p.egress.some((rule) => ruleAdmits(cluster, p, rule, 'to', destination, port, protocol, destination)));
  const ingressPolicies = cluster.policies.filter((p) => p.affectsIngress && policySelects(p, destination));
  const ingressByNetworkPolicy = () =>
    ingressPolicies.length === 0 ? undefined : ingressPolicies.some((p) => p.ingress.some((rule) => ruleAdmits(cluster, p, rule, 'from', source, port, protocol, destination)));
  const egressOk = throughTiers(cluster, source, 'egress', destination, port, protocol, destination, egressByNetworkPolicy);
  const ingressOk = throughTiers(cluster, destination, 'ingress', source, port, protocol, destination, ingressByNetworkPolicy);
  return egressOk && ingressOk;
}

/**
 * One direction through the tiers. `networkPolicy` is the NetworkPolicy verdict, undefined when none selects the pod
 * for this direction.
 */
function throughTiers(
  cluster: ReferenceCluster,
  subject: ReferencePod,
  direction: 'ingress' | 'egress',
  other: ReferencePod,
  port: number,
  protocol: string,
  destination: ReferencePod,
  networkPolicy: () => boolean | undefined,
): boolean {
  const tier = (name: 'Admin' | 'Baseline'): 'allow' | 'deny' | 'pass' | undefined => {
    const policies = cluster.clusterPolicies.filter((p) => p.tier === name && clusterPolicySelects(cluster, p, subject)).sort((a, b) => a.priority - b.priority);
    for (const policy of policies) {
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        if (!clusterRuleMatches(cluster, policy, rule, direction === 'ingress' ? 'from' : 'to', other, port, protocol, destination)) continue;
        const action = rule['action'];
        if (action === 'Pass') return 'pass';
        return action === 'Deny' ? 'deny' : 'allow';
      }
    }
    return undefined;
  };
  const admin = tier('Admin');
  if (admin === 'allow' || admin === 'deny') return admin === 'allow';
  const fromNetworkPolicy = networkPolicy();
  if (fromNetworkPolicy !== undefined) return fromNetworkPolicy;
  return tier('Baseline') !== 'deny';
}

/** subject.namespaces: every pod of the namespaces; subject.pods: namespaceSelector and podSelector. Never host-network pods. */
function clusterPolicySelects(cluster: ReferenceCluster, policy: ReferenceClusterPolicy, pod: ReferencePod): boolean {
  if (pod.hostNetwork) return false;
  return namespacedPodMatches(cluster, policy.subject, pod);
}

function namespacedPodMatches(cluster: ReferenceCluster, selectors: Json, pod: ReferencePod): boolean {
  const namespaceLabels = cluster.namespaceLabels.get(pod.namespace) ?? {};
  if (isObject(selectors['namespaces'])) return labelSelectorMatches(selectors['namespaces'], namespaceLabels);
  if (!isObject(selectors['pods'])) return false;
  const pods = selectors['pods'];
  return labelSelectorMatches(pods['namespaceSelector'], namespaceLabels) && labelSelectorMatches(pods['podSelector'], pod.labels);
}

function clusterRuleMatches(
  cluster: ReferenceCluster,
  policy: ReferenceClusterPolicy,
  rule: Json,
  peersKey: 'from' | 'to',
  other: ReferencePod,
  port: number,
  protocol: string,
  destination: ReferencePod,
): boolean {
  const peerOk = objectsOf(rule[peersKey]).some((peer) => {
    if (Array.isArray(peer['networks'])) {
      // Pod traffic is checked against networks too; any pod address is inside a /0.
      return peer['networks'].some((cidr) => (typeof cidr === 'string' && cidr.endsWith('/0') ? !other.hostNetwork || other.ip !== undefined : other.ip !== undefined && cidrContains(cidr, other.ip)));
    }
    return !other.hostNetwork && namespacedPodMatches(cluster, peer, other);
  });
  if (!peerOk) return false;
  const ports = policy.kind === 'ClusterNetworkPolicy' ? rule['protocols'] : rule['ports'];
  if (!Array.isArray(ports)) return true;
  return objectsOf(ports).some((entry) => clusterPortMatches(entry, port, protocol, destination));
}

/** v1alpha2 {tcp|udp|sctp: {destinationPort: {number} | {range}}} or {destinationNamedPort}; v1alpha1 {portNumber}, {portRange}, {namedPort}. */
function clusterPortMatches(entry: Json, port: number, protocol: string, destination: ReferencePod): boolean {
  const named = entry['destinationNamedPort'] ?? entry['namedPort'];
  if (typeof named === 'string') return destination.ports.some((p) => p.name === named && p.protocol === protocol && p.containerPort === port);
  for (const key of ['tcp', 'udp', 'sctp']) {
    if (!isObject(entry[key])) continue;
    if (key.toUpperCase() !== protocol) return false;
    const destinationPort = entry[key]['destinationPort'];
    if (!isObject(destinationPort)) return true;
    if (isObject(destinationPort['range'])) return Number(destinationPort['range']['start']) <= port && port <= Number(destinationPort['range']['end']);
    return destinationPort['number'] === port;
  }
  const written = isObject(entry['portNumber']) ? entry['portNumber'] : isObject(entry['portRange']) ? entry['portRange'] : undefined;
  if (written === undefined || (typeof written['protocol'] === 'string' ? written['protocol'] : 'TCP') !== protocol) return false;
  if (written === entry['portNumber']) return written['port'] === port;
  return Number(written['start']) <= port && port <= Number(written['end']);
}

/**
 * The matrix `netlens matrix --json --port P --protocol X` should print for a text of bare Pods: pods in document
 * order, row = source. A pod reaching itself is always allowed (the matrix's convention for a single pod).
 */
export function referenceMatrix(text: string, port: number, protocol: string): { pods: string[]; allowed: boolean[][] } {
  const cluster = readCluster(text);
  return {
    pods: cluster.pods.map((p) => p.id),
    allowed: cluster.pods.map((s, i) => cluster.pods.map((d, j) => i === j || referenceAllows(cluster, s, d, port, protocol))),
  };
}
