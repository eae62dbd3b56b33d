/**
 * Random small Calico clusters as real YAML, for the Calico property test.
 * Selectors are generated as trees and written out as Calico selector text
 * (quotes and spacing varied), so the reference (referenceCalico.ts) reads
 * the tree and never the engine's parser. The generator aims at what
 * ordering can get wrong: policies of two tiers (one with defaultAction
 * Pass), orders before, after and absent around a Kubernetes NetworkPolicy's
 * 1000, Allow/Deny/Pass/Log, types written or defaulted, != and not in on
 * labels some pods lack, namespace and service account selectors, nets and
 * notNets, ports, ranges, named ports and notPorts.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export const NAMESPACES = ['x', 'y'] as const;
export const CALICO_PROTOCOLS = ['TCP', 'UDP'] as const;
export const CALICO_PORT_LIMIT = 6;
const ACCOUNTS = ['default', 'finance'] as const;

export type SelectorTree =
  | { readonly op: 'all' }
  | { readonly op: '==' | '!='; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'not in'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'has'; readonly key: string }
  | { readonly op: '!'; readonly operand: SelectorTree }
  | { readonly op: '&&' | '||'; readonly left: SelectorTree; readonly right: SelectorTree };

function selectorTree(keys: readonly string[], values: readonly string[]): fc.Arbitrary<SelectorTree> {
  const key = fc.constantFrom(...keys);
  const value = fc.constantFrom(...values);
  const leaf: fc.Arbitrary<SelectorTree> = fc.oneof(
    fc.constant({ op: 'all' as const }),
    fc.record({ op: fc.constantFrom('==' as const, '!=' as const), key, value }),
    fc.record({ op: fc.constantFrom('in' as const, 'not in' as const), key, values: fc.uniqueArray(value, { minLength: 1, maxLength: 2 }) }),
    fc.record({ op: fc.constant('has' as const), key }),
  );
  return fc.letrec<{ tree: SelectorTree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ op: fc.constant('!' as const), operand: tie('tree') }),
      fc.record({ op: fc.constantFrom('&&' as const, '||' as const), left: tie('tree'), right: tie('tree') }),
    ),
  })).tree;
}

const podSelector = selectorTree(['app', 'tier', 'projectcalico.org/namespace'], ['a', 'b', 'x']);
const namespaceSelector = selectorTree(['env', 'projectcalico.org/name'], ['a', 'x', 'y']);
const accountSelector = selectorTree(['team'], ['finance', 'ops']);

/** Selector text as a person writes it: either quote, spaced or not; binary operators parenthesised. */
export function renderSelector(t: SelectorTree, style: number): string {
  const q = (v: string) => (style % 2 === 0 ? `'${v}'` : `"${v}"`);
  const sp = style % 3 === 0 ? '' : ' ';
  switch (t.op) {
    case 'all':
      return 'all()';
    case 'has':
      return `has(${t.key})`;
    case '==':
    case '!=':
      return `${t.key}${sp}${t.op}${sp}${q(t.value)}`;
    case 'in':
    case 'not in':
      return `${t.key} ${t.op} {${t.values.map(q).join(`,${sp}`)}}`;
    case '!':
      return `!(${renderSelector(t.operand, style)})`;
    default:
      return `(${renderSelector(t.left, style)})${sp}${t.op}${sp}(${renderSelector(t.right, style)})`;
  }
}

const protocolChoice = fc.constantFrom<string | undefined>(undefined, 'TCP', 'UDP');
const portValue = fc.oneof(
  fc.integer({ min: 1, max: CALICO_PORT_LIMIT }),
  fc.integer({ min: 1, max: CALICO_PORT_LIMIT }).chain((a) => fc.integer({ min: a, max: CALICO_PORT_LIMIT }).map((b) => `${a}:${b}`)),
  fc.constant('web'),
);
const numericPort = fc.oneof(
  fc.integer({ min: 1, max: CALICO_PORT_LIMIT }),
  fc.integer({ min: 1, max: CALICO_PORT_LIMIT }).chain((a) => fc.integer({ min: a, max: CALICO_PORT_LIMIT }).map((b) => `${a}:${b}`)),
);

export interface RandomPeer {
  readonly selector?: SelectorTree;
  readonly notSelector?: SelectorTree;
  readonly namespaceSelector?: SelectorTree;
  readonly accounts?: readonly string[];
  readonly nets?: readonly string[];
  readonly notNets?: readonly string[];
}

const nets = fc.uniqueArray(fc.constantFrom('10.0.0.0/30', '10.0.0.4/31', '10.0.0.6/32', '0.0.0.0/0'), { minLength: 1, maxLength: 2 });
const peer: fc.Arbitrary<RandomPeer> = fc.oneof(
  fc.record(
    { selector: podSelector, notSelector: podSelector, namespaceSelector, accounts: fc.uniqueArray(fc.constantFrom(...ACCOUNTS), { minLength: 1, maxLength: 2 }) },
    { requiredKeys: [] },
  ),
  fc.record({ nets, notNets: fc.constantFrom(['10.0.0.1/32'], ['10.0.0.4/30']) }, { requiredKeys: ['nets'] }),
  fc.record({ notNets: nets }),
);

