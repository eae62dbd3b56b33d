/**
 * The one table of everything Netlens can report. Codes are stable: tools,
 * settings (severity overrides) and tests refer to them, never to message text.
 */
import type { SourceSpan } from './source.js';
import { withNextStep } from './ruleGuidance.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  readonly severity: Severity;
  /** One line for docs, hovers and `netlens rules`. */
  readonly doc: string;
}

export const RULES = {
  'yaml-syntax': { severity: 'error', doc: 'The YAML or JSON document does not parse; it is left out of the analysis until it does.' },
  'schema-invalid': { severity: 'error', doc: 'The object does not match the Kubernetes API schema: an unknown field, a wrong type or a missing required field.' },
  'object-invalid': { severity: 'error', doc: 'A field of a recognised object has the wrong type or shape, so the object cannot be modelled as the API server would.' },
  'selector-invalid': { severity: 'error', doc: 'A label selector uses an unknown operator or the wrong number of values; the API server rejects it.' },
  'policy-selects-no-pods': { severity: 'warning', doc: "The policy's podSelector matches no pod in its namespace anywhere in the workspace." },
  'peer-selects-no-pods': {
    severity: 'warning',
    doc: "A from/to peer matches no pod in the workspace, so the rule allows nothing through it. Judged in the policy's own namespace and in namespaces the workspace creates; another namespace is shared with the install that creates it.",
  },
  'pods-not-in-workspace': {
    severity: 'information',
    doc: 'A policy, peer or Service selects no pod, but the workspace declares no workloads in the namespaces it looks in: those pods are deployed from elsewhere, so nothing can be judged.',
  },
  'kustomize-not-rendered': {
    severity: 'warning',
    doc: 'kubectl kustomize (or the binary set) could not render this kustomization root, so its files are analysed unrendered and findings about them may not hold.',
  },
  'helm-chart-not-rendered': {
    severity: 'information',
    doc: 'A Helm chart (Chart.yaml beside templates/) could not be rendered with helm template (helm missing, or the render failed), so its templates are not analysed.',
  },
  'project-config-invalid': { severity: 'error', doc: 'The .netlens.yaml workspace file does not parse or has an entry of the wrong shape; that entry is ignored.' },
  'object-defined-twice': { severity: 'warning', doc: 'The same object (kind, namespace, name) is defined twice with different contents; the cluster keeps only the one applied last.' },
  'cidr-zero-address-with-prefix': { severity: 'warning', doc: 'The all-zeros address with a non-zero prefix (0.0.0.0/24, ::/64) is a tiny, unroutable range; /0, meaning anywhere, was almost surely meant.' },
  'policy-types-missing-ingress': { severity: 'warning', doc: 'policyTypes is set without Ingress while ingress rules exist: those rules are ignored.' },
  'policy-types-missing-egress': { severity: 'warning', doc: 'policyTypes is set without Egress while egress rules exist: those rules are ignored.' },
  'rule-allows-all': { severity: 'information', doc: 'An empty rule ({}) beside other rules of its direction allows all traffic there, so those rules add nothing; a lone {} is taken as a deliberate allow-all.' },
  'port-protocol-invalid': { severity: 'error', doc: 'The protocol must be TCP, UDP or SCTP.' },
  'port-invalid': { severity: 'error', doc: 'A port must be a number from 1 to 65535 or an IANA_SVC_NAME (at most 15 lowercase letters, digits and dashes).' },
  'end-port-invalid': { severity: 'error', doc: 'endPort needs a numeric port and must not be smaller than it.' },
  'named-port-not-found': { severity: 'warning', doc: 'A named port is not declared by any container of the pods it would apply to, so it matches nothing.' },
  'cidr-invalid': { severity: 'error', doc: 'The value is not a valid CIDR.' },
  'cidr-not-canonical': { severity: 'warning', doc: 'The CIDR has host bits set; it is applied as its network address, which may not be what was meant.' },
  'except-outside-cidr': { severity: 'error', doc: 'An ipBlock except entry must lie inside the ipBlock cidr (and be of the same IP family).' },
  'ipblock-with-selector': { severity: 'error', doc: 'A peer with ipBlock may not also have podSelector or namespaceSelector; the API server rejects it.' },
  'service-selects-no-pods': { severity: 'warning', doc: "The Service's selector matches no pod in its namespace, so it has no endpoints." },
  'service-unreachable': { severity: 'warning', doc: "Policies isolate every endpoint of the Service and no ingress rule admits any pod or address on its ports: nothing can reach it." },
  'service-target-port-not-found': { severity: 'warning', doc: 'The Service targetPort names a port that no container of the selected pods declares, so the Service has nowhere to send it.' },
  'service-target-port-undeclared': {
    severity: 'information',
    doc: 'The Service targetPort is a number that no container of the selected pods declares; containerPort is informational, so a container may listen there anyway.',
  },
  'service-protocol-mismatch': { severity: 'warning', doc: 'The Service port targets a container port that the pods declare only with another protocol.' },
  'service-ports-unnamed': { severity: 'error', doc: 'A Service with several ports must name every port; the API server rejects it otherwise.' },
  'node-port-out-of-range': { severity: 'error', doc: 'nodePort must lie in the node port range (30000-32767 by default).' },
  'node-port-duplicate': { severity: 'error', doc: 'The same nodePort and protocol is used by another Service port; only one can have it.' },
  'cluster-ip-outside-service-cidr': { severity: 'error', doc: 'A Service clusterIP must lie inside the Service CIDR.' },
  'cluster-ip-duplicate': { severity: 'error', doc: 'Two Services ask for the same clusterIP; the second cannot be created.' },
  'external-name-with-selector': { severity: 'warning', doc: 'An ExternalName Service is a DNS alias: its selector is ignored and it has no endpoints.' },
  'namespace-not-defined': { severity: 'information', doc: 'The policy is in a namespace that no Namespace object in the workspace defines and no workload of the workspace runs in: its pods are deployed from elsewhere (or the name is misspelt), so they cannot be judged. This one finding stands for pods-not-in-workspace on the policy.' },
  'namespace-legacy-isolation': { severity: 'warning', doc: 'The net.beta.kubernetes.io/network-policy annotation is a pre-v1 setting that NetworkPolicy implementations ignore: it isolates nothing.' },
  'namespace-without-default-deny': { severity: 'information', doc: 'No policy isolates all the namespace\'s pods (a default deny) and one of its workloads is selected by no policy, while another namespace of the workspace has one: that workload, and new pods here, start open. A workspace that creates its namespaces is advised only for those it creates.' },
  'egress-blocks-dns': { severity: 'warning', doc: 'The policy isolates egress but nothing lets the selected pods reach port 53, so name lookups fail.' },
  'rule-shadowed': { severity: 'information', doc: 'Every connection this rule allows is already allowed by another rule of the same policy.' },
  'ipblock-covers-pod-cidr': { severity: 'information', doc: 'The ipBlock matches pod IPs; pod IPs change on every restart, so select pods by label instead.' },
  'ipblock-covers-service-cidr': { severity: 'warning', doc: 'The ipBlock matches Service ClusterIPs, which policies never see: they apply after the Service is translated to a pod IP.' },
  'ip-invalid': { severity: 'error', doc: 'The value is not a valid IPv4 or IPv6 address.' },
  'cni-config-invalid': { severity: 'error', doc: 'The CNI configuration held in this string is not valid JSON (or not a string), so the runtime cannot load it.' },
  'cni-version-unsupported': { severity: 'error', doc: 'cniVersion is not a version of the CNI spec; container runtimes refuse the configuration.' },
  'cni-conflist-without-plugins': { severity: 'error', doc: 'A .conflist file has no plugins list: the container runtime refuses it, so it sets up no network and does not decide the cluster\'s CNI.' },
  'cni-plugins-empty': { severity: 'error', doc: 'The network configuration list has no plugins, so no network is set up.' },
  'cni-first-plugin-not-main': { severity: 'error', doc: 'A chained plugin (portmap, bandwidth, tuning, firewall, sbr, vrf) comes first; a main plugin must create the interface before it.' },
  'ipam-address-outside-subnet': { severity: 'error', doc: 'An IPAM rangeStart, rangeEnd or gateway lies outside its subnet.' },
  'ipam-range-reversed': { severity: 'error', doc: 'rangeStart comes after rangeEnd, so the allocation range is empty.' },
  'ipam-gateway-in-range': { severity: 'warning', doc: 'The gateway lies inside rangeStart-rangeEnd; keep it out of the addresses handed to pods.' },
  'ipam-ranges-overlap': { severity: 'error', doc: 'Two ranges of one IPAM configuration overlap, so an address could be handed out twice.' },
  'cluster-cidrs-overlap': { severity: 'error', doc: 'The pod network, the Service network, node addresses or a secondary network overlap; traffic to the shared addresses is misrouted.' },
  'overlay-mtu-too-large': { severity: 'warning', doc: 'An overlay network (VXLAN, Geneve, IPIP, WireGuard) leaves too little room: inner MTU plus encapsulation overhead exceeds the underlay MTU, so large packets are dropped or fragmented.' },
  'cni-ignores-network-policy': { severity: 'warning', doc: "The cluster's CNI does not implement NetworkPolicy (flannel alone, plain bridge or ptp): this policy silently does nothing." },
  'calico-ipip-and-vxlan': { severity: 'error', doc: 'A Calico IPPool enables both IPIP and VXLAN; Calico allows one encapsulation per pool.' },
  'calico-block-size-invalid': { severity: 'error', doc: 'Calico blockSize must be 20-32 for IPv4 and 116-128 for IPv6, and no larger a block than the pool.' },
  'deny-shadows-allow': { severity: 'warning', doc: 'A deny rule drops every connection this allow rule admits, so the allow rule lets nothing through (deny wins over any allow).' },
  'cilium-policy-without-cilium': { severity: 'warning', doc: "A Cilium policy in a workspace whose CNI configuration is not Cilium's: only Cilium enforces these kinds, so it does nothing there." },
  'cilium-host-policy-not-modelled': { severity: 'information', doc: 'A Cilium host policy (nodeSelector) applies to nodes, which Netlens does not model: it changes no pod-to-pod verdict.' },
  'cilium-entity-not-modelled': { severity: 'information', doc: 'A Cilium entity other than world, cluster and all (host, remote-node, kube-apiserver, ...) stands for no pod or address of the workspace: the peer admits none.' },
  'cilium-field-not-modelled': { severity: 'information', doc: 'A Cilium peer or field Netlens does not model (toServices, nodes, CIDR groups, fromRequires): the rule is evaluated without it.' },
  'calico-policy-without-calico': { severity: 'warning', doc: "A Calico NetworkPolicy or GlobalNetworkPolicy in a workspace whose CNI configuration is not Calico's: only Calico enforces these kinds, so it does nothing there." },
  'calico-field-not-modelled': { severity: 'information', doc: 'A Calico rule field Netlens does not model (services, source ports, a selector on the policy\'s own side of a rule, host-endpoint options, ICMP, which is not TCP, UDP or SCTP): the rule is evaluated without it.' },
  'calico-staged-policy': { severity: 'information', doc: 'A Calico staged policy (StagedNetworkPolicy, StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy) previews its rules and enforces nothing, so Netlens does not apply it.' },
  'cilium-namespace-labels-ignored': { severity: 'warning', doc: 'io.cilium.k8s.namespace.labels.* in a CiliumNetworkPolicy is ignored by Cilium (only cluster-wide policies can use it), so it narrows nothing.' },
  'cluster-policy-not-implemented': { severity: 'warning', doc: 'A cluster-wide policy (AdminNetworkPolicy and its kin) in a workspace whose CNI does not implement policy.networking.k8s.io: it does nothing there.' },
  'tier-rule-shadowed': { severity: 'warning', doc: 'An earlier rule of the same tier (a lower priority, or earlier in the same policy) matches all the traffic this cluster-wide rule matches, so this rule never decides anything.' },
  'tier-priority-overlap': { severity: 'warning', doc: 'Two cluster-wide policies of one tier share a priority and have rules with different actions for the same pods: the API leaves their order undefined, so either may decide.' },
  'pass-without-network-policy': { severity: 'warning', doc: 'An admin Pass hands traffic to NetworkPolicy, but no NetworkPolicy selects the pods in that direction: the baseline tier or the default allow decides it.' },
  'suppression-unused': { severity: 'hint', doc: 'A `# netlens-disable` comment names a code that nothing reports where it applies (or no rule at all), so it silences nothing.' },
  'kube-proxy-iptables-at-scale': { severity: 'information', doc: 'kube-proxy runs in iptables mode while the workspace has thousands of Services; IPVS or nftables mode scales better.' },
} as const satisfies Record<string, RuleInfo>;

