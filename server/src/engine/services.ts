/**
 * Service endpoints and targetPort resolution, as the EndpointSlice controller
 * does it: pods of the Service's namespace matching its selector, with each
 * port's targetPort resolved per pod (a named targetPort may differ by pod).
 */
import { selectorMatches } from './labels.js';
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

export function serviceEndpoints(service: ServiceModel, podGroups: readonly PodGroup[]): ServiceEndpoint[] {
  if (service.type === 'ExternalName' || service.selector === undefined) return [];
  const selector = service.selector;
  return podGroups
    .filter((g) => g.namespace === service.namespace && selectorMatches(selector, g.labels))
    .map((group) => ({ group, ports: service.ports.map((sp) => ({ servicePort: sp, containerPort: resolveTargetPort(sp, group) })) }));
}

export function resolveTargetPort(servicePort: ServicePort, group: PodGroup): number | undefined {
  if (typeof servicePort.targetPort === 'number') return servicePort.targetPort;
  return resolveNamedPort(group.ports, servicePort.targetPort, servicePort.protocol)?.port;
}

export function serviceDnsName(service: ServiceModel, clusterDomain = 'cluster.local'): string {
  return `${service.name}.${service.namespace}.svc.${clusterDomain}`;
}
