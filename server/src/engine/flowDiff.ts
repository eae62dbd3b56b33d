/**
 * What a change does to reachability: the flows (source → destination on a
 * port the destination declares) one version allows and the other does not,
 * each with the reason from the newer version's explanation. Both versions
 * come in as analyses; reading them (git, files) is the caller's business.
 */
import { explainConnection } from './explainConnection.js';
import type { DirectionExplanation } from './explainConnection.js';
import { directionSummary } from './explainReport.js';
import type { PodGroup, PolicyModel, Protocol } from './model.js';
import type { Reachability } from './reachability.js';
import type { WorkspaceModel } from './workspace.js';

export interface AnalysedVersion {
  readonly workspace: WorkspaceModel;
  readonly reachability: Reachability;
}

export interface FlowChange {
  readonly change: 'opened' | 'closed';
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Why, in the newer version: the rules that now allow it, or what now denies it. */
  readonly why: string;
}

const key = (s: string, d: string, port: number, protocol: Protocol) => `${s}\u0000${d}\u0000${port}\u0000${protocol}`;

/** Allowed flows on the ports destinations declare: key → [source, destination, port, protocol]. */
function allowedFlows(v: AnalysedVersion): Map<string, [PodGroup, PodGroup, number, Protocol]> {
  const groups = v.workspace.podGroups;
  const ports = new Map<string, [number, Protocol]>();
  for (const g of groups) for (const p of g.ports) ports.set(`${p.port}/${p.protocol}`, [p.port, p.protocol]);
  const flows = new Map<string, [PodGroup, PodGroup, number, Protocol]>();
  for (const [port, protocol] of ports.values()) {
    const { allowed } = v.reachability.groupMatrix({ port, protocol });
    groups.forEach((d, j) => {
      if (!d.ports.some((p) => p.port === port && p.protocol === protocol)) return;
      groups.forEach((s, i) => {
        if (i !== j && allowed[i]![j]) flows.set(key(s.id, d.id, port, protocol), [s, d, port, protocol]);
      });
    });
  }
  return flows;
}

function sideReason(d: DirectionExplanation): string {
  return `${d.direction} of ${d.subject} ${directionSummary(d)}`;
}

function why(head: AnalysedVersion, source: string, destination: string, port: number, protocol: Protocol): string {
  const s = head.workspace.podGroups.find((g) => g.id === source);
  const d = head.workspace.podGroups.find((g) => g.id === destination);
  if (s === undefined || d === undefined) return `${s === undefined ? source : destination} is no longer in the workspace`;
  const e = explainConnection(head.workspace, head.reachability.namespaceLabels, { source: { kind: 'pod', group: s }, destination: { kind: 'pod', group: d }, ports: [[port, protocol]] }).ports[0]!;
  // The sides that had a say: isolated by a policy, or where cluster-wide tiers, Calico's order or deny rules were asked (a Pass hands on, and says so).
  const hadSay = (x: DirectionExplanation) => x.isolated || x.tiers !== undefined || x.ordered !== undefined || (x.denials?.length ?? 0) > 0;
  if (e.allowed) return [e.egress, e.ingress].filter(hadSay).map(sideReason).join('; ') || 'no policy isolates either side';
  return [e.egress, e.ingress].filter((x) => !x.allowed).map(sideReason).join('; ');
}

/** Flows opened and closed going from base to head, sorted by source, destination, port. */
export function flowDiff(base: AnalysedVersion, head: AnalysedVersion): FlowChange[] {
  const before = allowedFlows(base);
  const after = allowedFlows(head);
  const out: FlowChange[] = [];
  for (const [k, [s, d, port, protocol]] of after) if (!before.has(k)) out.push({ change: 'opened', source: s.id, destination: d.id, port, protocol, why: why(head, s.id, d.id, port, protocol) });
  for (const [k, [s, d, port, protocol]] of before) if (!after.has(k)) out.push({ change: 'closed', source: s.id, destination: d.id, port, protocol, why: why(head, s.id, d.id, port, protocol) });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.source, b.source) || cmp(a.destination, b.destination) || a.port - b.port || cmp(a.protocol, b.protocol) || cmp(a.change, b.change));
}

export interface PolicyFlowChanges {
  /** namespace/name, as PolicyModel.id. */
  readonly policy: string;
  readonly opened: number;
  readonly closed: number;
}

/** A policy's content without where it is written: moving it within a file or reformatting is no change. */
function policyContent(p: PolicyModel): string {
  return JSON.stringify(p, function (this: Record<string, unknown>, k, v: unknown) {
    if (/spans?$/i.test(k) || /Fix(es)?$/.test(k)) return undefined;
    // An invalid selector's key names where it is written (it matches nothing, and no other selector).
    if (k === 'key' && this['valid'] === false) return undefined;
    // CIDRs hold their bounds as bigint, which JSON has no form for.
    return typeof v === 'bigint' ? v.toString() : v;
  });
}

/**
 * The flow changes each changed policy takes part in: a policy added, removed
 * or edited between base and head counts a change when, in either version, it
 * selects the destination for ingress or the source for egress. One change can
 * count for several policies; these are for a lens on each, not a sum.
 */
export function flowChangesByPolicy(base: AnalysedVersion, head: AnalysedVersion, changes: readonly FlowChange[]): PolicyFlowChanges[] {
  const classes = new Map<AnalysedVersion, Map<string, number>>();
  const classById = (v: AnalysedVersion) => {
    let m = classes.get(v);
    if (m === undefined) classes.set(v, (m = new Map(v.workspace.podGroups.map((g) => [g.id, v.reachability.classOf(g)]))));
    return m;
  };
  const before = new Map(base.workspace.policies.map((p) => [p.id, p]));
  const after = new Map(head.workspace.policies.map((p) => [p.id, p]));
  const out: PolicyFlowChanges[] = [];
  for (const id of new Set([...after.keys(), ...before.keys()])) {
    const old = before.get(id);
    const now = after.get(id);
    if (old !== undefined && now !== undefined && policyContent(old) === policyContent(now)) continue;
    const versions: Array<[AnalysedVersion, PolicyModel]> = [];
    if (old !== undefined) versions.push([base, old]);
    if (now !== undefined) versions.push([head, now]);
    const involved = (c: FlowChange) =>
      versions.some(([v, p]) => {
        const selected = v.reachability.selectedClasses(p);
        const s = classById(v).get(c.source);
        const d = classById(v).get(c.destination);
        return (p.affectsIngress && d !== undefined && selected.has(d)) || (p.affectsEgress && s !== undefined && selected.has(s));
      });
    const mine = changes.filter(involved);
    const opened = mine.filter((c) => c.change === 'opened').length;
    out.push({ policy: id, opened, closed: mine.length - opened });
  }
  return out.sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
}