export interface RandomRule {
  readonly action: 'Allow' | 'Deny' | 'Pass' | 'Log';
  readonly protocol: string | undefined;
  readonly notProtocol: string | undefined;
  readonly peer: RandomPeer | undefined;
  readonly ports: ReadonlyArray<number | string>;
  readonly notPorts: ReadonlyArray<number | string>;
}

const rule: fc.Arbitrary<RandomRule> = fc
  .record({
    action: fc.constantFrom('Allow' as const, 'Deny' as const, 'Pass' as const, 'Log' as const),
    protocol: protocolChoice,
    notProtocol: fc.constantFrom<string | undefined>(undefined, undefined, 'UDP'),
    peer: fc.option(peer, { nil: undefined }),
    ports: fc.array(portValue, { maxLength: 2 }),
    notPorts: fc.array(numericPort, { maxLength: 1 }),
  })
  // Calico accepts ports only with a port protocol.
  .map((r) => (r.protocol === undefined ? { ...r, ports: [], notPorts: [] } : r));

export interface RandomCalicoPolicy {
  readonly global: boolean;
  readonly namespace: (typeof NAMESPACES)[number];
  readonly tier: 'default' | 'security' | 'late';
  readonly order: number | undefined;
  readonly selector: SelectorTree | undefined;
  readonly namespaceSelector: SelectorTree | undefined;
  readonly accountSelector: SelectorTree | undefined;
  readonly types: ReadonlyArray<'Ingress' | 'Egress'> | undefined;
  readonly ingress: readonly RandomRule[];
  readonly egress: readonly RandomRule[];
}

const calicoPolicy: fc.Arbitrary<RandomCalicoPolicy> = fc.record({
  global: fc.boolean(),
  namespace: fc.constantFrom(...NAMESPACES),
  tier: fc.constantFrom('default' as const, 'default' as const, 'default' as const, 'security' as const, 'late' as const),
  // Around a NetworkPolicy's 1000; never equal to it, so no tie needs breaking.
  order: fc.constantFrom(undefined, 500, 1500, 2500),
  // Often absent, so that policies meet on the same pods.
  selector: fc.option(podSelector, { freq: 2, nil: undefined }),
  namespaceSelector: fc.option(namespaceSelector, { freq: 2, nil: undefined }),
  accountSelector: fc.option(accountSelector, { freq: 4, nil: undefined }),
  types: fc.constantFrom(undefined, ['Ingress' as const], ['Egress' as const], ['Ingress' as const, 'Egress' as const]),
  ingress: fc.array(rule, { maxLength: 3 }),
  egress: fc.array(rule, { maxLength: 2 }),
});

export interface RandomKubernetesPolicy {
  readonly namespace: (typeof NAMESPACES)[number];
  readonly app: string | undefined;
  readonly from: string | undefined;
  readonly port: number | undefined;
}

const kubernetesPolicy: fc.Arbitrary<RandomKubernetesPolicy> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.option(fc.constantFrom('a', 'b'), { freq: 2, nil: undefined }),
  from: fc.option(fc.constantFrom('a', 'b'), { freq: 2, nil: undefined }),
  port: fc.option(fc.integer({ min: 1, max: CALICO_PORT_LIMIT }), { nil: undefined }),
});

const pod = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 }),
  account: fc.constantFrom(...ACCOUNTS),
  port: fc.record({ containerPort: fc.integer({ min: 1, max: CALICO_PORT_LIMIT }), protocol: fc.constantFrom(...CALICO_PROTOCOLS), named: fc.boolean() }),
  ip: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
});

/**
 * A Deny on every pod of the default tier, just before or after the
 * NetworkPolicies' 1000: where they meet, only the order decides.
 */
const guard = fc.record({ order: fc.constantFrom(999, 1001), from: podSelector, port: fc.integer({ min: 1, max: CALICO_PORT_LIMIT }) });

export const randomCalicoCluster = fc.record({
  guard: fc.option(guard, { freq: 5, nil: undefined }),
  namespaceEnv: fc.tuple(fc.constantFrom('a', 'x'), fc.constantFrom('a', 'y')),
  securityDefault: fc.constantFrom('Deny', 'Pass'),
  pods: fc.array(pod, { minLength: 1, maxLength: 5 }),
  policies: fc.array(calicoPolicy, { maxLength: 3 }),
  kubernetes: fc.array(kubernetesPolicy, { minLength: 1, maxLength: 2 }),
  style: fc.integer({ min: 0, max: 5 }),
});