export type RuleCode = keyof typeof RULES;

export interface RelatedInfo {
  readonly span: SourceSpan;
  readonly message: string;
}

/** A text replacement; an empty span inserts. */
export interface TextEdit {
  readonly span: SourceSpan;
  readonly newText: string;
}

/** A fix the engine can offer for a finding: the editor shows it as a quick fix. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix most likely wanted, applied by "fix all" and shown first. */
  readonly preferred?: boolean;
}

export interface Finding {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: SourceSpan;
  readonly related: readonly RelatedInfo[];
  readonly fixes?: readonly Fix[];
  /** Set when .netlens.yaml's overrides chose the severity for this path: the user's global setting then gives way to it. */
  readonly severityFromProject?: true;
}

/**
 * What a finding says: a plain string gets its code's next step appended (see
 * ruleGuidance.ts); a site that knows a fix specific to the case gives it as `next`.
 */
export type FindingText = string | { readonly says: string; readonly next: string };

export function finding(code: RuleCode, span: SourceSpan, text: FindingText, related: RelatedInfo[] = [], fixes?: Fix[]): Finding {
  const message = typeof text === 'string' ? withNextStep(code, text) : `${text.says} ${text.next}`;
  return fixes === undefined ? { code, severity: RULES[code].severity, message, span, related } : { code, severity: RULES[code].severity, message, span, related, fixes };
}
