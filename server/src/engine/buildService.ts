/**
 * Service → ServiceModel.
 */
import type { Node } from 'yaml';
import { parseIP, type IPAddress } from './cidr.js';
import { makeSelector, type SelectorRequirement } from './labels.js';
import type { ServiceModel, ServicePort, ServiceType } from './model.js';
import { parsePortValue, parseProtocol } from './ports.js';
import { finding, type Finding } from './rules.js';
import type { ObjectHeader } from './buildWorkloads.js';
import { entry, get, integer, isNullNode, items, spanOf, stringMap, text, type NodeContext } from './yamlNodes.js';

const SERVICE_TYPES: readonly string[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function buildService(ctx: NodeContext, root: Node, header: ObjectHeader, findings: Finding[]): ServiceModel {
  const spec = get(ctx, root, 'spec');
  const typeNode = get(ctx, spec, 'type');
  const typeText = text(ctx, typeNode) ?? 'ClusterIP';
  let type: ServiceType = 'ClusterIP';
  if (SERVICE_TYPES.includes(typeText)) type = typeText as ServiceType;
  else findings.push(finding('object-invalid', spanOf(ctx, typeNode), `Unknown Service type "${typeText}": use ClusterIP, NodePort, LoadBalancer or ExternalName.`));

  const selectorEntry = entry(ctx, spec, 'selector');
  let selector;
  if (selectorEntry !== undefined && !isNullNode(ctx, selectorEntry.value)) {
    // A Service selector is a plain label map; an empty one selects nothing (no endpoints are made).
    const map = stringMap(ctx, selectorEntry.value);
    const reqs: SelectorRequirement[] = [...map].map(([key, value]) => ({ key, operator: 'In', values: [value] }));
    selector = map.size === 0 ? undefined : makeSelector(reqs, true, spanOf(ctx, selectorEntry.value));
  }

  const ports: ServicePort[] = [];
  for (const p of items(ctx, get(ctx, spec, 'ports'))) {
    const portNode = get(ctx, p, 'port');
    const port = integer(ctx, portNode);
    if (port === undefined || port < 1 || port > 65535) {
      findings.push(finding('port-invalid', spanOf(ctx, portNode ?? p), 'Service port must be a number from 1 to 65535.'));
      continue;
    }
    const protocol = parseProtocol(ctx, get(ctx, p, 'protocol'), findings);
    if (protocol === undefined) continue;
    const targetNode = get(ctx, p, 'targetPort');
    let targetPort: number | string = port;
    if (targetNode !== undefined && !isNullNode(ctx, targetNode)) {
      const parsed = parsePortValue(ctx, targetNode, findings, 'targetPort');
      if (parsed === undefined) continue;
      targetPort = parsed.kind === 'number' ? parsed.port : parsed.name;
    }
    ports.push({
      name: text(ctx, get(ctx, p, 'name')),
      port,
      targetPort,
      nodePort: integer(ctx, get(ctx, p, 'nodePort')),
      protocol,
      span: spanOf(ctx, p),
      targetPortSpan: spanOf(ctx, targetNode ?? portNode),
    });
  }

  const clusterIPs: IPAddress[] = [];
  let headless = false;
  const ipNodes = [get(ctx, spec, 'clusterIP'), ...items(ctx, get(ctx, spec, 'clusterIPs'))];
  const seen = new Set<string>();
  for (const n of ipNodes) {
    const t = text(ctx, n);
    if (t === undefined || t === '' || seen.has(t)) continue;
    seen.add(t);
    if (t === 'None') {
      headless = true;
      continue;
    }
    const ip = parseIP(t);
    if (ip.ok) clusterIPs.push(ip.value);
    else findings.push(finding('cidr-invalid', spanOf(ctx, n), ip.error));
  }

  return {
    id: `${header.namespace}/${header.name}`,
    namespace: header.namespace,
    name: header.name,
    type,
    selector,
    ports,
    clusterIPs,
    headless,
    ipFamilies: items(ctx, get(ctx, spec, 'ipFamilies')).flatMap((n) => text(ctx, n) ?? []),
    externalName: text(ctx, get(ctx, spec, 'externalName')),
    span: header.span,
    nameSpan: header.nameSpan,
  };
}
