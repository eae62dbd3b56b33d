/**
 * Random AdminNetworkPolicy and BaselineAdminNetworkPolicy objects
 * (policy.networking.k8s.io/v1alpha1) for a random Calico cluster
 * (randomCalicoCluster.ts): the same namespaces, labels and ports, so that
 * the cluster-wide tiers and Calico's ordered tiers meet on the same pods.
 * Priorities are distinct (the API leaves equal ones undefined); actions are
 * Allow, Deny and Pass (the baseline: Allow and Deny); peers are namespaces
 * or pods; ports are numbers, ranges and the named port "web", or absent.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { CALICO_PORT_LIMIT, randomCalicoCluster, renderCalicoCluster, type RandomCalicoCluster } from './randomCalicoCluster.js';

/** matchLabels as written; {} selects everything. */
export type MatchLabels = Readonly<Record<string, string>>;

export type AdminPeer = { readonly namespaces: MatchLabels } | { readonly pods: { readonly namespaces: MatchLabels; readonly pods: MatchLabels } };

export type AdminPort =
  | { readonly kind: 'number'; readonly protocol: 'TCP' | 'UDP'; readonly port: number }
  | { readonly kind: 'range'; readonly protocol: 'TCP' | 'UDP'; readonly start: number; readonly end: number }
  | { readonly kind: 'named'; readonly name: 'web' };

export interface AdminRule {
  readonly action: 'Allow' | 'Deny' | 'Pass';
  readonly peers: readonly AdminPeer[];
  /** Undefined: every port. */
  readonly ports: readonly AdminPort[] | undefined;
}

export type AdminSubject = { readonly namespaces: MatchLabels } | { readonly pods: { readonly namespaces: MatchLabels; readonly pods: MatchLabels } };

export interface AdminPolicy {
  readonly priority: number;
  readonly subject: AdminSubject;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
}

const namespaceLabels = fc.constantFrom<MatchLabels>({}, { env: 'a' }, { env: 'x' }, { 'kubernetes.io/metadata.name': 'y' });
const podLabels = fc.constantFrom<MatchLabels>({}, { app: 'a' }, { app: 'b' }, { tier: 'a' });
const pods = fc.record({ namespaces: namespaceLabels, pods: podLabels });
const peer: fc.Arbitrary<AdminPeer> = fc.oneof(fc.record({ namespaces: namespaceLabels }), fc.record({ pods }));
const protocol = fc.constantFrom('TCP' as const, 'UDP' as const);
const port: fc.Arbitrary<AdminPort> = fc.oneof(
  fc.record({ kind: fc.constant('number' as const), protocol, port: fc.integer({ min: 1, max: CALICO_PORT_LIMIT }) }),
  fc.integer({ min: 1, max: CALICO_PORT_LIMIT }).chain((start) =>
    fc.record({ kind: fc.constant('range' as const), protocol, start: fc.constant(start), end: fc.integer({ min: start, max: CALICO_PORT_LIMIT }) }),
  ),
  fc.constant({ kind: 'named' as const, name: 'web' as const }),
);

function rule(actions: ReadonlyArray<AdminRule['action']>): fc.Arbitrary<AdminRule> {
  return fc.record({
    action: fc.constantFrom(...actions),
    peers: fc.array(peer, { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(port, { minLength: 1, maxLength: 2 }), { freq: 3, nil: undefined }),
  });
}

function policy(actions: ReadonlyArray<AdminRule['action']>, priority: fc.Arbitrary<number>): fc.Arbitrary<AdminPolicy> {
  return fc.record({
    priority,
    subject: fc.oneof(fc.record({ namespaces: namespaceLabels }), fc.record({ pods })),
    // Ingress is where the Kubernetes NetworkPolicies and most Calico rules are: where the tiers meet.
    ingress: fc.array(rule(actions), { minLength: 1, maxLength: 2 }),
    egress: fc.array(rule(actions), { maxLength: 1 }),
  });
}

export const randomAdminPolicies = fc.record({
  admin: fc.uniqueArray(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 2 }).chain((priorities) => fc.tuple(...priorities.map((p) => policy(['Allow', 'Deny', 'Pass'], fc.constant(p))))),
  baseline: fc.option(policy(['Allow', 'Deny'], fc.constant(0)), { freq: 4, nil: undefined }),
});

export type RandomAdminPolicies = typeof randomAdminPolicies extends fc.Arbitrary<infer T> ? T : never;

/** A Calico cluster with cluster-wide policies beside it. */
export type RandomMixedCluster = RandomCalicoCluster & RandomAdminPolicies;

export const randomMixedCluster: fc.Arbitrary<RandomMixedCluster> = fc.tuple(randomCalicoCluster, randomAdminPolicies).map(([calico, admin]) => ({ ...calico, ...admin }));

const selectorOf = (labels: MatchLabels) => ({ matchLabels: labels });

function renderPeer(p: AdminPeer): unknown {
  return 'namespaces' in p ? { namespaces: selectorOf(p.namespaces) } : { pods: { namespaceSelector: selectorOf(p.pods.namespaces), podSelector: selectorOf(p.pods.pods) } };
}

function renderPort(p: AdminPort): unknown {
  switch (p.kind) {
    case 'number':
      return { portNumber: { protocol: p.protocol, port: p.port } };
    case 'range':
      return { portRange: { protocol: p.protocol, start: p.start, end: p.end } };
    case 'named':
      return { namedPort: p.name };
  }
}

function renderRules(rules: readonly AdminRule[], direction: 'ingress' | 'egress'): unknown[] {
  return rules.map((r, i) => ({
    name: `${direction}-${i}`,
    action: r.action,
    [direction === 'ingress' ? 'from' : 'to']: r.peers.map(renderPeer),
    ...(r.ports === undefined ? {} : { ports: r.ports.map(renderPort) }),
  }));
}

function renderSpec(p: AdminPolicy, withPriority: boolean): Record<string, unknown> {
  const subject = 'namespaces' in p.subject ? { namespaces: selectorOf(p.subject.namespaces) } : { pods: { namespaceSelector: selectorOf(p.subject.pods.namespaces), podSelector: selectorOf(p.subject.pods.pods) } };
  return {
    ...(withPriority ? { priority: p.priority } : {}),
    subject,
    ...(p.ingress.length > 0 ? { ingress: renderRules(p.ingress, 'ingress') } : {}),
    ...(p.egress.length > 0 ? { egress: renderRules(p.egress, 'egress') } : {}),
  };
}

/** The Calico cluster's YAML, then admin policies a0.. and the baseline policy "default". */
export function renderMixedCluster(c: RandomMixedCluster): string {
  const docs: unknown[] = c.admin.map((p, i) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `a${i}` }, spec: renderSpec(p, true) }));
  if (c.baseline !== undefined) docs.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: renderSpec(c.baseline, false) });
  return [renderCalicoCluster(c), ...docs.map((d) => stringify(d))].join('---\n');
}
