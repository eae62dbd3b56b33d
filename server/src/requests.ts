/**
 * Custom LSP requests and notifications between the client and the server,
 * declared once: method names and payload types, no library imports, so the
 * client, the server and the webview can all import this module.
 */

import type { ExplainReport } from './engine/explainReport.js';
export type { ExplainReport, ReportDirection, ReportLink, ReportRule, ReportFix } from './engine/explainReport.js';

/** Server → client, once start-up indexing is done. */
export const INDEXED = 'netlens/indexed';
export interface IndexedParams {
  readonly files: number;
}

/** Client → server: the model's size, for the status bar. */
export const SUMMARY = 'netlens/summary';
export interface SummaryResult {
  readonly pods: number;
  readonly workloads: number;
  readonly policies: number;
  readonly services: number;
  /** Set when the workspace's CNI does not enforce NetworkPolicy, or kustomize roots go unrendered for want of the binary. */
  readonly warning?: string;
}

/** Client → server: the pod groups, for pickers. */
export const LIST_WORKLOADS = 'netlens/workloads';
export interface WorkloadInfo {
  readonly id: string;
  readonly kind: string;
  readonly replicas: number;
  readonly uri: string;
  readonly line: number;
  readonly ports: readonly string[];
}

/** Client → server: is this connection allowed, and why. */
export const EXPLAIN = 'netlens/explain';
export interface ExplainParams {
  /** A workload id ("namespace/name"), a name found in one namespace only, or an IP address. */
  readonly source: string;
  readonly destination: string;
  /** Absent: every port the destination declares. */
  readonly port?: number;
  /** Absent: TCP with a port, any protocol without. */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}
export interface RuleTrace {
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: number;
  readonly uri: string;
  readonly line: number;
}
export interface ExplainResult {
  readonly allowed: boolean;
  /** A short account, line by line. */
  readonly lines: readonly string[];
  /** The rules that admit the connection. */
  readonly rules: readonly RuleTrace[];
  /** The full explanation (absent when an end is unknown): what `netlens explain --json` prints. */
  readonly report?: ExplainReport;
}

/** Client → server: who can reach a workload, on which ports. */
export const REACHERS = 'netlens/reachers';
export interface ReachersParams {
  readonly id: string;
}
export interface ReachersResult {
  readonly target: string;
  readonly sources: ReadonlyArray<{ readonly id: string; readonly replicas: number }>;
  /** Addresses outside the pods that may connect ("the internet (0.0.0.0/0 except 10.0.0.0/8)"), when any. */
  readonly external?: string;
}

/** Client → server: what the edits since a git ref do to reachability (netlens diff, live). */
export const WHAT_IF = 'netlens/whatIf';
export interface WhatIfParams {
  /** Default HEAD. */
  readonly base?: string;
}
export interface FlowChangeInfo {
  readonly change: 'opened' | 'closed';
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly why: string;
}
export interface WhatIfResult {
  readonly base: string;
  readonly opened: number;
  readonly closed: number;
  readonly changes: readonly FlowChangeInfo[];
  /** Per policy added, removed or edited since the base: the changes it takes part in (for its lens). */
  readonly policies?: ReadonlyArray<{ readonly policy: string; readonly opened: number; readonly closed: number }>;
  /** Set when there is nothing to compare against (no folder, not a git repository, unknown ref). */
  readonly error?: string;
}

/** Server → client, after each analysis that changed the model (for live views). */
export const MODEL_CHANGED = 'netlens/modelChanged';
export interface ModelChangedParams {
  readonly version: number;
}

// ---- the reachability graph ------------------------------------------------

/** Client → server: the reachability graph, for the graph panel. */
export const GRAPH = 'netlens/graph';

export interface SourceLink {
  readonly uri: string;
  /** 0-based. */
  readonly line: number;
}

