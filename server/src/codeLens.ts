/**
 * Code lenses: above each workload "reachable from N other pods · can reach M
 * other pods" (a pod always reaches itself, so it is left out; its workload's
 * other replicas are counted where policies let them reach one another),
 * above each policy "selects N pods · allows ingress from M pods · allows
 * egress to K pods", above each Service "N endpoints · reachable from M pods";
 * addresses outside the pods that rules admit are named after the pod count.
 * Clicking opens the graph focused on the object (a client command).
 */
import type { CodeLens, Command, Range } from 'vscode-languageserver';
import {
  describeExternal,
  externalReachOf,
  policyExternalIn,
  serviceExternalReach,
  serviceEndpoints,
  type Analysis,
  type LineIndex,
  type ReachSummary,
  type SourceSpan,
} from './engine/index.js';
import { toRange } from './positions.js';
import type { WhatIfResult } from './requests.js';

export const SHOW_GRAPH_COMMAND = 'netlens.showGraph';
/** Lists who can reach a workload; picking one opens the explain view. */
export const WHAT_CAN_REACH_COMMAND = 'netlens.whatCanReach';

/** "3 pods", or "3 other pods" where the count leaves out the pod the lens is on (which always reaches itself). */
function pods(n: number, other = ''): string {
  return `${n} ${other}pod${n === 1 ? '' : 's'}`;
}

/** "4 pods", or "4 pods · the internet (0.0.0.0/0 except 10.0.0.0/8)" when addresses outside the pods are admitted too. */
function podsAndAddresses(n: number, external: string | undefined, other = ''): string {
  return external === undefined ? pods(n, other) : `${pods(n, other)} · ${external}`;
}

/** Opens the what-if panel: the flows opened and closed since the base, each explained. */
export const SHOW_WHAT_IF_COMMAND = 'netlens.showWhatIf';

/** A zero-width range at the start of the line a span starts on, where lenses go. */
function lensRange(lineIndex: LineIndex, span: { start: number }) {
  const r = toRange(lineIndex, { start: span.start, end: span.start });
  return { start: { line: r.start.line, character: 0 }, end: { line: r.start.line, character: 0 } };
}

function flows(n: number): string {
  return n === 0 ? 'no flow' : `${n} flow${n === 1 ? '' : 's'}`;
}

/** Above each policy added or edited since the what-if base: "this change opens 3 flows, closes 12 (vs HEAD)". */
export function whatIfLenses(analysis: Analysis, whatIf: WhatIfResult, uri: string, lineIndex: LineIndex): CodeLens[] {
  if (whatIf.error !== undefined || whatIf.policies === undefined) return [];
  const byId = new Map(whatIf.policies.map((p) => [p.policy, p]));
  return analysis.workspace.policies.flatMap((p) => {
    const change = p.span.file === uri ? byId.get(p.id) : undefined;
    if (change === undefined) return [];
    const title = `this change opens ${flows(change.opened)}, closes ${change.closed === 0 ? 'none' : flows(change.closed)} (vs ${whatIf.base})`;
    return [{ range: lensRange(lineIndex, p.span), command: { title, command: SHOW_WHAT_IF_COMMAND, arguments: [] } }];
  });
}

/**
 * The kustomize root a rendered span belongs to, named by its folder
 * ("overlays/prod"), for a base that several roots render; undefined for a
 * file's own objects.
 */
