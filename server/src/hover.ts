/**
 * Hovers: the pods a selector or peer picks, CIDR facts, the policy in plain
 * English, a Service's DNS name and endpoints, the policies over a workload.
 */
import type { Hover, MarkupContent } from 'vscode-languageserver';
import {
  describePeer,
  describePolicy,
  describeRule,
  describeExternal,
  describeSelector,
  externalReachOf,
  formatIP,
  parseIP,
  parsePrefix,
  Prefix,
  serviceDnsName,
  serviceEndpoints,
  serviceExternalReach,
  selectorMatches,
  type Analysis,
  type ClusterSummary,
  type NetworkRange,
  type LineIndex,
  type PeerMatcher,
  type PodGroup,
  type PodSet,
  type PolicyModel,
  type ReachSummary,
  type SourceSpan,
} from './engine/index.js';
import { fieldHoverAt } from './fieldHover.js';
import { targetAt } from './locate.js';
import { toRange } from './positions.js';

const MAX_LISTED = 12;

/** Markdown text with anything that could be markup escaped (label values can hold anything). */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/**
 * A code span holding text exactly as written: CommonMark reads no escapes
 * inside one, so md() there would show its backslashes. The fence is one
 * backtick longer than the longest run inside, so no backtick can close it.
 */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A space pads content that starts or ends with a backtick, or it would merge with the fence.
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** Where the user sees a span: its file and 1-based line (a rendered object's in its base or overlay file). */
type Locate = (span: SourceSpan) => { readonly file: string; readonly line: number };

function linkTo(group: PodGroup, locate: Locate): string {
  const { file, line } = locate(group.nameSpan);
  // An angle-bracket destination: a URI with ( or ) cannot end the link early (pathToFileURL encodes < and >).
  return `[${md(group.id)}](<${file}#L${line}>)`;
}

function listPods(set: PodSet, locate: Locate): string {
  if (set.groups.length === 0) return '_none in the workspace_';
  const lines = set.groups.slice(0, MAX_LISTED).map((g) => `- ${linkTo(g, locate)}${g.replicas !== 1 ? ` ×${g.replicas}` : ''} (${g.kind})`);
  if (set.groups.length > MAX_LISTED) lines.push(`- … and ${set.groups.length - MAX_LISTED} more`);
  return lines.join('\n');
}

/** " and the internet (0.0.0.0/0 except 10.0.0.0/8)", escaped; empty when no address outside the pods is admitted. */
function andAddresses(external: string | undefined): string {
  return external === undefined ? '' : ` and ${md(external)}`;
}

/** The flows of a workload that rules with L7 filters (Cilium HTTP, Kafka, DNS) let through: decided at L4, filtered further by the CNI. */
function l7Lines(analysis: Analysis, group: PodGroup): string[] {
  if (group.hostNetwork) return [];
  const reach = analysis.reachability;
  const c = reach.classOf(group);
  const filtered = (['ingress', 'egress'] as const).flatMap((direction) => reach.rulesFor(c, direction).filter(({ rule }) => rule.l7 !== undefined));
  if (filtered.length === 0) return [];
  return ['', 'L7-filtered flows (decided here at L4; the CNI also filters their requests):', ...filtered.map(({ policy, rule }) => `- ${md(`${policy.id} ${rule.direction} rule ${rule.index + 1}: ${describeRule(policy, rule)}`)}`)];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Per-node slices of a cluster range: how many nodes it serves and how many addresses each gets. */
function perNodeRows(range: NetworkRange): string[] {
  const n = range.perNodePrefix;
  const maxBits = range.prefix.family === 4 ? 32 : 128;
  if (n === undefined || n < range.prefix.bits || n > maxBits) return [];
  const nodes = 1n << BigInt(n - range.prefix.bits);
  const perNode = 1n << BigInt(maxBits - n);
  return [
    `| per node | \`/${n}\` (${md(range.origin)}) |`,
    `| nodes | ${nodes.toLocaleString('en-US')} |`,
    `| addresses per node | ${perNode.toLocaleString('en-US')}${range.prefix.family === 4 && perNode >= 4n ? ` (${(perNode - 3n).toLocaleString('en-US')} for pods: less network, broadcast and gateway)` : ''} |`,
  ];
}

export function cidrFacts(text: string, cluster: Pick<ClusterSummary, 'podCIDRs' | 'serviceCIDRs'>, range?: NetworkRange): string {
  const asPrefix = text.includes('/') ? parsePrefix(text) : undefined;
  const ip = asPrefix === undefined ? parseIP(text) : undefined;
  const prefix = asPrefix?.ok ? asPrefix.value : ip?.ok ? new Prefix(ip.value, ip.value.family === 4 ? 32 : 128) : undefined;
  if (prefix === undefined) return '';
  const c = prefix.canonical();
  const rows = [
    `**\`${text}\`** — IPv${prefix.family} ${asPrefix ? 'network' : 'address'}${range ? ` — the cluster's ${range.role === 'pod' ? 'pod network' : range.role === 'service' ? 'Service network' : range.role === 'node' ? 'node address' : 'secondary network'}` : ''}`,
    '',
    `| | |`,
    `|---|---|`,
    `| network | \`${c.toString()}\`${prefix.isCanonical ? '' : ' (host bits set in the text)'} |`,
    `| first | \`${formatIP(c.family, c.first)}\` |`,
    `| last | \`${formatIP(c.family, c.last)}\` |`,
    `| addresses | ${c.size.toLocaleString('en-US')} |`,
    ...(range ? perNodeRows(range) : []),
  ];
  const known: Array<[string, Prefix]> = [
    ...cluster.podCIDRs.map((p): [string, Prefix] => ['pod CIDR', p]),
    ...cluster.serviceCIDRs.map((p): [string, Prefix] => ['Service CIDR', p]),
  ];
  const overlaps: string[] = [];
  for (const [what, k] of known) {
    if (k.family !== c.family || !k.overlaps(c)) continue;
    const relation = k.first === c.first && k.last === c.last ? 'is' : k.contains(c) ? 'inside' : c.contains(k) ? 'contains' : 'overlaps';
    overlaps.push(`${relation} the ${what} \`${k.toString()}\``);
  }
  rows.push('', overlaps.length > 0 ? `This range ${overlaps.join('; ')}.` : 'Overlaps no known cluster range.');
  return rows.join('\n');
}

/**
 * Where a selector matches nothing because the workspace declares no workloads in the namespaces it looks in,
 * the hover says so: no diagnostic does (on vendor installs and GitOps splits it was noise), but the reader
 * asking "which pods?" should learn why the list is empty. Empty when some namespace looked in runs workloads.
 */
function notInWorkspace(analysis: Analysis, namespaces: readonly string[], where: string): string {
  const running = new Set(analysis.workspace.podGroups.filter((g) => !g.hostNetwork).map((g) => g.namespace));
  if (namespaces.some((ns) => running.has(ns))) return '';
  return `Pods not in the workspace: it declares no workloads in ${where}, so these pods are deployed from elsewhere and cannot be listed or checked here (declare them under \`external\` in .netlens.yaml to have them checked).`;
}

function peerElsewhere(analysis: Analysis, policy: PolicyModel, peer: PeerMatcher, admitted: number): string[] {
  if (admitted > 0 || peer.kind !== 'pods') return [];
  const selector = peer.namespaceSelector;
  const namespaces = selector === undefined ? [policy.namespace] : [...analysis.workspace.namespaces.values()].filter((ns) => selectorMatches(selector, ns.labels)).map((ns) => ns.name);
  const where = selector === undefined || namespaces.length > 0 ? namespaces.map((ns) => `namespace ${md(ns)}`).join(', ') : 'the namespaces it selects';
  const said = notInWorkspace(analysis, namespaces, where);
  return said === '' ? [] : ['', said];
}

/**
 * `place` moves a span of rendered text (kustomize, Helm) to where the user
 * sees it: the hover's range and the links to pods land in the files they edit.
 */
export function hover(
  analysis: Analysis,
  summary: ReachSummary,
  uri: string,
  text: string,
  offset: number,
  lineIndex: (uri: string) => LineIndex,
  place: (span: SourceSpan) => SourceSpan = (span) => span,
): Hover | null {
  const rangeOf = (span: SourceSpan) => {
    const shown = place(span);
    return toRange(lineIndex(shown.file), shown);
  };
  const locate: Locate = (span) => {
    const shown = place(span);
    return { file: shown.file, line: lineIndex(shown.file).positionAt(shown.start).line + 1 };
  };
  const target = targetAt(analysis, uri, text, offset);
  if (target === undefined) {
    const field = fieldHoverAt(analysis, summary, uri, text, offset);
    return field === undefined ? null : { contents: { kind: 'markdown', value: field.lines.map(md).join('\n\n') }, range: rangeOf(field.span) };
  }
  let value: string;
  switch (target.kind) {
    case 'cidr': {
      const range = analysis.workspace.cluster.ranges.find((r) => r.span.file === uri && r.span.start <= offset && offset <= r.span.end);
      // The ranges of this file's own cluster, where the workspace holds several.
      value = cidrFacts(target.text, analysis.cluster.forFile(uri), range);
      break;
    }
    case 'policy': {
      const selected = summary.selectedBy(target.policy);
      value = [
        `**NetworkPolicy ${md(target.policy.id)}**`,
        '',
        md(describePolicy(target.policy)),
        '',
        `Selects ${plural(selected.pods, 'pod')}:`,
        listPods(selected, locate),
      ].join('\n');
      break;
    }
    case 'policySelector': {
      const selected = summary.selectedBy(target.policy);
      const elsewhere = selected.pods === 0 ? notInWorkspace(analysis, [target.policy.namespace], `namespace ${md(target.policy.namespace)}`) : '';
      value = [`**podSelector** ${code(describeSelector(target.policy.podSelector))} selects ${plural(selected.pods, 'pod')} in ${md(target.policy.namespace)}:`, '', listPods(selected, locate), ...(elsewhere === '' ? [] : ['', elsewhere])].join('\n');
      break;
    }
    case 'peer': {
      const admitted = summary.podsOf(analysis.reachability.peerClasses(target.policy, target.peer));
      const what = md(describePeer(target.policy, target.peer));
      value =
        target.peer.kind === 'ipBlock'
          ? [
              `**Peer:** ${what}`,
              '',
              target.peer.outsideCluster
                ? 'Admits only addresses outside the cluster: a pod is never matched by its IP here, only by its labels.'
                : admitted.groups.length > 0
                  ? `Also matches pods with known IPs:\n${listPods(admitted, locate)}`
                  : 'Matches no pod with a known IP.',
            ].join('\n')
          : [`**Peer:** ${what} — ${plural(admitted.pods, 'pod')}:`, '', listPods(admitted, locate), ...peerElsewhere(analysis, target.policy, target.peer, admitted.pods)].join('\n');
      break;
    }
    case 'service':
    case 'serviceSelector': {
      const s = target.service;
      const endpoints = serviceEndpoints(s, analysis.workspace.podGroups);
      const reach = summary.serviceReachableFrom(s);
      const ports = endpoints.length > 0 ? s.ports.map((p, i) => {
        const targets = [...new Set(endpoints.map((e) => e.ports[i]!.containerPort ?? '?'))].join(', ');
        return `- ${p.port}/${p.protocol} → ${md(String(p.targetPort))}${typeof p.targetPort === 'string' ? ` (${targets})` : ''}`;
      }) : [];
      value = [
        `**Service ${md(s.id)}** (${s.type}${s.headless ? ', headless' : ''})`,
        '',
        `DNS: ${code(serviceDnsName(s))}`,
        s.clusterIPs.length > 0 ? `ClusterIP: ${s.clusterIPs.map((ip) => `\`${ip.toString()}\``).join(', ')}` : '',
        s.type === 'ExternalName' ? `Alias for ${code(s.externalName ?? '')}` : '',
        '',
        s.selector === undefined ? 'No selector: endpoints are managed outside the workspace.' : `${plural(endpoints.reduce((n, e) => n + e.group.replicas, 0), 'endpoint')}:`,
        s.selector === undefined ? '' : listPods({ pods: 0, groups: endpoints.map((e) => e.group) }, locate),
        ...(ports.length > 0 ? ['', 'Ports:', ...ports] : []),
        '',
        s.selector !== undefined && endpoints.length === 0 ? notInWorkspace(analysis, [s.namespace], `namespace ${md(s.namespace)}`) : '',
        '',
        `Reachable from ${plural(reach.pods, 'pod')}${andAddresses(endpoints.length === 0 ? undefined : describeExternal(serviceExternalReach(analysis.reachability, s)))} (policies apply to the endpoint pods after Service translation).`,
      ]
        .filter((l, i, all) => l !== '' || all[i - 1] !== '')
        .join('\n');
      break;
    }
    case 'workload': {
      const g = target.group;
      const { ingress, egress } = summary.policiesSelecting(g);
      const names = (ps: { id: string }[]) => (ps.length === 0 ? '_none: not isolated_' : ps.map((p) => md(p.id)).join(', '));
      value = [
        `**${g.kind} ${md(g.id)}**${g.replicas !== 1 ? ` ×${g.replicas}` : ''}${g.hostNetwork ? ' (host network: policies do not apply)' : ''}`,
        '',
        `Ingress policies: ${names(ingress)}`,
        '',
        `Egress policies: ${names(egress)}`,
        '',
        `Reachable from ${plural(summary.reachableFromCount(g), 'other pod')}${andAddresses(describeExternal(externalReachOf(analysis.reachability, g)))} · can reach ${plural(summary.canReachCount(g), 'other pod')}`,
        ...l7Lines(analysis, g),
      ].join('\n');
      break;
    }
  }
  const contents: MarkupContent = { kind: 'markdown', value };
  return { contents, range: rangeOf(target.span) };
}