export interface GraphNodeData {
  readonly id: string;
  readonly kind: 'namespace' | 'workload' | 'cidr' | 'any';
  readonly label: string;
  /** The namespace node a workload sits in. */
  readonly parent?: string;
  /** Workloads: "namespace/name", as the CLI and code lenses name them. */
  readonly ref?: string;
  readonly workloadKind?: string;
  readonly replicas?: number;
  readonly labels?: ReadonlyArray<readonly [string, string]>;
  readonly ports?: readonly string[];
  readonly isolatedIngress?: boolean;
  readonly isolatedEgress?: boolean;
  readonly hostNetwork?: boolean;
  /** Ids of the policies selecting a workload ("namespace/name"). */
  readonly policies?: readonly string[];
  /** Ids of the Services a workload backs ("namespace/name"). */
  readonly services?: readonly string[];
  readonly source?: SourceLink;
}

export interface GraphRuleData {
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  /** 0-based position in the policy's ingress or egress list. */
  readonly rule: number;
  /** The rule in plain English. */
  readonly text: string;
  /** Where the rule decides: "the NetworkPolicy tier", "the admin tier at priority 10", "Calico tier security at order 100". */
  readonly decidesIn: string;
  readonly source: SourceLink;
}

export interface GraphEdgeData {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly ports: readonly string[];
  /** Decided by a policy rule at one end (true) or let through by the default allow at both (false). */
  readonly explicit: boolean;
  /** One end is a namespace standing for each of its workloads. */
  readonly aggregated?: boolean;
  /** Allowed only by rules admitting every peer (or no isolation) at both ends: drawn as node badges unless asked. */
  readonly allowAll?: boolean;
  /** Indices into GraphData.rules: the rules that decided to let the flow through. */
  readonly rules: readonly number[];
  /** The ends where the default allow decided on some of the ports: no policy has a say there, or every tier passed it on. */
  readonly byDefault?: readonly ('ingress' | 'egress')[];
  /** Application-layer filters of those rules (HTTP, Kafka, DNS): the flow is decided at L4 and L7-filtered by the CNI. */
  readonly l7?: readonly string[];
}

export interface GraphData {
  /** The model version it was computed from. */
  readonly version: number;
  readonly nodes: readonly GraphNodeData[];
  readonly edges: readonly GraphEdgeData[];
  /** Every rule an edge cites, once. */
  readonly rules: readonly GraphRuleData[];
}

/** What to select when the panel opens from a code lens: a workload, a policy or a Service id. */
export interface GraphFocus {
  readonly focus: string;
  readonly kind?: 'workload' | 'policy' | 'service';
}

// ---- messages between the graph panel (extension host) and its webview -----

export type HostToWebviewMessage =
  | { readonly type: 'graph'; readonly graph: GraphData; readonly focus?: GraphFocus }
  | { readonly type: 'focus'; readonly focus: GraphFocus }
  | { readonly type: 'exported'; readonly format: 'png' | 'svg'; readonly path: string };

export type WebviewToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'open'; readonly uri: string; readonly line: number }
  | { readonly type: 'explain'; readonly source: string; readonly destination: string }
  | { readonly type: 'export'; readonly format: 'png' | 'svg'; readonly data: string };

// ---- messages between the explain panel (extension host) and its webview ---

export type HostToExplainMessage =
  | { readonly type: 'explain'; readonly report: ExplainReport }
  | { readonly type: 'error'; readonly message: string }
  /** The what-if view: the flows the edits since a git ref open and close. */
  | { readonly type: 'whatIf'; readonly result: WhatIfResult };

/** A near miss's change, by position in the report the host holds: the page never hands over edits. */
export interface FixRef {
  /** Index into report.ports. */
  readonly port: number;
  readonly direction: 'ingress' | 'egress';
  readonly miss: number;
  readonly change: number;
}

export type ExplainToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'open'; readonly uri: string; readonly line: number }
  | ({ readonly type: 'fix' } & FixRef)
  /** The what-if view: explain the flow change at this index of the result the host holds. */
  | { readonly type: 'explainFlow'; readonly index: number };
