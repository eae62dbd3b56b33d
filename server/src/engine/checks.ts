/**
 * Findings that need the whole workspace: selectors that match nothing, named
 * ports nobody declares, Services without endpoints.
 */
import { isEmptySelector } from './labels.js';
import type { PodGroup, PolicyModel, PolicyRule } from './model.js';
import type { Reachability } from './reachability.js';
import { finding, type Finding } from './rules.js';
import { serviceEndpoints } from './services.js';

export function workspaceFindings(reach: Reachability): Finding[] {
  const out: Finding[] = [];
  const ws = reach.workspace;
  const groupsOf = (classes: Iterable<number>): PodGroup[] => [...classes].flatMap((c) => reach.classes[c]!.groups);

  for (const policy of ws.policies) {
    const selected = groupsOf(reach.selectedClasses(policy).members());
    if (policy.podSelector.valid && selected.length === 0) {
      const what = isEmptySelector(policy.podSelector) ? `There are no pods in namespace ${policy.namespace}` : `podSelector matches no pod in namespace ${policy.namespace}`;
      out.push(finding('policy-selects-no-pods', policy.podSelector.span, `${what} in the workspace, so policy ${policy.name} applies to nothing.`));
    }
    for (const rule of [...policy.ingress, ...policy.egress]) {
      checkPeers(reach, policy, rule, out);
      // Ingress ports are looked up on the selected pods; egress ports on the peers.
      const destinations = rule.direction === 'ingress' ? selected : groupsOf(reach.ruleClasses(policy, rule).members());
      if (destinations.length > 0) checkNamedPorts(rule, destinations, out);
    }
  }

  for (const service of ws.services) {
    if (service.selector === undefined || service.type === 'ExternalName') continue;
    const endpoints = serviceEndpoints(service, ws.podGroups);
    if (endpoints.length === 0) {
      out.push(finding('service-selects-no-pods', service.selector.span, `Service ${service.name} selects no pod in namespace ${service.namespace}, so it has no endpoints.`));
      continue;
    }
    for (const [i, sp] of service.ports.entries()) {
      const resolved = endpoints.filter((e) => e.ports[i]!.containerPort !== undefined);
      if (typeof sp.targetPort === 'string') {
        if (resolved.length === 0) {
          out.push(
            finding(
              'service-target-port-not-found',
              sp.targetPortSpan,
              `targetPort "${sp.targetPort}" is not a ${sp.protocol} container port name of any selected pod.`,
              endpoints.slice(0, 3).map((e) => ({ span: e.group.nameSpan, message: `endpoint ${e.group.id}` })),
            ),
          );
        }
        continue;
      }
      // Declaring container ports is optional; only judge a number against pods that declare some.
      const declaring = endpoints.filter((e) => e.group.ports.length > 0);
      if (declaring.length > 0 && !declaring.some((e) => e.group.ports.some((p) => p.port === sp.targetPort && p.protocol === sp.protocol))) {
        out.push(
          finding(
            'service-target-port-not-found',
            sp.targetPortSpan,
            `targetPort ${sp.targetPort}/${sp.protocol} is not a container port of any selected pod (they declare ${describePorts(declaring.map((e) => e.group))}).`,
            declaring.slice(0, 3).map((e) => ({ span: e.group.nameSpan, message: `endpoint ${e.group.id}` })),
          ),
        );
      }
    }
  }
  return out;
}

function checkPeers(reach: Reachability, policy: PolicyModel, rule: PolicyRule, out: Finding[]): void {
  for (const peer of rule.peers ?? []) {
    if (peer.kind !== 'pods') continue;
    if ((peer.podSelector && !peer.podSelector.valid) || (peer.namespaceSelector && !peer.namespaceSelector.valid)) continue;
    if (reach.peerClasses(policy, peer).isEmpty) {
      const where = peer.namespaceSelector === undefined ? `namespace ${policy.namespace}` : 'the selected namespaces';
      out.push(finding('peer-selects-no-pods', peer.span, `This peer matches no pod in ${where} in the workspace, so it admits nothing.`));
    }
  }
}

function checkNamedPorts(rule: PolicyRule, destinations: PodGroup[], out: Finding[]): void {
  for (const m of rule.ports ?? []) {
    if (m.kind !== 'named') continue;
    if (destinations.some((g) => g.ports.some((p) => p.name === m.name && p.protocol === m.protocol))) continue;
    const whose = rule.direction === 'ingress' ? 'the pods this policy selects' : 'the pods this rule allows egress to';
    out.push(finding('named-port-not-found', m.span, `No ${m.protocol} container port named "${m.name}" on ${whose}, so it matches nothing.`));
  }
}

function describePorts(groups: PodGroup[]): string {
  const ports = new Set(groups.flatMap((g) => g.ports.map((p) => `${p.port}/${p.protocol}`)));
  return [...ports].slice(0, 6).join(', ');
}
