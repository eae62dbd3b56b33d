/**
 * The engine's model of a workspace: plain, immutable data built once from the
 * manifests. Everything that can be wrong in the input has already been turned
 * into findings; what is left can be matched without failing.
 */
import type { IPAddress, Prefix, RangeSet } from './cidr.js';
import type { Labels, Selector } from './labels.js';
import type { Fix } from './rules.js';
import type { SourceSpan } from './source.js';
import type { PolicyTier } from './tiers.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Direction = 'ingress' | 'egress';

export interface ContainerPort {
  readonly name: string | undefined;
  readonly port: number;
  readonly protocol: Protocol;
  readonly span: SourceSpan;
}

export const POD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
] as const;
export type PodKind = (typeof POD_KINDS)[number];

/** A Pod object, or the pods a workload's template stamps out (all alike). */
export interface PodGroup {
  /** "namespace/name": what the CLI matrix and the graph call it. */
  readonly id: string;
  /** A workload kind, or the kind of an operator's custom resource that stands for these pods (see operators.ts). */
  readonly kind: PodKind | (string & {});
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly ips: readonly IPAddress[];
  readonly hostNetwork: boolean;
  /** spec.serviceAccountName; undefined: the namespace's "default" account. */
  readonly serviceAccount?: string;
  /** How many pods this stands for (spec.replicas; 1 for a Pod or DaemonSet). */
  readonly replicas: number;
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
}

export interface NamespaceModel {
  readonly name: string;
  readonly labels: Labels;
  /** Undefined for a namespace only implied by objects living in it. */
  readonly span: SourceSpan | undefined;
  readonly nameSpan: SourceSpan | undefined;
}

export interface ServiceAccountModel {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
}

/** A Calico Tier object: policies of lower-order tiers are evaluated first. */
export interface TierModel {
  readonly name: string;
  /** Undefined: after every tier that has an order. */
  readonly order: number | undefined;
  readonly defaultAction: 'deny' | 'pass';
}

