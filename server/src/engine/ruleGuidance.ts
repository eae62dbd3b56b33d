/**
 * What to do about each finding, and one example of the mistake beside its fix.
 *
 * Kept apart from RULES so that the one-line meaning stays short for tables and
 * hovers. `next` is the sentence a message ends with; where a code's messages
 * already name a fix specific to the case ("use 1450 or less"), `inMessage`
 * says so and the generic sentence is left to the docs, so nothing is said twice.
 * Examples are one line of YAML (flow style) or JSON, so they fit a table cell
 * and a terminal line alike.
 */
import type { RuleCode } from './rules.js';

export interface RuleGuidance {
  /** One imperative sentence: what to change, or how to say it is intended. */
  readonly next: string;
  /** True when every message of the code already ends with a fix for its case. */
  readonly inMessage?: boolean;
  /** The mistake, as written. */
  readonly wrong: string;
  /** The same, fixed. */
  readonly right: string;
}

export const RULE_GUIDANCE: Readonly<Record<RuleCode, RuleGuidance>> = {
  'yaml-syntax': { next: 'Fix the syntax at the marked place; until then the document is ignored.', wrong: 'podSelector: {matchLabels: {app: web}', right: 'podSelector: {matchLabels: {app: web}}' },
  'schema-invalid': { next: 'Correct or remove the field; the API server rejects the object until then.', wrong: 'spec: {podSelector: {}, ingres: [{}]}', right: 'spec: {podSelector: {}, ingress: [{}]}' },
  'object-invalid': { next: 'Give the field the shape the API expects.', inMessage: true, wrong: 'from: [{}]', right: 'from: [{podSelector: {}}]' },
  'selector-invalid': { next: 'Correct the expression: In and NotIn take one or more values, Exists and DoesNotExist none.', wrong: 'matchExpressions: [{key: app, operator: In, values: []}]', right: 'matchExpressions: [{key: app, operator: In, values: [web]}]' },
  'policy-selects-no-pods': { next: "Check the podSelector's labels against the pods', or the policy's namespace.", wrong: 'podSelector: {matchLabels: {app: cart}}   # pods are app: carts', right: 'podSelector: {matchLabels: {app: carts}}' },
  'peer-selects-no-pods': {
    next: 'Check the selector against the workloads, or declare pods deployed elsewhere under "external" in .netlens.yaml.',
    wrong: 'from: [{podSelector: {matchLabels: {app: frontnd}}}]',
    right: 'from: [{podSelector: {matchLabels: {app: frontend}}}]',
  },
  'pods-not-in-workspace': {
    next: 'Nothing to change; to have it checked, declare those pods under "external" in .netlens.yaml.',
    wrong: '# policy for namespace monitoring, whose pods another repository deploys',
    right: 'external: [{name: prometheus, namespace: monitoring, labels: {app: prometheus}}]   # in .netlens.yaml',
  },
  'kustomize-not-rendered': {
    next: 'Run kubectl kustomize on the folder to see the full error and fix it; the CLI takes another binary with --kustomize, the editor with netlens.kustomizeBinary.',
    wrong: 'resources: [deployment.yml]   # the file is deployment.yaml',
    right: 'resources: [deployment.yaml]',
  },
  'helm-chart-not-rendered': {
    next: 'Install helm or set netlens.helmBinary to it (the CLI: --helm); values files go in netlens.helmValueFiles.',
    wrong: '# Chart.yaml, with helm not installed',
    right: '"netlens.helmBinary": "/usr/local/bin/helm"   # in settings.json',
  },
  'project-config-invalid': {
    next: 'Fix the entry in .netlens.yaml; until then it is ignored.',
    wrong: 'external: [{name: ingress-nginx}]',
    right: 'external: [{name: ingress-nginx, namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx}}]',
  },
  'object-defined-twice': {
    next: 'Keep one definition, or rename one of them if both are meant to exist.',
    wrong: '# a.yaml and b.yaml both define Service shop/web, with different ports',
    right: '# one Service shop/web, in one file',
  },
  'cidr-zero-address-with-prefix': { next: 'Write 0.0.0.0/0 (or ::/0) for anywhere.', inMessage: true, wrong: 'ipBlock: {cidr: 0.0.0.0/24}', right: 'ipBlock: {cidr: 0.0.0.0/0}' },
  'policy-types-missing-ingress': {
    next: 'Add Ingress to policyTypes, or remove the ingress rules.',
    wrong: 'policyTypes: [Egress]\ningress: [{from: [{podSelector: {}}]}]',
    right: 'policyTypes: [Ingress, Egress]\ningress: [{from: [{podSelector: {}}]}]',
  },
  'policy-types-missing-egress': {
    next: 'Add Egress to policyTypes, or remove the egress rules.',
    wrong: 'policyTypes: [Ingress]\negress: [{to: [{podSelector: {}}]}]',
    right: 'policyTypes: [Ingress, Egress]\negress: [{to: [{podSelector: {}}]}]',
  },
  'rule-allows-all': {
    next: 'If that is intended, disable rule-allows-all for this line; otherwise list the peers and ports the rule is for.',
    inMessage: true,
    wrong: 'ingress: [{}]   # meant: only the frontend',
    right: 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]',
  },
  'port-protocol-invalid': { next: 'Write TCP, UDP or SCTP, in capitals.', inMessage: true, wrong: 'ports: [{protocol: tcp, port: 80}]', right: 'ports: [{protocol: TCP, port: 80}]' },
  'port-invalid': { next: 'Write a number from 1 to 65535, unquoted, or a port name the pods declare.', wrong: 'ports: [{port: "8080"}]', right: 'ports: [{port: 8080}]' },
  'end-port-invalid': { next: 'Make endPort a number no smaller than port, and port a number.', wrong: 'ports: [{port: 9000, endPort: 8000}]', right: 'ports: [{port: 8000, endPort: 9000}]' },
  'named-port-not-found': { next: 'Use one of the port names the pods declare, or the port number.', wrong: 'ports: [{port: metric}]   # containers name it metrics', right: 'ports: [{port: metrics}]' },
  'cidr-invalid': { next: 'Write an address and a prefix length the family allows (0-32 for IPv4, 0-128 for IPv6).', wrong: 'ipBlock: {cidr: 10.0.0.0/33}', right: 'ipBlock: {cidr: 10.0.0.0/16}' },
  'cidr-not-canonical': { next: 'Write the network address, or a longer prefix if one host was meant.', wrong: 'ipBlock: {cidr: 10.1.2.3/16}', right: 'ipBlock: {cidr: 10.1.0.0/16}' },
  'except-outside-cidr': { next: 'Move the except range inside the cidr, or remove it.', wrong: 'ipBlock: {cidr: 10.1.0.0/16, except: [10.2.0.0/24]}', right: 'ipBlock: {cidr: 10.1.0.0/16, except: [10.1.2.0/24]}' },
  'ipblock-with-selector': {
    next: 'Split it into one peer with ipBlock and one with the selectors.',
    inMessage: true,
    wrong: 'from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]',
    right: 'from: [{ipBlock: {cidr: 10.0.0.0/8}}, {podSelector: {}}]',
  },
  'service-selects-no-pods': { next: "Check the Service selector against the pods' labels and namespace.", wrong: 'selector: {app: cart}   # pods are app: carts', right: 'selector: {app: carts}' },
  'service-unreachable': {
    next: 'Add an ingress rule that admits the Service\'s clients, or use Explain Traffic to see which policy isolates it.',
    wrong: '# default-deny in shop, and no policy admits anything to app: carts',
    right: 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]   # podSelector: {matchLabels: {app: carts}}',
  },
  'service-target-port-not-found': { next: 'Point targetPort at a port number or name the selected containers declare.', wrong: 'ports: [{port: 80, targetPort: 8000}]   # containers listen on 8080', right: 'ports: [{port: 80, targetPort: 8080}]' },
  'service-protocol-mismatch': { next: 'Give the Service port the protocol the container port declares.', wrong: 'ports: [{port: 53, protocol: TCP}]   # container port 53 is UDP', right: 'ports: [{port: 53, protocol: UDP}]' },
  'service-ports-unnamed': { next: 'Give every port of the Service a distinct name.', wrong: 'ports: [{port: 80}, {port: 443}]', right: 'ports: [{name: http, port: 80}, {name: https, port: 443}]' },
  'node-port-out-of-range': { next: 'Pick a nodePort in 30000-32767, or leave it out to have one assigned.', wrong: 'ports: [{port: 80, nodePort: 3000}]', right: 'ports: [{port: 80, nodePort: 30000}]' },
  'node-port-duplicate': { next: 'Give one of the two a different nodePort, or leave it out to have one assigned.', wrong: '# two Services both with nodePort: 30080', right: '# one keeps 30080, the other leaves nodePort out' },
  'cluster-ip-outside-service-cidr': { next: 'Pick a clusterIP inside the Service CIDR, or leave it out to have one assigned.', wrong: 'clusterIP: 10.200.0.20   # Service CIDR 10.96.0.0/12', right: 'clusterIP: 10.96.0.20' },
  'cluster-ip-duplicate': { next: 'Give one Service another clusterIP, or leave it out to have one assigned.', wrong: 'clusterIP: 10.96.0.10   # kube-dns has it', right: 'clusterIP: 10.96.0.20' },
  'external-name-with-selector': { next: 'Remove the selector, or make it a ClusterIP Service if it should have endpoints.', wrong: 'type: ExternalName\nselector: {app: db}', right: 'type: ExternalName\nexternalName: db.example.com' },
  'namespace-not-defined': { next: 'Add a Namespace object if this workspace should create it; otherwise nothing to do.', wrong: '# policies in namespace apps, no kind: Namespace named apps', right: '{apiVersion: v1, kind: Namespace, metadata: {name: apps}}' },
  'namespace-legacy-isolation': {
    next: 'Remove the annotation and isolate with a NetworkPolicy whose podSelector is {}.',
    inMessage: true,
    wrong: 'annotations: {net.beta.kubernetes.io/network-policy: \'{"ingress": {"isolation": "DefaultDeny"}}\'}',
    right: '{kind: NetworkPolicy, spec: {podSelector: {}, policyTypes: [Ingress]}}',
  },
  'namespace-without-default-deny': {
    next: 'Add a NetworkPolicy with podSelector: {} and no rules, then allow what the pods need.',
    wrong: '# namespace shop: policies for some pods only',
    right: '{kind: NetworkPolicy, metadata: {name: default-deny, namespace: shop}, spec: {podSelector: {}, policyTypes: [Ingress]}}',
  },
  'egress-blocks-dns': {
    next: 'Add an egress rule to port 53 (UDP and TCP) of the cluster DNS.',
    wrong: 'policyTypes: [Egress]\negress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]',
    right: 'egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}, {to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]',
  },
  'rule-shadowed': { next: 'Remove the rule, or narrow the other one if this one was meant to say something different.', wrong: 'ingress: [{}, {from: [{podSelector: {}}]}]', right: 'ingress: [{}]' },
  'ipblock-covers-pod-cidr': { next: 'Select the pods by label instead.', inMessage: true, wrong: 'to: [{ipBlock: {cidr: 10.244.3.0/24}}]', right: 'to: [{podSelector: {matchLabels: {app: db}}}]' },
  'ipblock-covers-service-cidr': { next: "Select the Service's pods instead.", inMessage: true, wrong: 'to: [{ipBlock: {cidr: 10.96.0.10/32}}]', right: 'to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]' },
  'ip-invalid': { next: 'Write a valid IPv4 or IPv6 address.', wrong: '"gw": "192.168.80.254.1"', right: '"gw": "192.168.80.254"' },
  'cni-config-invalid': { next: 'Make the string valid JSON; runtimes do not accept comments or trailing commas.', wrong: 'config: \'{"type": "macvlan",}\'', right: 'config: \'{"type": "macvlan"}\'' },
  'cni-version-unsupported': { next: 'Use a published CNI spec version such as 1.0.0.', wrong: '"cniVersion": "0.5.0"', right: '"cniVersion": "1.0.0"' },
  'cni-conflist-without-plugins': {
    next: 'List the plugins under "plugins", or rename the file to .conf if it holds a single plugin.',
    wrong: '{"cniVersion": "1.0.0", "name": "net", "type": "bridge"}   # in 10-net.conflist',
    right: '{"cniVersion": "1.0.0", "name": "net", "plugins": [{"type": "bridge"}]}',
  },
  'cni-plugins-empty': { next: 'List at least a main plugin (bridge, macvlan, calico, …) under plugins.', wrong: '"plugins": []', right: '"plugins": [{"type": "bridge", "ipam": {"type": "host-local"}}]' },
  'cni-first-plugin-not-main': { next: 'Put the main plugin first and chained plugins after it.', wrong: '"plugins": [{"type": "portmap"}, {"type": "bridge"}]', right: '"plugins": [{"type": "bridge"}, {"type": "portmap"}]' },
  'ipam-address-outside-subnet': { next: 'Move the address inside the subnet, or widen the subnet.', wrong: '{"subnet": "10.22.0.0/16", "rangeStart": "10.23.0.10"}', right: '{"subnet": "10.22.0.0/16", "rangeStart": "10.22.0.10"}' },
  'ipam-range-reversed': { next: 'Swap rangeStart and rangeEnd.', wrong: '{"rangeStart": "10.0.0.100", "rangeEnd": "10.0.0.50"}', right: '{"rangeStart": "10.0.0.50", "rangeEnd": "10.0.0.100"}' },
  'ipam-gateway-in-range': { next: 'Start the range after the gateway.', inMessage: true, wrong: '{"gateway": "10.0.0.1", "rangeStart": "10.0.0.1"}', right: '{"gateway": "10.0.0.1", "rangeStart": "10.0.0.2"}' },
  'ipam-ranges-overlap': { next: 'Make the ranges disjoint, or remove the duplicate.', wrong: '"ranges": [[{"subnet": "10.1.0.0/16"}], [{"subnet": "10.1.2.0/24"}]]', right: '"ranges": [[{"subnet": "10.1.0.0/16"}], [{"subnet": "10.2.0.0/24"}]]' },
  'cluster-cidrs-overlap': { next: 'Move one of the networks to addresses the other does not use.', inMessage: true, wrong: 'podSubnet: 10.96.0.0/16\nserviceSubnet: 10.96.0.0/12', right: 'podSubnet: 10.244.0.0/16\nserviceSubnet: 10.96.0.0/12' },
  'overlay-mtu-too-large': { next: 'Lower the MTU by the encapsulation overhead.', inMessage: true, wrong: 'mtu: 1500   # VXLAN on a 1500-byte underlay', right: 'mtu: 1450' },
  'cni-ignores-network-policy': {
    next: 'Run a CNI that enforces NetworkPolicy (Calico, Cilium, or flannel with Canal), or do not rely on this policy.',
    wrong: '"plugins": [{"type": "flannel"}]   # with NetworkPolicies',
    right: '"plugins": [{"type": "calico"}]',
  },
  'calico-ipip-and-vxlan': { next: 'Set one of ipipMode and vxlanMode to Never.', inMessage: true, wrong: 'ipipMode: Always\nvxlanMode: Always', right: 'ipipMode: Never\nvxlanMode: Always' },
  'calico-block-size-invalid': { next: "Use Calico's default, 26 for IPv4 or 122 for IPv6, unless another size in range is needed.", wrong: 'cidr: 10.244.0.0/18\nblockSize: 16', right: 'cidr: 10.244.0.0/18\nblockSize: 26' },
  'deny-shadows-allow': {
    next: 'Narrow the deny rule (peer or port), or remove the allow rule that can never take effect.',
    wrong: 'ingressDeny: [{fromEndpoints: [{}]}]\ningress: [{fromEndpoints: [{matchLabels: {app: web}}]}]',
    right: 'ingressDeny: [{fromEndpoints: [{matchLabels: {app: batch}}]}]\ningress: [{fromEndpoints: [{matchLabels: {app: web}}]}]',
  },
  'cilium-policy-without-cilium': {
    next: 'Run Cilium as the CNI, or write the policy as a NetworkPolicy the installed CNI enforces.',
    wrong: '"plugins": [{"type": "calico"}]   # with a CiliumNetworkPolicy',
    right: '"plugins": [{"type": "cilium-cni"}]',
  },
  'cilium-host-policy-not-modelled': { next: 'Nothing to change; check host traffic with Cilium itself (cilium policy get on the node).', wrong: 'spec: {nodeSelector: {}}', right: 'spec: {nodeSelector: {}}   # netlens-disable-line cilium-host-policy-not-modelled' },
  'cilium-entity-not-modelled': { next: 'If the traffic is pod-to-pod, select the pods with fromEndpoints/toEndpoints instead.', wrong: 'toEntities: [host]   # meant the node-local DNS pod', right: 'toEndpoints: [{matchLabels: {k8s-app: node-local-dns}}]' },
  'cilium-field-not-modelled': { next: 'Where the peers are pods of the workspace, select them with fromEndpoints/toEndpoints so Netlens can check them.', wrong: 'toServices: [{k8sService: {serviceName: db, namespace: prod}}]', right: 'toEndpoints: [{matchLabels: {app: db, k8s:io.kubernetes.pod.namespace: prod}}]' },
  'calico-policy-without-calico': {
    next: 'Run Calico as the CNI (or for policy beside another CNI), or write the policy as a Kubernetes NetworkPolicy the installed CNI enforces.',
    wrong: '"plugins": [{"type": "cilium-cni"}]   # with a projectcalico.org/v3 GlobalNetworkPolicy',
    right: '"plugins": [{"type": "calico"}]',
  },
  'calico-field-not-modelled': { next: 'Where the peers are pods of the workspace, select them with source/destination selector so Netlens can check them.', wrong: 'destination: {services: {name: db, namespace: prod}}', right: "destination: {selector: app == 'db', namespaceSelector: projectcalico.org/name == 'prod'}" },
  'calico-staged-policy': {
    next: 'To enforce it, apply it as the kind it stages (StagedNetworkPolicy as NetworkPolicy, and so on); to preview it here, change its kind in a scratch copy.',
    wrong: 'kind: StagedGlobalNetworkPolicy   # meant to deny now',
    right: 'kind: GlobalNetworkPolicy',
  },
  'cilium-namespace-labels-ignored': { next: 'Name the namespace with k8s:io.kubernetes.pod.namespace, or move the rule to a CiliumClusterwideNetworkPolicy.', wrong: 'fromEndpoints: [{matchLabels: {io.cilium.k8s.namespace.labels.team: a}}]', right: 'fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: team-a}}]' },
  'cluster-policy-not-implemented': {
    next: 'Run a CNI that implements AdminNetworkPolicy (Calico, Antrea, OVN-Kubernetes), or write the rules as NetworkPolicies.',
    wrong: '"plugins": [{"type": "flannel"}]   # with an AdminNetworkPolicy',
    right: '"plugins": [{"type": "calico"}]',
  },
  'tier-rule-shadowed': {
    next: 'Move the rule before the one that shadows it (a lower priority, or higher in the list), or remove it.',
    wrong: 'ingress: [{action: Deny, from: [{namespaces: {}}]}, {action: Allow, from: [{namespaces: {matchLabels: {team: a}}}]}]',
    right: 'ingress: [{action: Allow, from: [{namespaces: {matchLabels: {team: a}}}]}, {action: Deny, from: [{namespaces: {}}]}]',
  },
  'tier-priority-overlap': { next: 'Give the policies different priorities, so the one that should decide comes first.', wrong: 'priority: 10   # in both policies', right: 'priority: 10   # and priority: 20 in the other' },
  'pass-without-network-policy': {
    next: 'Add the NetworkPolicy the Pass defers to, or decide the traffic here with Allow or Deny.',
    wrong: 'ingress: [{action: Pass, from: [{namespaces: {}}]}]   # no NetworkPolicy in the subject namespaces',
    right: 'ingress: [{action: Deny, from: [{namespaces: {}}]}]',
  },
  'suppression-unused': { next: 'Remove the comment, or correct the code it names.', inMessage: true, wrong: '# netlens-disable-next-line rule-allow-all', right: '# netlens-disable-next-line rule-allows-all' },
  'kube-proxy-iptables-at-scale': { next: 'Consider mode: ipvs or mode: nftables in the kube-proxy configuration.', wrong: 'mode: iptables   # 5,000 Services', right: 'mode: nftables' },
};

/** A message followed by the code's next step, unless the message already gives one. */
export function withNextStep(code: RuleCode, message: string): string {
  const guidance = RULE_GUIDANCE[code];
  if (guidance.inMessage) return message;
  const sentence = /[.!?:)]$/.test(message) ? message : `${message}.`;
  return `${sentence} ${guidance.next}`;
}
