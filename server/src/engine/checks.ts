/**
 * All workspace-level findings: the ones that need every file at once.
 */
import { policyFindings, type ClusterRanges } from './policyChecks.js';
import type { Reachability } from './reachability.js';
import type { Finding } from './rules.js';
import { serviceFindings } from './serviceChecks.js';
import type { ExternalComponent } from './externalComponents.js';
import { StrandedServices } from './strandedServices.js';
import { tierFindings } from './tierChecks.js';
import type { PolicyModel, ServiceModel } from './model.js';
import { computeAlways, type Reuse } from './reuse.js';
import type { DnsVerdicts } from './dnsEgress.js';
import type { ListReuse } from './keptLists.js';

/** What a memo may answer for: the findings of one policy, or of one Service, that depend on it alone and on the world around it; and whether a Service is stranded. */
export interface CheckReuse {
  readonly policy?: Reuse<PolicyModel>;
  readonly service?: Reuse<ServiceModel>;
  /** All Service findings, for the same list of Services over the same pods. */
  readonly services?: Reuse<readonly ServiceModel[]>;
  /** The stranded-Service judge to carry on, when it fits this reachability. */
  readonly stranded?: (reach: Reachability) => StrandedServices;
  /** The DNS verdicts for these policies isolating egress: carried on when they fit these classes and the classes allowed DNS. */
  readonly dns?: (reach: Reachability, egressPolicies: readonly PolicyModel[]) => DnsVerdicts;
  /** Selections of the policies and their findings in order, carried from the last policy list. */
  readonly policyLists?: ListReuse<PolicyModel>;
}

export function workspaceFindings(reach: Reachability, ranges: ClusterRanges, externals: readonly ExternalComponent[], reuse: CheckReuse = {}): Finding[] {
  return [...policyFindings(reach, ranges, externals, reuse.policy, reuse.dns, reuse.policyLists), ...(reuse.services ?? computeAlways)(reach.workspace.services, () => serviceFindings(reach.workspace, ranges, reuse.service)), ...(reuse.stranded?.(reach) ?? new StrandedServices(reach)).findings(reach), ...tierFindings(reach)];
}
