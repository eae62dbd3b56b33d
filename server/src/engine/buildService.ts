/**
 * Service → ServiceModel.
 */
import type { Node } from 'yaml';
import { parseIP, type IPAddress } from './cidr.js';
import { makeSelector, type SelectorRequirement } from './labels.js';
import type { ServiceModel, ServicePort, ServiceType } from './model.js';
import { parsePortValue, parseProtocol } from './ports.js';
import { addFirstEntryEdit, fix } from './fixes.js';
import { finding, type Finding } from './rules.js';
import type { ObjectHeader } from './buildWorkloads.js';
import type { SourceSpan } from './source.js';
import { entries, entry, get, integer, isNullNode, items, spanOf, stringMap, text, type NodeContext } from './yamlNodes.js';

const SERVICE_TYPES: readonly string[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function buildService(ctx: NodeContext, root: Node, header: ObjectHeader, findings: Finding[]): ServiceModel {
  const spec = get(ctx, root, 'spec');
  const typeNode = get(ctx, spec, 'type');
  const typeText = text(ctx, typeNode) ?? 'ClusterIP';
  let type: ServiceType = 'ClusterIP';
  if (SERVICE_TYPES.includes(typeText)) type = typeText as ServiceType;
  else findings.push(finding('object-invalid', spanOf(ctx, typeNode), { says: `Unknown Service type "${typeText}".`, next: 'Use ClusterIP, NodePort, LoadBalancer or ExternalName.' }));

  const selectorEntry = entry(ctx, spec, 'selector');
  let selector;
  if (selectorEntry !== undefined && !isNullNode(ctx, selectorEntry.value)) {
    // A Service selector is a plain label map; an empty one selects nothing (no endpoints are made).
    const map = stringMap(ctx, selectorEntry.value);
    const nodes = new Map(entries(ctx, selectorEntry.value).map((e) => [e.key, e]));
    const reqs: SelectorRequirement[] = [...map].map(([key, value]) => {
      const e = nodes.get(key);
      return e === undefined ? { key, operator: 'In', values: [value] } : { key, operator: 'In', values: [value], keySpan: spanOf(ctx, e.keyNode), valueSpans: [spanOf(ctx, e.value)] };
    });
    selector = map.size === 0 ? undefined : makeSelector(reqs, true, spanOf(ctx, selectorEntry.value));
  }

  if (type === 'ExternalName' && selector !== undefined) {
    findings.push(finding('external-name-with-selector', spanOf(ctx, selectorEntry!.keyNode), 'An ExternalName Service ignores its selector: it is only a DNS alias for externalName.'));
  }

  const ports: ServicePort[] = [];
  const portNodes = items(ctx, get(ctx, spec, 'ports'));
  if (portNodes.length > 1) {
    for (const p of portNodes) {
      if (text(ctx, get(ctx, p, 'name')) !== undefined) continue;
      const port = integer(ctx, get(ctx, p, 'port'));
      const proto = (text(ctx, get(ctx, p, 'protocol')) ?? 'TCP').toLowerCase();
      const name = port === undefined ? 'port' : `${proto}-${port}`;
      findings.push(
        finding('service-ports-unnamed', spanOf(ctx, p), `This Service has ${portNodes.length} ports, so each needs a name.`, [], [
          fix(`Name this port "${name}"`, [addFirstEntryEdit(ctx, p, `name: ${name}`)], true),
        ]),
      );
    }
  }
  for (const p of portNodes) {
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
    const nodePortNode = get(ctx, p, 'nodePort');
    const nodePort = integer(ctx, nodePortNode);
    if (nodePort !== undefined && (nodePort < 30000 || nodePort > 32767)) {
      findings.push(finding('node-port-out-of-range', spanOf(ctx, nodePortNode), `nodePort ${nodePort} is outside the default node port range 30000-32767.`));
    }
    ports.push({
      name: text(ctx, get(ctx, p, 'name')),
      nodePortSpan: nodePortNode === undefined ? undefined : spanOf(ctx, nodePortNode),
      port,
      targetPort,
      nodePort,
      protocol,
      span: spanOf(ctx, p),
      targetPortSpan: spanOf(ctx, targetNode ?? portNode),
      targetPortExplicit: targetNode !== undefined && !isNullNode(ctx, targetNode),
    });
  }

  const clusterIPs: IPAddress[] = [];
  const clusterIPSpans: SourceSpan[] = [];
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
    if (ip.ok) {
      clusterIPs.push(ip.value);
      clusterIPSpans.push(spanOf(ctx, n));
    }
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
    clusterIPSpans,
    headless,
    ipFamilies: items(ctx, get(ctx, spec, 'ipFamilies')).flatMap((n) => text(ctx, n) ?? []),
    externalName: text(ctx, get(ctx, spec, 'externalName')),
    span: header.span,
    nameSpan: header.nameSpan,
  };
}
