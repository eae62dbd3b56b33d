/**
 * Random small Cilium clusters as real YAML, for the Cilium property test:
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy with endpoint
 * selectors (plain and `k8s:` keys, the pod-namespace label), fromEndpoints
 * /toEndpoints, the entities cluster/all/world, toPorts with ANY, ranges and
 * port 0, the empty rule, ingressDeny/egressDeny, and enableDefaultDeny.
 * Pods have no addresses, so `world` (outside the cluster) reaches none.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export const CILIUM_NAMESPACES = ['x', 'y'] as const;
export const CILIUM_PORT_LIMIT = 5;
export const CILIUM_PROTOCOLS = ['TCP', 'UDP'] as const;
export const POD_NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';

/** matchLabels over app/tier, with or without the k8s: source prefix, and sometimes the pod-namespace label. */
export interface RandomEndpointSelector {
  readonly labels: Readonly<Record<string, string>>;
  readonly prefixed: boolean;
  readonly namespace: string | undefined;
  readonly notIn: string | undefined;
}

const endpointSelector: fc.Arbitrary<RandomEndpointSelector> = fc.record({
  labels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 }),
  prefixed: fc.boolean(),
  namespace: fc.option(fc.constantFrom(...CILIUM_NAMESPACES), { freq: 3, nil: undefined }),
  notIn: fc.option(fc.constantFrom('a', 'b'), { freq: 4, nil: undefined }),
});

export interface RandomCiliumPort {
  readonly port: number;
  readonly endPort: number | undefined;
  readonly protocol: 'TCP' | 'UDP' | 'ANY' | undefined;
}

const ciliumPort: fc.Arbitrary<RandomCiliumPort> = fc
  .record({
    port: fc.integer({ min: 0, max: CILIUM_PORT_LIMIT }),
    span: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    protocol: fc.constantFrom(undefined, 'TCP' as const, 'UDP' as const, 'ANY' as const),
  })
  .map(({ port, span, protocol }) => ({ port, endPort: port === 0 || span === undefined ? undefined : Math.min(CILIUM_PORT_LIMIT, port + span), protocol }));

export interface RandomCiliumRule {
  readonly endpoints: readonly RandomEndpointSelector[] | undefined;
  readonly entities: ReadonlyArray<'cluster' | 'all' | 'world'> | undefined;
  /** Undefined: no toPorts. An empty list: one toPorts entry without ports (every port). */
  readonly ports: readonly RandomCiliumPort[] | undefined;
}

const endpoints = fc.array(endpointSelector, { minLength: 1, maxLength: 2 });
const entities = fc.uniqueArray(fc.constantFrom('cluster' as const, 'all' as const, 'world' as const), { minLength: 1, maxLength: 2 });
const ports = fc.array(ciliumPort, { maxLength: 2 });
/** Each shape a rule can have: L3 only, L4 only (every peer), both, and the empty rule (nothing). */
const ciliumRule: fc.Arbitrary<RandomCiliumRule> = fc.oneof(
  { arbitrary: fc.record({ endpoints, entities: fc.constant(undefined), ports: fc.constant(undefined) }), weight: 3 },
  { arbitrary: fc.record({ endpoints, entities: fc.constant(undefined), ports }), weight: 3 },
  { arbitrary: fc.record({ endpoints: fc.constant(undefined), entities: fc.constant(undefined), ports }), weight: 2 },
  { arbitrary: fc.record({ endpoints: fc.option(endpoints, { nil: undefined }), entities, ports: fc.option(ports, { nil: undefined }) }), weight: 1 },
  { arbitrary: fc.constant({ endpoints: undefined, entities: undefined, ports: undefined }), weight: 1 },
);

const section = fc.option(fc.array(ciliumRule, { maxLength: 2 }), { nil: undefined });

export interface RandomCiliumPolicy {
  readonly clusterwide: boolean;
  readonly namespace: (typeof CILIUM_NAMESPACES)[number];
  readonly selector: RandomEndpointSelector;
  readonly ingress: readonly RandomCiliumRule[] | undefined;
  readonly ingressDeny: readonly RandomCiliumRule[] | undefined;
  readonly egress: readonly RandomCiliumRule[] | undefined;
  readonly egressDeny: readonly RandomCiliumRule[] | undefined;
  readonly defaultDeny: { readonly ingress?: boolean; readonly egress?: boolean } | undefined;
}

