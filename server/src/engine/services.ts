/**
 * Service endpoints and targetPort resolution, as the EndpointSlice controller
 * does it: pods of the Service's namespace matching its selector, with each
 * port's targetPort resolved per pod (a named targetPort may differ by pod).
 */
import { selectorMatches, type Selector } from './labels.js';
import type { PodGroup, ServiceModel, ServicePort } from './model.js';
import { resolveNamedPort } from './ports.js';

export interface EndpointPort {
  readonly servicePort: ServicePort;
  /** Undefined when a named targetPort is not declared by this pod. */
  readonly containerPort: number | undefined;
}

export interface ServiceEndpoint {
  readonly group: PodGroup;
  readonly ports: readonly EndpointPort[];
}

/**
 * Pod groups by namespace and by namespace + label pair, built once per
 * workspace's list: a Service only looks at pods of its namespace that carry
 * one of its matchLabels, instead of at every pod.
 */
const indexCache = new WeakMap<readonly PodGroup[], Map<string, PodGroup[]>>();

function candidates(podGroups: readonly PodGroup[], namespace: string, selector: Selector): readonly PodGroup[] {
  let index = indexCache.get(podGroups);
  if (index === undefined) {
    index = new Map();
    const add = (key: string, g: PodGroup) => {
      const list = index!.get(key);
      if (list === undefined) index!.set(key, [g]);
      else list.push(g);
    };
    for (const g of podGroups) {
      add(g.namespace, g);
      for (const [k, v] of g.labels) add(`${g.namespace}\u0000${k}\u0000${v}`, g);
    }
    indexCache.set(podGroups, index);
  }
  const pinned = selector.requirements.find((r) => r.operator === 'In' && r.values.length === 1);
  return index.get(pinned ? `${namespace}\u0000${pinned.key}\u0000${pinned.values[0]}` : namespace) ?? [];
}

/**
 * Endpoints per pod list and Service. An incremental analysis hands on the
 * same pod list while no workload changed, so an unchanged Service's
 * endpoints are found once, not on every keystroke (checks, lenses, hovers).
 */
const endpointCache = new WeakMap<readonly PodGroup[], WeakMap<ServiceModel, ServiceEndpoint[]>>();

export function serviceEndpoints(service: ServiceModel, podGroups: readonly PodGroup[]): readonly ServiceEndpoint[] {
  if (service.type === 'ExternalName' || service.selector === undefined) return [];
  let perService = endpointCache.get(podGroups);
  if (perService === undefined) endpointCache.set(podGroups, (perService = new WeakMap()));
  let endpoints = perService.get(service);
  if (endpoints === undefined) {
    const selector = service.selector;
    endpoints = candidates(podGroups, service.namespace, selector)
      .filter((g) => selectorMatches(selector, g.labels))
      .map((group) => ({ group, ports: service.ports.map((sp) => ({ servicePort: sp, containerPort: resolveTargetPort(sp, group) })) }));
    perService.set(service, endpoints);
  }
  return endpoints;
}

export function resolveTargetPort(servicePort: ServicePort, group: PodGroup): number | undefined {
  if (typeof servicePort.targetPort === 'number') return servicePort.targetPort;
  return resolveNamedPort(group.ports, servicePort.targetPort, servicePort.protocol)?.port;
}

export function serviceDnsName(service: ServiceModel, clusterDomain = 'cluster.local'): string {
  return `${service.name}.${service.namespace}.svc.${clusterDomain}`;
}
