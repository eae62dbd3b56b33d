/**
 * All workspace-level findings: the ones that need every file at once.
 */
import { policyFindings, type ClusterRanges } from './policyChecks.js';
import type { Reachability } from './reachability.js';
import type { Finding } from './rules.js';
import { serviceFindings } from './serviceChecks.js';
import type { ExternalComponent } from './externalComponents.js';
import { strandedServiceFindings } from './strandedServices.js';
import type { PolicyModel, ServiceModel } from './model.js';
import type { Reuse, ReuseWhileSame } from './reuse.js';

/** What a memo may answer for: the findings of one policy, or of one Service, that depend on it alone and on the world around it; and whether a Service is stranded. */
export interface CheckReuse {
  readonly policy?: Reuse<PolicyModel>;
  readonly service?: Reuse<ServiceModel>;
  readonly stranded?: ReuseWhileSame<ServiceModel>;
}

export function workspaceFindings(reach: Reachability, ranges: ClusterRanges, externals: readonly ExternalComponent[], reuse: CheckReuse = {}): Finding[] {
  return [...policyFindings(reach, ranges, externals, reuse.policy), ...serviceFindings(reach.workspace, ranges, reuse.service), ...strandedServiceFindings(reach, reuse.stranded)];
}
