/**
 * What one analysis of a workspace leaves for the next, so that an edit
 * recomputes only what depends on what it changed. An editor re-parses only
 * the documents an edit touched (DocumentCache), so every other document's
 * pod groups, namespaces, Services and policies are the same objects as
 * before; that identity is what this memo goes by:
 *
 * - pod groups, namespaces and ServiceAccount labels unchanged: the pod
 *   classes and selector sets of the last analysis still hold, and so do the
 *   sets of every policy still there and the rules of every policy group
 *   whose policies are (Reachability's `previous`); the pod list itself is
 *   handed on, so Service endpoints found against it are found once;
 * - those, the cluster ranges and the external components unchanged: a
 *   policy's own findings are those of the last analysis for the same object;
 * - pods and the Service range unchanged: a Service's own findings too;
 * - the cluster ranges unchanged (the same objects): their overlap findings;
 * - the same Service list over the same pods: all Service findings;
 * - the same Services over the same classes: stranded-Service verdicts,
 *   judged again only where a class's rules changed (StrandedServices);
 * - the same classes, and the same classes allowed DNS: each policy's DNS
 *   verdict (DnsVerdicts);
 * - each file's contents, once per version of the file (WorkspaceBuilder),
 *   and the workspace's lists themselves (the same objects) while the
 *   changed files hold the same items for them;
 * - the policy list from its last version (keptLists.ts): an edit replaces
 *   one stretch of it, so the policies' findings in order are the last ones
 *   outside that stretch while a policy's own findings and the DNS verdicts
 *   hold, and the selections the checks walk (policies isolating egress or a
 *   namespace, ordered, denying, a CNI's own kinds) are patched.
 *
 * Anything else (a workload's labels or ports, a namespace's labels, a new
 * pod CIDR) starts that part afresh. Still one pass per analysis: the
 * classes allowed DNS (over the egress-isolating policies), default deny per
 * namespace (over the namespaces), deny shadowing (when deny rules exist),
 * and the gathering of the policies and parse findings.
 */
import type { CheckReuse } from './checks.js';
import type { OverlapReuse } from './clusterChecks.js';
import type { NetworkRange } from './clusterConfig.js';
import type { ExternalComponent } from './externalComponents.js';
import type { Labels } from './labels.js';
import type { NamespaceModel, PolicyModel, ServiceModel } from './model.js';
import type { ClusterRanges } from './policyChecks.js';
import type { Reachability } from './reachability.js';
import type { Reuse } from './reuse.js';
import { StrandedServices } from './strandedServices.js';
import { DnsAllowance, DnsVerdicts } from './dnsEgress.js';
import { KeptLists } from './keptLists.js';
import type { Finding } from './rules.js';
import { sameItems, WorkspaceBuilder, type WorkspaceModel } from './workspace.js';

interface Remembered {
  readonly workspace: WorkspaceModel;
  readonly reachability: Reachability;
  readonly policyWorld: string;
  readonly serviceWorld: string;
}

export interface Reconciled {
  /** The workspace to analyse: the new one, holding the last pod and Service lists when their items are the same. */
  readonly workspace: WorkspaceModel;
  /** The last reachability, when its classes still hold for this workspace. */
  readonly previous: Reachability | undefined;
  readonly reuse: CheckReuse;
}


/** Declared namespaces by identity; implied ones (made afresh each time) by name, which is all they hold. */
function sameNamespaces(a: ReadonlyMap<string, NamespaceModel>, b: ReadonlyMap<string, NamespaceModel>): boolean {
  if (a.size !== b.size) return false;
  const bs = b.values();
  for (const x of a.values()) {
    const y = bs.next().value as NamespaceModel;
    if (x !== y && !(x.span === undefined && y.span === undefined && x.name === y.name)) return false;
  }
  return true;
}

/** Calico selectors can read a ServiceAccount's labels: the same labels objects under the same names. */
function sameServiceAccounts(a: ReadonlyMap<string, Labels>, b: ReadonlyMap<string, Labels>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, labels] of a) if (b.get(name) !== labels) return false;
  return true;
}