export interface ServicePort {
  readonly name: string | undefined;
  readonly nodePortSpan: SourceSpan | undefined;
  readonly port: number;
  /** A number, or a container port name resolved per endpoint pod. */
  readonly targetPort: number | string;
  readonly nodePort: number | undefined;
  readonly protocol: Protocol;
  readonly span: SourceSpan;
  /** The targetPort value, or the port value when targetPort is left out. */
  readonly targetPortSpan: SourceSpan;
  readonly targetPortExplicit: boolean;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServiceModel {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceType;
  /** Undefined: no selector (endpoints are managed by hand). */
  readonly selector: Selector | undefined;
  readonly ports: readonly ServicePort[];
  readonly clusterIPs: readonly IPAddress[];
  /** Where each of clusterIPs is written, index for index. */
  readonly clusterIPSpans: readonly SourceSpan[];
  readonly headless: boolean;
  readonly ipFamilies: readonly string[];
  readonly externalName: string | undefined;
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
}

export interface IPBlockPeer {
  readonly kind: 'ipBlock';
  readonly cidr: Prefix;
  readonly cidrSpan: SourceSpan;
  readonly except: readonly Prefix[];
  /** cidr minus except: the addresses this peer admits. */
  readonly addresses: RangeSet;
  /**
   * Set where the addresses stand only for peers outside the cluster (Cilium's
   * CIDR rules and world entity): a pod never matches, whatever its IP.
   */
  readonly outsideCluster?: true;
  readonly span: SourceSpan;
}

export interface PodPeer {
  readonly kind: 'pods';
  /** Undefined: the policy's own namespace. */
  readonly namespaceSelector: Selector | undefined;
  /** Undefined: every pod of the selected namespaces. */
  readonly podSelector: Selector | undefined;
  readonly span: SourceSpan;
}

/** A peer the API server would reject; it admits nothing. */
export interface InvalidPeer {
  readonly kind: 'invalid';
  readonly span: SourceSpan;
}

/**
 * A peer outside the pods and addresses Netlens models: a Cilium entity such
 * as host or kube-apiserver, a DNS name, a node. It admits no pod and no
 * address of the workspace; a finding says so where it is written.
 */
export interface ExternalPeer {
  readonly kind: 'external';
  /** What it stands for, as written: "entity host", "DNS name api.example.com". */
  readonly what: string;
  readonly span: SourceSpan;
}

export type PeerMatcher = IPBlockPeer | PodPeer | InvalidPeer | ExternalPeer;

export type PortMatcher =
  | { readonly kind: 'all'; readonly protocol: Protocol; readonly span: SourceSpan }
  | { readonly kind: 'range'; readonly protocol: Protocol; readonly from: number; readonly to: number; readonly span: SourceSpan }
  | {
      readonly kind: 'named';
      readonly protocol: Protocol;
      readonly name: string;
      readonly span: SourceSpan;
      /** Port ranges taken away from the named port (Calico's numeric notPorts): where the name resolves into one, it matches nothing. */
      readonly except?: ReadonlyArray<readonly [number, number]>;
    }
  | { readonly kind: 'invalid'; readonly span: SourceSpan };

/** What a rule of an ordered policy (Calico) does with what it matches; Log records it and goes on to the next rule. */
export type RuleAction = 'allow' | 'deny' | 'pass' | 'log';

/**
 * Where a policy of an ordered kind sits (Calico): its tier, and its order
 * inside the tier (undefined: after every ordered policy). See orderedPolicies.ts.
 */
export interface PolicyPlace {
  readonly tier: string;
  readonly order: number | undefined;
}

export interface PolicyRule {
  readonly direction: Direction;
  /** Position in the policy's ingress or egress list. */
  readonly index: number;
  /** Undefined: from/to absent or empty, i.e. every peer. */
  readonly peers: readonly PeerMatcher[] | undefined;
  /** Undefined: ports absent or empty, i.e. every port and protocol. */
  readonly ports: readonly PortMatcher[] | undefined;
  readonly span: SourceSpan;
  /** A deny rule: what it matches is dropped whatever any allow rule says (Cilium ingressDeny/egressDeny). */
  readonly deny?: boolean;
  /**
   * Application-layer filters the CNI applies on top of this rule (HTTP,
   * Kafka, DNS): Netlens decides the flow at L4 and flags it L7-filtered.
   */
  readonly l7?: readonly string[];
  /**
   * What the rule does with the traffic it matches: set on the rules of an
   * ordered policy (Calico orderedRules) and of a cluster-wide policy
   * (AdminNetworkPolicy, ClusterNetworkPolicy, ... tieredRules); the others allow.
   */
  readonly action?: RuleAction;
  /** The rule's name, when it has one (cluster-wide kinds name their rules). */
  readonly name?: string;
}

/** Where a cluster-wide policy sits in the evaluation order (see tiers.ts). */
export interface TierPlace {
  readonly tier: Exclude<PolicyTier, 'networkpolicy'>;
  /** 0..1000, lower first; BaselineAdminNetworkPolicy has none and counts as 0. */
  readonly priority: number;
}

export interface PolicyModel {
  readonly id: string;
  /** '' for a cluster-wide policy, which lives in no namespace. */
  readonly namespace: string;
  readonly name: string;
  /** The manifest kind when it is not NetworkPolicy (CiliumNetworkPolicy, ...): for wording only, never for matching. */
  readonly kind?: string;
  readonly podSelector: Selector;
  /** The one CNI that implements this kind (a CNI's own policy resource); undefined: any CNI that enforces NetworkPolicy. */
  readonly enforcedBy?: 'cilium' | 'calico';
  /** What the kind calls its pod selector, for messages (endpointSelector for Cilium); podSelector when undefined. */
  readonly selectorField?: string;
  /**
   * Undefined: podSelector picks pods of the policy's own namespace. Otherwise
   * the namespaces whose pods it may pick (all of them for an empty selector):
   * how cluster-wide kinds are normalised.
   */
  readonly targetNamespaces?: Selector;
  /**
   * Whether the selected pods are isolated (default deny) in each direction:
   * policyTypes after upstream defaulting, Cilium's enableDefaultDeny.
   */
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  /**
   * Allow rules that apply. For NetworkPolicy only those of the directions in
   * policyTypes; a kind that can add rules without isolating (Cilium with
   * enableDefaultDeny false) has rules here for a direction it does not affect.
   */
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  /**
   * An ordered kind (Calico): its place, and every rule of both directions in
   * written order with its action. Its Allow rules are also in ingress/egress,
   * for the lenses and the graph that list the rules admitting a flow; the
   * verdict comes from evaluating orderedRules in order.
   */
  readonly place?: PolicyPlace;
  readonly orderedRules?: readonly PolicyRule[];
  /** Deny rules of both directions: each wins over every allow rule of every policy. */
  readonly denyRules?: readonly PolicyRule[];
  /**
   * A cluster-wide tiered policy: its rules are in tieredRules (both
   * directions, in written order, each with an action); it isolates nothing
   * and has no ingress or egress allow rules.
   */
  readonly tier?: TierPlace;
  readonly tieredRules?: readonly PolicyRule[];
  /** Rules written for a direction policyTypes leaves out: upstream ignores them, explain says so. */
  readonly ignoredRules: readonly PolicyRule[];
  /** Where policyTypes is written, and the fixes that add a missing direction to it. */
  readonly policyTypesSpan: SourceSpan | undefined;
  readonly addPolicyTypeFixes: Partial<Record<Direction, Fix>>;
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
  /** Where metadata.namespace is written; absent when the namespace is defaulted. */
  readonly namespaceSpan?: SourceSpan;
  /** Where findings about the policy's egress isolation point (policyTypes, or the egress key). */
  readonly egressSpan: SourceSpan;
  /** Adds an egress rule to kube-dns on UDP and TCP 53; computed while the text is at hand. */
  readonly addDnsEgressFix: Fix | undefined;
}
