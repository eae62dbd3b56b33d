/**
 * The Netlens engine: manifests in, network meaning out. A pure library: no
 * editor APIs, no file I/O. The CLI and the language server both call it.
 */
import { workspaceFindings } from './checks.js';
import { parseManifestFile, type ManifestFile, type ParseOptions } from './manifests.js';
import { Reachability } from './reachability.js';
import type { Finding } from './rules.js';
import { buildWorkspace, type WorkspaceModel } from './workspace.js';

export interface Analysis {
  readonly workspace: WorkspaceModel;
  readonly reachability: Reachability;
  readonly findings: readonly Finding[];
}

export function analyze(files: Iterable<ManifestFile>): Analysis {
  const workspace = buildWorkspace(files);
  const reachability = new Reachability(workspace);
  return { workspace, reachability, findings: [...workspace.parseFindings, ...workspaceFindings(reachability)] };
}

export function analyzeTexts(sources: Iterable<{ file: string; text: string }>, options: ParseOptions = {}): Analysis {
  return analyze([...sources].map((s) => parseManifestFile(s.file, s.text, options)));
}

export { parseManifestFile, type ManifestFile, type ParseOptions } from './manifests.js';
export { Reachability, type PortQuery, type PodClass } from './reachability.js';
export { explainTraffic, type TrafficVerdict, type SideVerdict, type RuleRef } from './explain.js';
export type { Endpoint } from './matching.js';
export { RULES, type Finding, type RuleCode, type Severity } from './rules.js';
export { LineIndex, type SourceSpan, type LineCol } from './source.js';
export { serviceEndpoints, resolveTargetPort, serviceDnsName } from './services.js';
export { describeSelector, selectorMatches } from './labels.js';
export type * from './model.js';
export type { WorkspaceModel } from './workspace.js';