function renderedBy(span: SourceSpan): string | undefined {
  if (!span.file.endsWith('#rendered')) return undefined;
  const parts = span.file.replace(/#rendered$/, '').split('/');
  return decodeURIComponent(parts.slice(-3, -1).join('/'));
}

/**
 * A lens whose place is known and whose title is worked out when asked: in a
 * file of thousands of objects the editor asks only for the lenses it shows
 * (codeLens/resolve).
 */
export interface LensPlan {
  readonly range: Range;
  command(): Command;
}

export function resolvedLens(plan: LensPlan): CodeLens {
  return { range: plan.range, command: plan.command() };
}

/** A lens already worked out, as a plan. */
export function fixedLens(lens: CodeLens): LensPlan {
  return { range: lens.range, command: () => lens.command! };
}

/** Every lens of a file, worked out (see lensPlans). */
export function codeLenses(
  analysis: Analysis,
  summary: ReachSummary,
  uri: string,
  lineIndex: LineIndex,
  place: (span: SourceSpan) => SourceSpan = (span) => span,
): CodeLens[] {
  return lensPlans(analysis, summary, uri, lineIndex, place).map(resolvedLens);
}

/**
 * The lenses of a file, placed, with their titles left for later.
 * `place` moves a span of rendered text (kustomize, Helm) to where the user
 * sees it, so a base or overlay file gets the lenses of the objects rendered
 * from it; a base that several roots render gets one set per root, each
 * named by the root's folder.
 */
export function lensPlans(
  analysis: Analysis,
  summary: ReachSummary,
  uri: string,
  lineIndex: LineIndex,
  place: (span: SourceSpan) => SourceSpan = (span) => span,
): LensPlan[] {
  const lenses: LensPlan[] = [];
  const ws = analysis.workspace;
  const shown = new Map<SourceSpan, SourceSpan>();
  const here = (span: SourceSpan): boolean => {
    const p = place(span);
    shown.set(span, p);
    return p.file === uri;
  };
  // Roots rendering each shown line: their names go in front of the lens titles only where two or more render one object.
  const rootsAt = new Map<number, Set<string>>();
  const at = (span: SourceSpan) => lensRange(lineIndex, shown.get(span) ?? span);
  const titled = (span: SourceSpan, title: string) => {
    const root = renderedBy(span);
    return root === undefined || (rootsAt.get(at(span).start.line)?.size ?? 0) < 2 ? title : `${root}: ${title}`;
  };
  const objects = [...ws.podGroups, ...ws.policies, ...ws.services].filter((o) => here(o.span));
  for (const o of objects) {
    const root = renderedBy(o.span);
    if (root === undefined) continue;
    const line = at(o.span).start.line;
    rootsAt.set(line, (rootsAt.get(line) ?? new Set()).add(root));
  }
  const mine = new Set(objects);
  for (const g of ws.podGroups) {
    if (!mine.has(g)) continue;
    lenses.push({
      range: at(g.span),
      command: () => {
        const title = g.hostNetwork
          ? 'host network: not subject to NetworkPolicy'
          : `reachable from ${podsAndAddresses(summary.reachableFromCount(g), describeExternal(externalReachOf(analysis.reachability, g)), 'other ')} · can reach ${pods(summary.canReachCount(g), 'other ')}`;
        return { title: titled(g.span, title), command: SHOW_GRAPH_COMMAND, arguments: [{ focus: g.id }] };
      },
    });
    if (!g.hostNetwork) lenses.push({ range: at(g.span), command: () => ({ title: titled(g.span, 'explain…'), command: WHAT_CAN_REACH_COMMAND, arguments: [g.id] }) });
  }
  for (const p of ws.policies) {
    if (!mine.has(p)) continue;
    lenses.push({
      range: at(p.span),
      command: () => {
        const parts = [`selects ${pods(summary.selectedBy(p).pods)}`];
        if (p.affectsIngress) {
          parts.push(p.ingress.length === 0 ? 'denies all ingress' : `allows ingress from ${podsAndAddresses(summary.ingressAllowedFrom(p).pods, describeExternal(policyExternalIn(analysis.reachability, p, 'ingress')))}`);
        }
        if (p.affectsEgress) {
          parts.push(p.egress.length === 0 ? 'denies all egress' : `allows egress to ${podsAndAddresses(summary.egressAllowedTo(p).pods, describeExternal(policyExternalIn(analysis.reachability, p, 'egress')))}`);
        }
        return { title: titled(p.span, parts.join(' · ')), command: SHOW_GRAPH_COMMAND, arguments: [{ focus: p.id, kind: 'policy' }] };
      },
    });
  }
  for (const s of ws.services) {
    if (!mine.has(s)) continue;
    lenses.push({
      range: at(s.span),
      command: () => {
        const endpoints = serviceEndpoints(s, ws.podGroups).reduce((n, e) => n + e.group.replicas, 0);
        const external = endpoints === 0 ? undefined : describeExternal(serviceExternalReach(analysis.reachability, s));
        const reachers = podsAndAddresses(summary.serviceReachableFrom(s).pods, external);
        const title = s.type === 'ExternalName' ? `alias for ${s.externalName ?? '?'}` : `${endpoints} endpoint${endpoints === 1 ? '' : 's'} · reachable from ${reachers}`;
        return { title: titled(s.span, title), command: SHOW_GRAPH_COMMAND, arguments: [{ focus: s.id, kind: 'service' }] };
      },
    });
  }
  return lenses;
}
