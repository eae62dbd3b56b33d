/**
 * The engine's model of a workspace: plain, immutable data built once from the
 * manifests. Everything that can be wrong in the input has already been turned
 * into findings; what is left can be matched without failing.
 */
import type { IPAddress, Prefix, RangeSet } from './cidr.js';
import type { Labels, Selector } from './labels.js';
import type { Fix } from './rules.js';
import type { SourceSpan } from './source.js';

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

export type PeerMatcher = IPBlockPeer | PodPeer | InvalidPeer;

export type PortMatcher =
  | { readonly kind: 'all'; readonly protocol: Protocol; readonly span: SourceSpan }
  | { readonly kind: 'range'; readonly protocol: Protocol; readonly from: number; readonly to: number; readonly span: SourceSpan }
  | { readonly kind: 'named'; readonly protocol: Protocol; readonly name: string; readonly span: SourceSpan }
  | { readonly kind: 'invalid'; readonly span: SourceSpan };

export interface PolicyRule {
  readonly direction: Direction;
  /** Position in the policy's ingress or egress list. */
  readonly index: number;
  /** Undefined: from/to absent or empty, i.e. every peer. */
  readonly peers: readonly PeerMatcher[] | undefined;
  /** Undefined: ports absent or empty, i.e. every port and protocol. */
  readonly ports: readonly PortMatcher[] | undefined;
  readonly span: SourceSpan;
}

export interface PolicyModel {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Selector;
  /** policyTypes after upstream defaulting. */
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  /** Rules of the directions in policyTypes only: the others are ignored upstream. */
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
  /** Where findings about the policy's egress isolation point (policyTypes, or the egress key). */
  readonly egressSpan: SourceSpan;
  /** Adds an egress rule to kube-dns on UDP and TCP 53; computed while the text is at hand. */
  readonly addDnsEgressFix: Fix | undefined;
}