const ciliumPolicy: fc.Arbitrary<RandomCiliumPolicy> = fc.record({
  clusterwide: fc.boolean(),
  namespace: fc.constantFrom(...CILIUM_NAMESPACES),
  selector: endpointSelector,
  ingress: section,
  ingressDeny: fc.option(fc.array(ciliumRule, { minLength: 1, maxLength: 1 }), { freq: 3, nil: undefined }),
  egress: section,
  egressDeny: fc.option(fc.array(ciliumRule, { minLength: 1, maxLength: 1 }), { freq: 4, nil: undefined }),
  // Only false, the documented use: rules that add to other policies without isolating.
  defaultDeny: fc.option(fc.record({ ingress: fc.constant(false), egress: fc.constant(false) }, { requiredKeys: [] }), { freq: 3, nil: undefined }),
});

const ciliumPod = fc.record({
  namespace: fc.constantFrom(...CILIUM_NAMESPACES),
  labels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 }),
});

export const randomCiliumCluster = fc.record({
  pods: fc.array(ciliumPod, { minLength: 1, maxLength: 5 }),
  policies: fc.array(ciliumPolicy, { minLength: 1, maxLength: 3 }),
});

export type RandomCiliumCluster = typeof randomCiliumCluster extends fc.Arbitrary<infer T> ? T : never;

function renderSelector(s: RandomEndpointSelector): Record<string, unknown> {
  const key = (k: string) => (s.prefixed ? `k8s:${k}` : k);
  const matchLabels: Record<string, string> = Object.fromEntries(Object.entries(s.labels).map(([k, v]) => [key(k), v]));
  if (s.namespace !== undefined) matchLabels[POD_NAMESPACE_LABEL] = s.namespace;
  const out: Record<string, unknown> = { matchLabels };
  if (s.notIn !== undefined) out['matchExpressions'] = [{ key: key('tier'), operator: 'NotIn', values: [s.notIn] }];
  return out;
}

function renderRule(r: RandomCiliumRule, direction: 'ingress' | 'egress'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.endpoints !== undefined) out[direction === 'ingress' ? 'fromEndpoints' : 'toEndpoints'] = r.endpoints.map(renderSelector);
  if (r.entities !== undefined) out[direction === 'ingress' ? 'fromEntities' : 'toEntities'] = r.entities;
  if (r.ports !== undefined) {
    const ports = r.ports.map((p) => ({ port: String(p.port), ...(p.protocol === undefined ? {} : { protocol: p.protocol }), ...(p.endPort === undefined ? {} : { endPort: p.endPort }) }));
    out['toPorts'] = [ports.length === 0 ? {} : { ports }];
  }
  return out;
}

/** Namespaces, Pods p0.., then the policies cp0.., as one YAML text. */
export function renderCiliumCluster(c: RandomCiliumCluster): string {
  const docs: unknown[] = CILIUM_NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  c.pods.forEach((p, i) =>
    docs.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: p.namespace, labels: p.labels }, spec: { containers: [{ name: 'c', image: 'i' }] } }),
  );
  c.policies.forEach((p, i) => {
    const spec: Record<string, unknown> = { endpointSelector: renderSelector(p.selector) };
    for (const [key, rules] of [['ingress', p.ingress], ['ingressDeny', p.ingressDeny], ['egress', p.egress], ['egressDeny', p.egressDeny]] as const) {
      if (rules !== undefined) spec[key] = rules.map((r) => renderRule(r, key.startsWith('ingress') ? 'ingress' : 'egress'));
    }
    if (p.defaultDeny !== undefined) spec['enableDefaultDeny'] = p.defaultDeny;
    const metadata = p.clusterwide ? { name: `cp${i}` } : { name: `cp${i}`, namespace: p.namespace };
    docs.push({ apiVersion: 'cilium.io/v2', kind: p.clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy', metadata, spec });
  });
  return docs.map((d) => stringify(d)).join('---\n');
}
