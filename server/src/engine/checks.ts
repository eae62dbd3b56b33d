/**
 * All workspace-level findings: the ones that need every file at once.
 */
import { policyFindings, type ClusterRanges } from './policyChecks.js';
import type { Reachability } from './reachability.js';
import type { Finding } from './rules.js';
import { serviceFindings } from './serviceChecks.js';
import type { ExternalComponent } from './externalComponents.js';

export function workspaceFindings(reach: Reachability, ranges: ClusterRanges, externals: readonly ExternalComponent[]): Finding[] {
  return [...policyFindings(reach, ranges, externals), ...serviceFindings(reach.workspace, ranges)];
}