function externalsKey(externals: readonly ExternalComponent[]): string {
  return JSON.stringify(externals, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
}

function memoOf<K extends object>(map: WeakMap<K, readonly Finding[]>): Reuse<K> {
  return (key, compute) => {
    let found = map.get(key);
    if (found === undefined) map.set(key, (found = compute()));
    return found;
  };
}

export class AnalysisMemo {
  /** Each file's contents and the workspace's definitions, gathered once per version of a file. */
  readonly workspaceBuilder = new WorkspaceBuilder();
  private last: Remembered | undefined;
  private lastOverlaps: { readonly ranges: readonly NetworkRange[]; readonly settingsKey: string; readonly findings: readonly Finding[] } | undefined;

  /** @internal The cluster ranges' overlap findings: the last ones when the ranges are the same objects and the settings' ranges the same. */
  readonly overlaps: OverlapReuse = (ranges, settingsKey, compute) => {
    const last = this.lastOverlaps;
    if (last !== undefined && last.settingsKey === settingsKey && sameItems(last.ranges, ranges)) return last.findings;
    const findings = compute();
    this.lastOverlaps = { ranges, settingsKey, findings };
    return findings;
  };
  private policyFindings = new WeakMap<PolicyModel, readonly Finding[]>();
  private serviceFindings = new WeakMap<ServiceModel, readonly Finding[]>();
  private serviceListFindings = new WeakMap<readonly ServiceModel[], readonly Finding[]>();
  /** Carried on while the Services and the pod classes are the same objects. */
  private stranded: StrandedServices | undefined;
  /** Selections of the policies (they depend on each policy alone), and the policies' findings in order while policyFindings holds. */
  /** @internal */
  readonly policyLists = new KeptLists<PolicyModel>();
  /** Carried on while the pod classes are the same objects and the classes allowed DNS the same set. */
  private dns: DnsVerdicts | undefined;
  /** The classes allowed DNS, carried from the last egress-isolating policies while the classes are the same. */
  private allowance: DnsAllowance | undefined;

  /** @internal Compares a new workspace with the last one and drops what the difference invalidates. */
  reconcile(workspace: WorkspaceModel, ranges: ClusterRanges, externals: readonly ExternalComponent[]): Reconciled & { readonly worlds: { policy: string; service: string } } {
    const worlds = {
      policy: JSON.stringify([ranges.podCIDRs.map(String), ranges.serviceCIDRs.map(String), ranges.clustersKey ?? '', externalsKey(externals)]),
      service: JSON.stringify([ranges.serviceCIDRs.map(String), ranges.clustersKey ?? '']),
    };
    const last = this.last;
    const samePods = last !== undefined && sameItems(last.workspace.podGroups, workspace.podGroups);
    const sameClasses = samePods && sameNamespaces(last.workspace.namespaces, workspace.namespaces) && sameServiceAccounts(last.workspace.serviceAccounts, workspace.serviceAccounts);
    const sameServices = last !== undefined && sameItems(last.workspace.services, workspace.services);
    if (!sameClasses || last.policyWorld !== worlds.policy) {
      this.policyFindings = new WeakMap();
      this.policyLists.forgetOutputs();
    }
    if (!samePods || last.serviceWorld !== worlds.service) {
      this.serviceFindings = new WeakMap();
      this.serviceListFindings = new WeakMap();
    }
    return {
      workspace: {
        ...workspace,
        ...(samePods ? { podGroups: last.workspace.podGroups } : {}),
        ...(sameServices ? { services: last.workspace.services } : {}),
      },
      previous: sameClasses ? last.reachability : undefined,
      reuse: {
        policy: memoOf(this.policyFindings),
        service: memoOf(this.serviceFindings),
        services: memoOf(this.serviceListFindings),
        stranded: (reach) => (this.stranded = this.stranded?.fits(reach) ? this.stranded : new StrandedServices(reach)),
        policyLists: this.policyLists,
        dns: (reach, egressPolicies) => {
          this.allowance = this.allowance?.next(reach, egressPolicies) ?? DnsAllowance.of(reach, egressPolicies);
          const allowed = this.allowance.allowed;
          return (this.dns = this.dns?.fits(reach, allowed) ? this.dns : new DnsVerdicts(reach.classes, allowed));
        },
      },
      worlds,
    };
  }

  /** @internal */
  remember(workspace: WorkspaceModel, reachability: Reachability, worlds: { policy: string; service: string }): void {
    this.last = { workspace, reachability, policyWorld: worlds.policy, serviceWorld: worlds.service };
  }
}
