/**
 * Custom LSP requests and notifications between the client and the server,
 * declared once: method names and payload types, no library imports, so the
 * client, the server and the webview can all import this module.
 */

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
  /** Set when the workspace's CNI does not enforce NetworkPolicy. */
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
  /** A workload id ("namespace/name") or an IP address. */
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
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
  readonly rules: readonly RuleTrace[];
}

/** Client → server: who can reach a workload, on which ports. */
export const REACHERS = 'netlens/reachers';
export interface ReachersParams {
  readonly id: string;
}
export interface ReachersResult {
  readonly target: string;
  readonly sources: ReadonlyArray<{ readonly id: string; readonly replicas: number }>;
}