export type RandomCalicoCluster = typeof randomCalicoCluster extends fc.Arbitrary<infer T> ? T : never;

function renderRule(r: RandomRule, direction: 'ingress' | 'egress', style: number): Record<string, unknown> {
  const out: Record<string, unknown> = { action: r.action };
  if (r.protocol !== undefined) out['protocol'] = r.protocol;
  if (r.notProtocol !== undefined) out['notProtocol'] = r.notProtocol;
  const peerSide: Record<string, unknown> = {};
  const p = r.peer;
  if (p?.selector) peerSide['selector'] = renderSelector(p.selector, style);
  if (p?.notSelector) peerSide['notSelector'] = renderSelector(p.notSelector, style);
  if (p?.namespaceSelector) peerSide['namespaceSelector'] = renderSelector(p.namespaceSelector, style);
  if (p?.accounts) peerSide['serviceAccounts'] = { names: p.accounts };
  if (p?.nets) peerSide['nets'] = p.nets;
  if (p?.notNets) peerSide['notNets'] = p.notNets;
  const destination: Record<string, unknown> = direction === 'egress' ? peerSide : {};
  if (r.ports.length > 0) destination['ports'] = r.ports;
  if (r.notPorts.length > 0) destination['notPorts'] = r.notPorts;
  if (direction === 'ingress' && Object.keys(peerSide).length > 0) out['source'] = peerSide;
  if (Object.keys(destination).length > 0) out['destination'] = destination;
  return out;
}

/** Namespaces, ServiceAccounts, Tiers, Pods p0.., Calico policies c0.., Kubernetes NetworkPolicies k0.., as one YAML text. */
export function renderCalicoCluster(c: RandomCalicoCluster): string {
  const docs: unknown[] = [];
  NAMESPACES.forEach((name, i) => docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { env: c.namespaceEnv[i] } } }));
  for (const ns of NAMESPACES) docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'finance', namespace: ns, labels: { team: 'finance' } } });
  docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: c.securityDefault } });
  docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'late' }, spec: {} });
  c.pods.forEach((p, i) => {
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: p.namespace, labels: p.labels },
      spec: {
        ...(p.account === 'default' ? {} : { serviceAccountName: p.account }),
        containers: [{ name: 'c', image: 'i', ports: [{ containerPort: p.port.containerPort, protocol: p.port.protocol, ...(p.port.named ? { name: 'web' } : {}) }] }],
      },
      ...(p.ip === undefined ? {} : { status: { podIP: `10.0.0.${p.ip}` } }),
    });
  });
  c.policies.forEach((p, i) => {
    const spec: Record<string, unknown> = {};
    if (p.tier !== 'default') spec['tier'] = p.tier;
    if (p.order !== undefined) spec['order'] = p.order;
    if (p.selector) spec['selector'] = renderSelector(p.selector, c.style);
    if (p.global && p.namespaceSelector) spec['namespaceSelector'] = renderSelector(p.namespaceSelector, c.style);
    if (p.accountSelector) spec['serviceAccountSelector'] = renderSelector(p.accountSelector, c.style);
    if (p.types) spec['types'] = p.types;
    if (p.ingress.length > 0) spec['ingress'] = p.ingress.map((r) => renderRule(r, 'ingress', c.style));
    if (p.egress.length > 0) spec['egress'] = p.egress.map((r) => renderRule(r, 'egress', c.style));
    const name = p.tier === 'default' ? `c${i}` : `${p.tier}.c${i}`;
    const apiVersion = i % 2 === 0 ? 'projectcalico.org/v3' : 'crd.projectcalico.org/v1';
    docs.push({ apiVersion, kind: p.global ? 'GlobalNetworkPolicy' : 'NetworkPolicy', metadata: p.global ? { name } : { name, namespace: p.namespace }, spec });
  });
  if (c.guard !== undefined) {
    const rule = { action: 'Deny', protocol: 'TCP', source: { selector: renderSelector(c.guard.from, c.style) }, destination: { ports: [c.guard.port] } };
    docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'guard' }, spec: { order: c.guard.order, ingress: [rule] } });
  }
  c.kubernetes.forEach((k, i) => {
    const spec: Record<string, unknown> = { podSelector: k.app === undefined ? {} : { matchLabels: { app: k.app } }, policyTypes: ['Ingress'] };
    const ingressRule: Record<string, unknown> = {};
    if (k.from !== undefined) ingressRule['from'] = [{ podSelector: { matchLabels: { app: k.from } } }];
    if (k.port !== undefined) ingressRule['ports'] = [{ protocol: 'TCP', port: k.port }];
    spec['ingress'] = [ingressRule];
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `k${i}`, namespace: k.namespace }, spec });
  });
  return docs.map((d) => stringify(d)).join('---\n');
}
