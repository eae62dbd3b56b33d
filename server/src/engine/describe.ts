/**
 * Policies in plain English, for hovers, the graph and the CLI:
 * "Pods app=db in prod accept TCP 5432 only from pods app=api in namespaces team=payments."
 */
import { describeSelector, isEmptySelector } from './labels.js';
import type { PeerMatcher, PolicyModel, PolicyRule, PortMatcher } from './model.js';

function describePods(policy: PolicyModel): string {
  return isEmptySelector(policy.podSelector) ? `All pods in ${policy.namespace}` : `Pods ${describeSelector(policy.podSelector)} in ${policy.namespace}`;
}

export function describePeer(policy: PolicyModel, peer: PeerMatcher): string {
  switch (peer.kind) {
    case 'invalid':
      return 'nothing (an invalid peer)';
    case 'ipBlock':
      return `addresses ${peer.cidr.toString()}${peer.except.length > 0 ? ` except ${peer.except.map((e) => e.toString()).join(', ')}` : ''}`;
    case 'pods': {
      const pods = peer.podSelector === undefined || isEmptySelector(peer.podSelector) ? 'all pods' : `pods ${describeSelector(peer.podSelector)}`;
      if (peer.namespaceSelector === undefined) return `${pods} in ${policy.namespace}`;
      if (isEmptySelector(peer.namespaceSelector)) return `${pods} in all namespaces`;
      return `${pods} in namespaces ${describeSelector(peer.namespaceSelector)}`;
    }
  }
}

export function describePort(m: PortMatcher): string {
  switch (m.kind) {
    case 'invalid':
      return 'no port (invalid)';
    case 'all':
      return `any ${m.protocol} port`;
    case 'range':
      return m.from === m.to ? `${m.protocol} ${m.from}` : `${m.protocol} ${m.from}-${m.to}`;
    case 'named':
      return `${m.protocol} port "${m.name}"`;
  }
}

/** A rule's ports and peers: "TCP 80 from pods app=web in shop". */
export function describeRule(policy: PolicyModel, rule: PolicyRule, only = false): string {
  const ports = rule.ports === undefined ? 'any traffic' : rule.ports.map(describePort).join(' or ');
  const dir = rule.direction === 'ingress' ? 'from' : 'to';
  const peers = rule.peers === undefined ? 'anywhere' : rule.peers.map((p) => describePeer(policy, p)).join(' or ');
  return `${ports} ${only ? `only ${dir}` : dir} ${peers}`;
}

function describeDirection(policy: PolicyModel, direction: 'ingress' | 'egress'): string {
  const rules = direction === 'ingress' ? policy.ingress : policy.egress;
  const verb = direction === 'ingress' ? 'accept' : 'send';
  if (rules.length === 0) return `${verb} no ${direction === 'ingress' ? 'incoming' : 'outgoing'} traffic`;
  if (rules.length === 1) return `${verb} ${describeRule(policy, rules[0]!, true)}`;
  return `${verb} only: ${rules.map((r) => describeRule(policy, r, false)).join('; ')}`;
}

/** One or two sentences: what the selected pods accept and what they may send. */
export function describePolicy(policy: PolicyModel): string {
  const parts: string[] = [];
  if (policy.affectsIngress) parts.push(describeDirection(policy, 'ingress'));
  if (policy.affectsEgress) parts.push(describeDirection(policy, 'egress'));
  if (parts.length === 0) return `${describePods(policy)}: this policy affects no traffic.`;
  return `${describePods(policy)} ${parts.join(', and ')}.`;
}
