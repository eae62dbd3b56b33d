/**
 * The upstream NetworkPolicy semantics, one pod (or address) at a time. This is
 * the obviously-correct reading of the spec: `explain` uses it to say why, and
 * tests compare the fast bitset evaluator in reachability.ts against it.
 */
import type { IPAddress } from './cidr.js';
import { podSelectorMatches, type EndpointContext } from './calicoLabels.js';
import { selectorMatches, type Labels } from './labels.js';
import type { PeerMatcher, PodGroup, PolicyModel, PolicyRule, PortMatcher, Protocol } from './model.js';
import { resolveNamedPort } from './ports.js';

/** One end of a connection: a pod of a group, or an address outside the workspace's pods. */
export type Endpoint = { readonly kind: 'pod'; readonly group: PodGroup } | { readonly kind: 'external'; readonly ip: IPAddress };

export type NamespaceLabels = (namespace: string) => Labels;

/** ServiceAccount labels by "namespace/name" (WorkspaceModel.serviceAccounts). */
export type ServiceAccountLabels = ReadonlyMap<string, Labels>;

const NO_ACCOUNTS: ServiceAccountLabels = new Map();

/** What a selector reading Calico's endpoint labels sees: the namespace's and the service account's labels. */
function endpointContext(namespaceLabels: NamespaceLabels, accounts: ServiceAccountLabels): EndpointContext {
  return { namespaceLabels, serviceAccountLabels: (namespace, name) => accounts.get(`${namespace}/${name}`) };
}

/**
 * Policies apply to pods in the pod network; host-network pods are the node's
 * traffic. A cluster-wide policy picks pods in the namespaces its
 * targetNamespaces selects.
 */
export function policySelects(policy: PolicyModel, group: PodGroup, namespaceLabels: NamespaceLabels, accounts: ServiceAccountLabels = NO_ACCOUNTS): boolean {
  if (group.hostNetwork || !podSelectorMatches(policy.podSelector, group, endpointContext(namespaceLabels, accounts))) return false;
  return policy.targetNamespaces === undefined ? group.namespace === policy.namespace : selectorMatches(policy.targetNamespaces, namespaceLabels(group.namespace));
}

export function peerMatches(policy: PolicyModel, peer: PeerMatcher, endpoint: Endpoint, namespaceLabels: NamespaceLabels, accounts: ServiceAccountLabels = NO_ACCOUNTS): boolean {
  switch (peer.kind) {
    case 'invalid':
    case 'external':
      return false;
    case 'ipBlock': {
      const ips = endpoint.kind === 'pod' ? endpoint.group.ips : [endpoint.ip];
      return ips.some((ip) => ip.family === peer.addresses.family && peer.addresses.contains(ip));
    }
    case 'pods': {
      if (endpoint.kind !== 'pod' || endpoint.group.hostNetwork) return false;
      const g = endpoint.group;
      const inNamespace =
        peer.namespaceSelector === undefined ? g.namespace === policy.namespace : selectorMatches(peer.namespaceSelector, namespaceLabels(g.namespace));
      return inNamespace && (peer.podSelector === undefined || podSelectorMatches(peer.podSelector, g, endpointContext(namespaceLabels, accounts)));
    }
  }
}

/** Named ports are looked up on the destination pod, for ingress and egress alike. */
export function portMatches(matcher: PortMatcher, port: number, protocol: Protocol, destination: Endpoint): boolean {
  switch (matcher.kind) {
    case 'invalid':
      return false;
    case 'all':
      return matcher.protocol === protocol;
    case 'range':
      return matcher.protocol === protocol && matcher.from <= port && port <= matcher.to;
    case 'named':
      return (
        matcher.protocol === protocol && destination.kind === 'pod' && resolveNamedPort(destination.group.ports, matcher.name, protocol)?.port === port
      );
  }
}

export function ruleAllows(
  policy: PolicyModel,
  rule: PolicyRule,
  peer: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: Protocol,
  namespaceLabels: NamespaceLabels,
  accounts: ServiceAccountLabels = NO_ACCOUNTS,
): boolean {
  const peerOk = rule.peers === undefined || rule.peers.some((p) => peerMatches(policy, p, peer, namespaceLabels, accounts));
  const portOk = rule.ports === undefined || rule.ports.some((m) => portMatches(m, port, protocol, destination));
  return peerOk && portOk;
}
