/**
 * The Netlens engine: manifests in, network meaning out. A pure library: no
 * editor APIs, no file I/O. The CLI and the language server both call it.
 */
import { workspaceFindings } from './checks.js';
import { clusterFindings, clusterSummary, type ClusterSummary } from './clusterChecks.js';
import { parsePrefix, type Prefix } from './cidr.js';
import { capFindingsPerFile } from './findingCap.js';
import { parseManifestFile, type ManifestFile, type ParseOptions } from './manifests.js';
import { Reachability } from './reachability.js';
import type { Finding } from './rules.js';
import { buildWorkspace, type WorkspaceModel } from './workspace.js';
import { BUILTIN_COMPONENTS, type ExternalComponent } from './externalComponents.js';
import type { AnalysisMemo } from './analysisMemo.js';

export interface Analysis {
  readonly workspace: WorkspaceModel;
  readonly reachability: Reachability;
  readonly findings: readonly Finding[];
  /** The CNI and the effective pod and Service ranges. */
  readonly cluster: ClusterSummary;
}

export interface AnalyzeOptions {
  /** Pod network ranges (settings: netlens.podCIDR); cluster config files override them. */
  readonly podCIDRs?: readonly string[];
  /** Service ClusterIP ranges (settings: netlens.serviceCIDR); cluster config files override them. */
  readonly serviceCIDRs?: readonly string[];
  /** netlens.cni: auto, or the CNI when no config file tells. */
  readonly cni?: string;
  /** netlens.underlayMTU: the node network's MTU. */
  readonly underlayMTU?: number;
  /** Where underlayMTU was set, named in findings; netlens.underlayMTU when not given. */
  readonly underlayMTUOrigin?: string;
  /** Components running outside the workspace (from .netlens.yaml), besides the built-in ones (CoreDNS, the API server). */
  readonly externalComponents?: readonly ExternalComponent[];
}

export const DEFAULT_POD_CIDRS: readonly string[] = ['10.244.0.0/16'];
export const DEFAULT_SERVICE_CIDRS: readonly string[] = ['10.96.0.0/12'];

function prefixes(texts: readonly string[]): Prefix[] {
  return texts.flatMap((t) => {
    const p = parsePrefix(t.trim());
    return p.ok ? [p.value.canonical()] : [];
  });
}

/**
 * With a memo (an editor keeps one per workspace), each call reuses what the
 * last call through the same memo computed for objects the change left alone;
 * the result is the same as without one (see analysisMemo.ts).
 */
export function analyze(files: Iterable<ManifestFile>, options: AnalyzeOptions = {}, memo?: AnalysisMemo): Analysis {
  const built = memo !== undefined ? memo.workspaceBuilder.build(files) : buildWorkspace(files);
  const clusterOptions = {
    podCIDRs: prefixes(options.podCIDRs ?? DEFAULT_POD_CIDRS),
    serviceCIDRs: prefixes(options.serviceCIDRs ?? DEFAULT_SERVICE_CIDRS),
    ...(options.cni !== undefined ? { cni: options.cni } : {}),
    ...(options.underlayMTU !== undefined ? { underlayMTU: options.underlayMTU } : {}),
    ...(options.underlayMTUOrigin !== undefined ? { underlayMTUOrigin: options.underlayMTUOrigin } : {}),
  };
  const cluster = clusterSummary(built.cluster, clusterOptions);
  const ranges = { podCIDRs: cluster.podCIDRs, serviceCIDRs: cluster.serviceCIDRs, forFile: cluster.forFile, clustersKey: cluster.clustersKey };
  const externals = [...BUILTIN_COMPONENTS, ...(options.externalComponents ?? [])];
  const reconciled = memo?.reconcile(built, ranges, externals);
  const workspace = reconciled?.workspace ?? built;
  const reachability = new Reachability(workspace, reconciled?.previous);
  if (reconciled !== undefined) memo!.remember(workspace, reachability, reconciled.worlds);
  return {
    workspace,
    reachability,
    cluster,
    // Parse findings are already capped per document; the workspace checks compare objects pairwise, so cap those per file.
    findings: [
      ...workspace.parseFindings,
      ...capFindingsPerFile([...workspaceFindings(reachability, ranges, externals, reconciled?.reuse), ...clusterFindings(workspace, cluster, clusterOptions, memo?.overlaps, memo?.policyLists)]),
    ],
  };
}

export function analyzeTexts(sources: Iterable<{ file: string; text: string }>, options: ParseOptions & AnalyzeOptions = {}): Analysis {
  return analyze(
    [...sources].map((s) => parseManifestFile(s.file, s.text, options)),
    options,
  );
}

export { parseManifestFile, type ManifestFile, type ParseOptions } from './manifests.js';
export { CLUSTER_POLICY_KINDS, clusterPolicyActions } from './buildClusterPolicy.js';
export { Reachability, standsForOnePod, type PortQuery, type PodClass } from './reachability.js';
export { explainTraffic, type TrafficVerdict, type SideVerdict, type RuleRef } from './explain.js';
export type { Endpoint } from './matching.js';
export { RULES, type Finding, type Fix, type TextEdit, type RuleCode, type Severity } from './rules.js';
export { RULE_GUIDANCE, type RuleGuidance } from './ruleGuidance.js';
export { parsePrefix, parseIP, formatIP, RangeSet, Prefix, IPAddress, type Family } from './cidr.js';
export { DocumentCache, manifestOfChunks, parseChunks, splitDocuments, type DocumentChunk, type ManifestDocument } from './manifests.js';
export { AnalysisMemo } from './analysisMemo.js';
export { LineIndex, type SourceSpan, type LineCol } from './source.js';
export { serviceEndpoints, resolveTargetPort, serviceDnsName } from './services.js';
export { describeSelector, selectorMatches } from './labels.js';
export type * from './model.js';
export type { WorkspaceModel } from './workspace.js';
export { describeDecidingPlace, describePolicy, describePeer, describePort, describeRule } from './describe.js';
export { isEmptySelector } from './labels.js';
export { ReachSummary, type PodSet } from './summary.js';
export { buildGraph, GraphMemo, ANY_NODE_ID, type ReachabilityGraph, type GraphFlow, type GraphWorkload, type GraphExternal, type GraphNamespace } from './graph.js';
export type { RuleOfPolicy } from './reachability.js';
export { clusterSummary, clusterFindings, type ClusterSummary, type ClusterOptions } from './clusterChecks.js';
export { ENCAPSULATION_OVERHEAD, ENFORCING_CNIS, type ClusterFacts, type NetworkRange, type NetworkRole, type CniName } from './clusterConfig.js';
export { BUILTIN_COMPONENTS, type ExternalComponent } from './externalComponents.js';
export { readProjectConfig, PROJECT_CONFIG_FILE, type ProjectConfig } from './projectConfig.js';
export {
  explainConnection,
  declaredPorts,
  resolveEndpoint,
  type ConnectionExplanation,
  type ConnectionQuery,
  type DirectionExplanation,
  type NearMiss,
  type NeededChange,
} from './explainConnection.js';
export { explanationReport, formatExplainReport, type ExplainReport } from './explainReport.js';
export { didYouMean, editDistance, typoDistance } from './nearest.js';
export { externalReachOf, serviceExternalReach, policyExternal, policyExternalIn, describeExternal, type ExternalReach } from './externalReach.js';
export { flowChangesByPolicy, flowDiff, type FlowChange, type AnalysedVersion, type PolicyFlowChanges } from './flowDiff.js';
