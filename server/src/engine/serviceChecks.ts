/**
 * Workspace-level findings about Services: selectors without endpoints,
 * targetPorts nobody serves, clashing nodePorts and clusterIPs.
 */
import type { Prefix } from './cidr.js';
import type { PodGroup, ServiceModel, ServicePort, WorkspaceModel } from './index.js';
import { replace } from './fixes.js';
import { closest } from './nearest.js';
import type { ClusterRanges } from './policyChecks.js';
import { finding, type Finding, type Fix, type RelatedInfo } from './rules.js';
import { selectorFixes } from './selectorFixes.js';
import { serviceEndpoints } from './services.js';
import { matchesSomePod } from './controllerLabels.js';
import { appendAll } from './findingCap.js';
import { computeAlways, type Reuse } from './reuse.js';
import { workloadNamespaces } from './podNamespaces.js';

/**
 * `reuse(service, compute)` may answer with an earlier analysis's findings
 * for the same Service object over the same pods and ranges (see
 * AnalysisMemo); only the uniqueness checks compare Services with each other.
 */
export function serviceFindings(ws: WorkspaceModel, ranges: ClusterRanges, reuse: Reuse<ServiceModel> = computeAlways): Finding[] {
  const out: Finding[] = [];
  const declared = workloadNamespaces(ws.podGroups);
  for (const service of ws.services) {
    const own = reuse(service, () => {
      const found: Finding[] = [];
      checkEndpoints(service, ws.podGroups, declared, found);
      checkClusterIPRange(service, (ranges.forFile?.(service.span.file) ?? ranges).serviceCIDRs, found);
      return found;
    });
    appendAll(out, own);
  }
  checkUnique(
    ws.services.flatMap((s) => s.ports.filter((p) => p.nodePort !== undefined && p.nodePortSpan !== undefined).map((p) => ({ key: `${p.nodePort}/${p.protocol}`, span: p.nodePortSpan!, owner: s.id }))),
    (key, owner) => `nodePort ${key} is already used by Service ${owner}.`,
    'node-port-duplicate',
    out,
  );
  checkUnique(
    ws.services.flatMap((s) => s.clusterIPs.map((ip, i) => ({ key: ip.toString(), span: s.clusterIPSpans[i]!, owner: s.id }))),
    (key, owner) => `clusterIP ${key} is already taken by Service ${owner}.`,
    'cluster-ip-duplicate',
    out,
  );
  return out;
}

function checkUnique(
  entries: Array<{ key: string; span: ServicePort['span']; owner: string }>,
  message: (key: string, owner: string) => string,
  code: 'node-port-duplicate' | 'cluster-ip-duplicate',
  out: Finding[],
): void {
  const first = new Map<string, { span: ServicePort['span']; owner: string }>();
  for (const e of entries) {
    const prior = first.get(e.key);
    if (prior === undefined) first.set(e.key, e);
    else out.push(finding(code, e.span, message(e.key, prior.owner), [{ span: prior.span, message: `first used by Service ${prior.owner}` }]));
  }
}

function checkClusterIPRange(service: ServiceModel, serviceCIDRs: readonly Prefix[], out: Finding[]): void {
  service.clusterIPs.forEach((ip, i) => {
    const sameFamily = serviceCIDRs.filter((c) => c.family === ip.family);
    if (sameFamily.length === 0 || sameFamily.some((c) => c.contains(ip))) return;
    out.push(
      finding(
        'cluster-ip-outside-service-cidr',
        service.clusterIPSpans[i]!,
        `clusterIP ${ip.toString()} is outside the Service CIDR ${sameFamily.map((c) => c.toString()).join(', ')}; the API server will reject it.`,
      ),
    );
  });
}

function checkEndpoints(service: ServiceModel, podGroups: readonly PodGroup[], workloadNamespaces: ReadonlySet<string>, out: Finding[]): void {
  if (service.selector === undefined || service.type === 'ExternalName') return;
  const selector = service.selector;
  const endpoints = serviceEndpoints(service, podGroups);
  if (endpoints.length === 0) {
    // A Service for one StatefulSet pod (statefulset.kubernetes.io/pod-name: NAME-0) has that pod as its endpoint.
    if (podGroups.some((g) => g.namespace === service.namespace && matchesSomePod(selector, g))) return;
    // Its pods are another install's (knative's Service for istio's gateway): nothing to judge, and the Service's hover says so.
    if (!workloadNamespaces.has(service.namespace)) return;
    const inNamespace = podGroups.filter((g) => g.namespace === service.namespace).map((g) => g.labels);
    out.push(
      finding('service-selects-no-pods', selector.span, `Service ${service.name} selects no pod in namespace ${service.namespace}, so it has no endpoints.`, [], selectorFixes(selector, inNamespace, 'selector')),
    );
    return;
  }
  const related: RelatedInfo[] = endpoints.slice(0, 3).map((e) => ({ span: e.group.nameSpan, message: `endpoint ${e.group.id}` }));
  const declared = endpoints.flatMap((e) => e.group.ports);
  for (const sp of service.ports) {
    const target = sp.targetPort;
    const sameProtocol = declared.filter((p) => p.protocol === sp.protocol);
    if (typeof target === 'string') {
      if (sameProtocol.some((p) => p.name === target)) continue;
      const other = declared.find((p) => p.name === target);
      if (other !== undefined) {
        out.push(finding('service-protocol-mismatch', sp.targetPortSpan, `targetPort "${target}" is a ${other.protocol} port on the selected pods, but this Service port is ${sp.protocol}.`, related));
        continue;
      }
      const names = [...new Set(sameProtocol.flatMap((p) => (p.name === undefined ? [] : [p.name])))];
      out.push(
        finding(
          'service-target-port-not-found',
          sp.targetPortSpan,
          `targetPort "${target}" is not a ${sp.protocol} container port name of any selected pod.`,
          related,
          targetFixes(sp, closest(target, names, 3)),
        ),
      );
      continue;
    }
    // Declaring container ports is optional; only judge a number against pods that declare some.
    if (declared.length === 0 || sameProtocol.some((p) => p.port === target)) continue;
    const other = declared.find((p) => p.port === target);
    if (other !== undefined) {
      out.push(finding('service-protocol-mismatch', sp.targetPortSpan, `Port ${target} is declared as ${other.protocol} on the selected pods, but this Service port is ${sp.protocol}.`, related));
      continue;
    }
    const numbers = [...new Set(sameProtocol.map((p) => p.port))].sort((a, b) => Math.abs(a - target) - Math.abs(b - target) || a - b);
    const list = [...new Set(declared.map((p) => `${p.port}/${p.protocol}`))].slice(0, 6).join(', ');
    out.push(
      finding(
        'service-target-port-undeclared',
        sp.targetPortSpan,
        `targetPort ${target}/${sp.protocol} is not declared by any container of the selected pods (they declare ${list}); containerPort is informational, so this holds only if nothing listens on ${target}.`,
        related,
        targetFixes(sp, numbers.slice(0, 3).map(String)),
      ),
    );
  }
}

function targetFixes(sp: ServicePort, candidates: string[]): Fix[] {
  // A targetPort left out defaults to the port; there is no value to change then.
  if (!sp.targetPortExplicit) return [];
  return candidates.map((c, i) => ({ title: `Change targetPort to ${c}`, edits: [replace(sp.targetPortSpan, c)], ...(i === 0 ? { preferred: true } : {}) }));
}
