/**
 * Workspace-level findings about NetworkPolicies: selectors that match
 * nothing, named ports nobody declares, DNS cut off by egress isolation,
 * shadowed rules, namespaces without a default deny, ipBlocks aimed at
 * cluster ranges.
 */
import { RangeSet, type Prefix } from './cidr.js';
import { calicoEndpointLabels } from './calicoLabels.js';
import { endpointContext } from './matching.js';
import { EVERYTHING_KEY, isEmptySelector, selectorMatches, type Labels, type Selector } from './labels.js';
import type { NamespaceModel, PeerMatcher, PodGroup, PodPeer, PolicyModel, PolicyRule, PortMatcher } from './model.js';
import type { Reachability } from './reachability.js';
import { appendAll } from './findingCap.js';
import { finding, type Finding, type Fix } from './rules.js';
import { selectorFixes } from './selectorFixes.js';
import { replace } from './fixes.js';
import { BUILTIN_COMPONENTS, matchingComponents, type ExternalComponent } from './externalComponents.js';
import { matchesSomePod } from './controllerLabels.js';
import { closest, editDistance } from './nearest.js';
import { computeAlways, type Reuse } from './reuse.js';
import { describeTargetNamespaces } from './describe.js';
import { podNamespaces, workloadNamespaces, workloadsByNamespace } from './podNamespaces.js';
import { dnsAllowedClasses, dnsFinding, DnsVerdicts } from './dnsEgress.js';
import { computeLists, type ListReuse } from './keptLists.js';

/** Namespaces every cluster has, whether or not a manifest declares them. */
export const BUILTIN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export interface ClusterRanges {
  readonly podCIDRs: readonly Prefix[];
  readonly serviceCIDRs: readonly Prefix[];
  /** The ranges of the cluster a file belongs to, where the workspace holds several (ClusterSummary.forFile). */
  readonly forFile?: (file: string) => { readonly podCIDRs: readonly Prefix[]; readonly serviceCIDRs: readonly Prefix[] };
  /** Which cluster each range belongs to, for memo keys. */
  readonly clustersKey?: string;
}


/**
 * `reuse(policy, compute)` may answer with what compute gave for the same
 * policy object in an earlier analysis of the same pods, namespaces, ranges
 * and externals (see AnalysisMemo): everything but the DNS check depends on
 * the policy and those alone.
 */
export function policyFindings(
  reach: Reachability,
  ranges: ClusterRanges,
  externals: readonly ExternalComponent[],
  reuse: Reuse<PolicyModel> = computeAlways,
  dnsVerdicts?: (reach: Reachability, egressPolicies: readonly PolicyModel[]) => DnsVerdicts,
  lists: ListReuse<PolicyModel> = computeLists(),
): Finding[] {
  const out: Finding[] = [];
  const ws = reach.workspace;
  const declared = workloadNamespaces(ws.podGroups);
  const usedNamespaces = podNamespaces(ws.podGroups);
  const groupsOf = (classes: Iterable<number>): PodGroup[] => [...classes].flatMap((c) => reach.classes[c]!.groups);
  const egress = lists.select('egress', ws.policies, (p) => p.affectsEgress);
  const dns = dnsVerdicts?.(reach, egress) ?? new DnsVerdicts(reach.classes, dnsAllowedClasses(reach, egress));

  const ownFindings = (policy: PolicyModel): Finding[] => {
    const out: Finding[] = [];
    const selectedClasses = reach.selectedClasses(policy);
    const field = policy.selectorField ?? 'podSelector';
    const targets = policy.targetNamespaces;
    const inTarget = (namespace: string) => (targets === undefined ? namespace === policy.namespace : selectorMatches(targets, reach.namespaceLabels(namespace)));
    const where = targets === undefined ? `namespace ${policy.namespace}` : describeTargetNamespaces(policy);
    const perPod = () => ws.podGroups.some((g) => inTarget(g.namespace) && !g.hostNetwork && matchesSomePod(policy.podSelector, g));
    const ns = ws.namespaces.get(policy.namespace);
    // A cluster-wide policy ('' namespace) lives in no namespace. Where the workspace runs workloads in the
    // namespace, another install or the pipeline creates it (kubeflow's components, Argo CD's CreateNamespace):
    // only a namespace the workspace knows nothing else of is worth a word (a typo, a leftover).
    const namespaceUnknown = policy.namespace !== '' && ns?.span === undefined && !BUILTIN_NAMESPACES.has(policy.namespace) && !usedNamespaces.has(policy.namespace);
    if (policy.podSelector.valid && selectedClasses.isEmpty && !perPod()) {
      const hostOnly = ws.podGroups.some((g) => g.hostNetwork && inTarget(g.namespace) && selectorMatches(policy.podSelector, g.labels));
      if (hostOnly) {
        out.push(
          finding('policy-selects-no-pods', policy.podSelector.span, `${field} matches only host-network pods, which network policies do not apply to, so policy ${policy.name} applies to nothing.`),
        );
      } else if (![...declared].some(inTarget)) {
        // A namespace the workspace creates (a Namespace object) but whose workloads another repository or
        // install deploys is the usual GitOps split (flux2's policies, a platform repo): nothing to say of the
        // selection (the hover on the selector still says the pods are not in the workspace); its rules are
        // checked below like any policy's. A namespace the workspace knows nothing of gets namespace-not-defined
        // below, on the namespace where a typo would be, saying too that these pods cannot be judged: one fact,
        // one finding.
        const createdElsewhereRun = targets === undefined && ws.namespaces.get(policy.namespace)?.span !== undefined;
        if (!createdElsewhereRun && !(targets === undefined && namespaceUnknown)) {
          out.push(
            finding(
              'pods-not-in-workspace',
              policy.podSelector.span,
              `The workspace declares no workloads in ${where}: the pods policy ${policy.name} is for are deployed from elsewhere, so whether it selects any cannot be judged here.`,
            ),
          );
        }
      } else {
        const what = isEmptySelector(policy.podSelector) ? `There are no pods in ${where}` : `${field} matches no pod in ${where}`;
        const inNamespace = labelsSeenBy(reach, policy.podSelector, ws.podGroups.filter((g) => inTarget(g.namespace) && !g.hostNetwork));
        out.push(
          finding('policy-selects-no-pods', policy.podSelector.span, `${what} in the workspace, so policy ${policy.name} applies to nothing.`, [], selectorFixes(policy.podSelector, inNamespace, field)),
        );
      }
    }
    if (namespaceUnknown) {
      // On the namespace as written, where it is typed and fixed; on the name when it is defaulted.
      out.push(
        finding(
          'namespace-not-defined',
          policy.namespaceSpan ?? policy.nameSpan,
          `No Namespace object in the workspace defines namespace ${policy.namespace} and no workload of the workspace runs there, so the pods policy ${policy.name} is for are deployed from elsewhere (or the namespace is misspelt) and cannot be judged here.`,
        ),
      );
    }
    for (const rule of [...policy.ingress, ...policy.egress, ...(policy.tieredRules ?? [])]) {
      checkPeers(reach, policy, rule, ranges, { declared, externals }, out);
      if (!rule.ports?.some((m) => m.kind === 'named')) continue;
      // Ingress ports are looked up on the selected pods; egress ports on the peers.
      const destinations = groupsOf(rule.direction === 'ingress' ? selectedClasses.members() : reach.ruleClasses(policy, rule).members());
      if (destinations.length > 0) checkNamedPorts(rule, destinations, out);
    }
    // A NetworkPolicy's empty rule beside others has its own finding (rule-allows-all) saying they add nothing.
    const allowAllReported = policy.kind === undefined;
    checkShadowed(policy.ingress, allowAllReported, out);
    checkShadowed(policy.egress, allowAllReported, out);
    return out;
  };

  // Each policy's findings in workspace order; those of policies an edit left alone are the last ones while the memo's own findings and the DNS verdicts are.
  const ofPolicy = (policy: PolicyModel): readonly Finding[] => {
    const own = reuse(policy, () => ownFindings(policy));
    return policy.affectsEgress && dns.blocksDns(reach, policy) ? [...own, dnsFinding(policy)] : own;
  };
  appendAll(out, lists.concat(ws.policies, dns, ofPolicy));
  appendAll(out, defaultDenyFindings(reach, lists));
  appendAll(out, denyShadowFindings(reach, lists));
  return out;
}

/**
 * Allow rules that a deny rule empties: the deny rule's policy selects every
 * pod the allow rule's policy selects (the same policy, or one selecting a
 * superset of pods), and it covers the allow rule's peers and ports.
 */
function denyShadowFindings(reach: Reachability, lists: ListReuse<PolicyModel>): Finding[] {
  const out: Finding[] = [];
  const policies = reach.workspace.policies;
  for (const p of lists.select('ordered', policies, (p) => (p.orderedRules ?? []).length > 0)) appendAll(out, orderedShadowFindings(p));
  const denying = lists.select('denying', policies, (p) => (p.denyRules ?? []).length > 0);
  if (denying.length === 0) return out;
  for (const allowing of policies) {
    const selected = reach.selectedClasses(allowing);
    for (const rule of [...allowing.ingress, ...allowing.egress]) {
      // A rule that admits nothing (Cilium's empty rule) has nothing to lose.
      if (rule.peers?.length === 0 || rule.ports?.length === 0) continue;
      for (const policy of denying) {
        const sameTargets = policy === allowing || (!selected.isEmpty && !selected.hasAnyOutside(reach.selectedClasses(policy)));
        if (!sameTargets) continue;
        // "The policy's own namespace" means the same only within one namespace.
        const comparable = (deny: PolicyRule) => policy.namespace === allowing.namespace || (deny.peers ?? []).every((p) => p.kind !== 'pods' || p.namespaceSelector !== undefined);
        const by = (policy.denyRules ?? []).find((deny) => deny.direction === rule.direction && comparable(deny) && ruleCovers(deny, rule));
        if (by === undefined) continue;
        out.push(
          finding('deny-shadows-allow', rule.span, `Every connection this ${rule.direction} rule allows is dropped by ${policy.id} ${rule.direction}Deny rule ${by.index + 1}, and deny wins over any allow.`, [
            { span: by.span, message: 'the deny rule' },
          ]),
        );
        break;
      }
    }
  }
  return out;
}

/** They depend on the policy alone: made once per policy object, so an edit hands back the same finding objects. */
const orderedShadowMade = new WeakMap<PolicyModel, readonly Finding[]>();

/** In an ordered policy (Calico), an Allow rule that an earlier Deny rule of the same direction covers can never decide. */
function orderedShadowFindings(policy: PolicyModel): readonly Finding[] {
  let made = orderedShadowMade.get(policy);
  if (made === undefined) orderedShadowMade.set(policy, (made = orderedShadows(policy)));
  return made;
}

function orderedShadows(policy: PolicyModel): Finding[] {
  const out: Finding[] = [];
  const rules = policy.orderedRules ?? [];
  rules.forEach((rule, i) => {
    if (rule.action !== 'allow' || rule.peers?.length === 0 || rule.ports?.length === 0) return;
    const by = rules.slice(0, i).find((deny) => deny.action === 'deny' && deny.direction === rule.direction && ruleCovers(deny, rule));
    if (by === undefined) return;
    out.push(
      finding('deny-shadows-allow', rule.span, `Every connection this ${rule.direction} rule allows is dropped first by ${policy.id} ${rule.direction} rule ${by.index + 1} (Deny): rules are evaluated in order and the first that matches decides.`, [
        { span: by.span, message: 'the deny rule' },
      ]),
    );
  });
  return out;
}

interface PeerContext {
  readonly declared: ReadonlySet<string>;
  readonly externals: readonly ExternalComponent[];
}

/** Did-you-mean for a peer: its namespaceSelector when no namespace matches, else its podSelector among the pods of its namespaces. */
function peerFixes(reach: Reachability, policy: PolicyModel, peer: PodPeer): Fix[] {
  const ws = reach.workspace;
  const namespaces = [...ws.namespaces.values()];
  const selected =
    peer.namespaceSelector === undefined ? namespaces.filter((ns) => ns.name === policy.namespace) : namespaces.filter((ns) => selectorMatches(peer.namespaceSelector!, ns.labels));
  if (selected.length === 0 && peer.namespaceSelector !== undefined) {
    return selectorFixes(peer.namespaceSelector, namespaces.map((ns) => ns.labels), 'namespaceSelector');
  }
  if (peer.podSelector === undefined) return [];
  const names = new Set(selected.map((ns) => ns.name));
  const what = policy.selectorField === 'selector' ? 'selector' : 'podSelector';
  return selectorFixes(peer.podSelector, labelsSeenBy(reach, peer.podSelector, ws.podGroups.filter((g) => names.has(g.namespace) && !g.hostNetwork)), what);
}

/** The pods' labels as the selector reads them: the endpoint's labels when it reads ones Calico adds (calicoLabels.ts). */
function labelsSeenBy(reach: Reachability, selector: Selector, groups: readonly PodGroup[]): Labels[] {
  if (selector.expression?.readsEndpointLabels !== true) return groups.map((g) => g.labels);
  const context = endpointContext(reach.namespaceLabels, reach.workspace.serviceAccounts);
  return groups.map((g) => calicoEndpointLabels(g, context));
}

function checkPeers(reach: Reachability, policy: PolicyModel, rule: PolicyRule, ranges: ClusterRanges, context: PeerContext, out: Finding[]): void {
  for (const peer of rule.peers ?? []) {
    if (peer.kind === 'ipBlock') {
      checkIPBlockRanges(peer, ranges.forFile?.(policy.span.file) ?? ranges, out);
      continue;
    }
    if (peer.kind !== 'pods') continue;
    if ((peer.podSelector && !peer.podSelector.valid) || (peer.namespaceSelector && !peer.namespaceSelector.valid)) continue;
    if (!reach.peerClasses(policy, peer).isEmpty) continue;
    const unmatched = unmatchedPeerFinding(reach, policy, peer, context);
    if (unmatched !== undefined) out.push(unmatched);
  }
}

/** Why a pod peer that matches no workspace pod admits nothing, or nothing when a cluster component answers it. */
function unmatchedPeerFinding(reach: Reachability, policy: PolicyModel, peer: Extract<PeerMatcher, { kind: 'pods' }>, context: PeerContext): Finding | undefined {
  const ws = reach.workspace;
  // A workspace that declares kube-system's workloads itself is believed over the built-in description.
  const externals = context.externals.filter((c) => !(BUILTIN_COMPONENTS.includes(c) && context.declared.has(c.namespace)));
  const components = matchingComponents(externals, policy.namespace, peer.namespaceSelector, peer.podSelector, (name) => ws.namespaces.get(name)?.labels);
  if (components.some((c) => !c.hostNetwork)) return undefined;
  const lookedIn =
    peer.namespaceSelector === undefined
      ? [policy.namespace]
      : [...ws.namespaces.values()].filter((ns) => selectorMatches(peer.namespaceSelector!, ns.labels)).map((ns) => ns.name);
  const hostPods = ws.podGroups.filter(
    (g) => g.hostNetwork && lookedIn.includes(g.namespace) && (peer.podSelector === undefined || selectorMatches(peer.podSelector, g.labels)),
  );
  if (components.length > 0 || hostPods.length > 0) {
    const who = components.length > 0 ? components[0]!.name : `${hostPods[0]!.kind} ${hostPods[0]!.id}`;
    return finding(
      'peer-selects-no-pods',
      peer.span,
      { says: `This peer matches only host-network pods (${who}), which NetworkPolicy does not apply to: it admits nothing.`, next: 'Use an ipBlock with the node addresses instead.' },
    );
  }
  const where = peer.namespaceSelector === undefined ? `namespace ${policy.namespace}` : 'the selected namespaces';
  const nearMiss = peer.namespaceSelector === undefined || lookedIn.length > 0 ? undefined : nearMissLabel(peer.namespaceSelector, ws.namespaces.values());
  if (nearMiss !== undefined) {
    return finding(
      'peer-selects-no-pods',
      peer.span,
      `No namespace has ${nearMiss.wanted}, so this peer admits nothing; namespace ${nearMiss.namespace} has ${nearMiss.found}: a typo?`,
      [],
      peerFixes(reach, policy, peer),
    );
  }
  if (!lookedIn.some((ns) => context.declared.has(ns))) {
    // Pods of namespaces whose workloads the workspace does not declare (another install's: istio-system) cannot
    // be judged, and saying so on every such peer was noise: the peer's hover says it. Where .netlens.yaml
    // declares components there and none matches, the team told Netlens about that namespace: worth a word.
    const told = matchingComponents(externals, policy.namespace, peer.namespaceSelector, undefined, (name) => ws.namespaces.get(name)?.labels);
    if (!told.some((c) => !BUILTIN_COMPONENTS.includes(c))) return undefined;
    return finding(
      'pods-not-in-workspace',
      peer.span,
      `This peer matches none of the components .netlens.yaml declares in ${where}, and the workspace declares no workloads there: whether it admits any cannot be judged here.`,
    );
  }
  // A namespace other than the policy's own where the workspace runs workloads but that it does not create (no
  // Namespace object) is shared with the install that does: kubeflow's oauth2-proxy runs a JWKS proxy in
  // istio-system, whose ingress gateway Istio deploys. That the few workloads declared there do not match says
  // nothing of the pods the other install runs, so the peer is left unjudged, as in a namespace with none.
  const owned = (ns: string) => context.declared.has(ns) && (ns === policy.namespace || ws.namespaces.get(ns)?.span !== undefined);
  if (!lookedIn.some(owned)) return undefined;
  return finding('peer-selects-no-pods', peer.span, `This peer matches no pod in ${where} in the workspace, so it admits nothing.`, [], peerFixes(reach, policy, peer));
}

function checkIPBlockRanges(peer: Extract<PeerMatcher, { kind: 'ipBlock' }>, ranges: Pick<ClusterRanges, 'podCIDRs' | 'serviceCIDRs'>, out: Finding[]): void {
  // 0.0.0.0/0 and ::/0 are the idiom for "anywhere": covering cluster ranges is then incidental.
  if (peer.cidr.bits === 0) return;
  const overlapping = (cidrs: readonly Prefix[]) => cidrs.filter((c) => c.family === peer.addresses.family && peer.addresses.overlaps(RangeSet.fromPrefix(c)));
  const services = overlapping(ranges.serviceCIDRs);
  if (services.length > 0) {
    out.push(
      finding(
        'ipblock-covers-service-cidr',
        peer.cidrSpan,
        `${peer.cidr.toString()} overlaps the Service CIDR ${services.map((c) => c.toString()).join(', ')}: policies see pod IPs after Service translation, so ClusterIPs in an ipBlock never match. Select the Service's pods instead.`,
      ),
    );
  }
  const pods = overlapping(ranges.podCIDRs);
  if (pods.length > 0) {
    out.push(
      finding(
        'ipblock-covers-pod-cidr',
        peer.cidrSpan,
        `${peer.cidr.toString()} overlaps the pod CIDR ${pods.map((c) => c.toString()).join(', ')}: pod IPs change when pods restart; select pods by label instead.`,
      ),
    );
  }
}

function checkNamedPorts(rule: PolicyRule, destinations: PodGroup[], out: Finding[]): void {
  // One written name can stand for several protocols (a ClusterNetworkPolicy's destinationNamedPort
  // matches the port of that name whatever its protocol): judged once, found if any protocol has it.
  const written = new Map<string, Array<Extract<PortMatcher, { kind: 'named' }>>>();
  for (const m of rule.ports ?? []) {
    if (m.kind !== 'named') continue;
    const key = `${m.span.file}:${m.span.start}:${m.name}`;
    written.set(key, [...(written.get(key) ?? []), m]);
  }
  for (const matchers of written.values()) {
    const m = matchers[0]!;
    const protocols = new Set(matchers.map((x) => x.protocol));
    if (destinations.some((g) => g.ports.some((p) => p.name === m.name && protocols.has(p.protocol)))) continue;
    const whose = rule.direction === 'ingress' ? 'the pods this policy selects' : 'the pods this rule allows egress to';
    const names = [...new Set(destinations.flatMap((g) => g.ports.filter((p) => protocols.has(p.protocol) && p.name !== undefined).map((p) => p.name!)))];
    out.push(
      finding(
        'named-port-not-found',
        m.span,
        `No ${protocols.size === 1 ? `${m.protocol} ` : ''}container port named "${m.name}" on ${whose}, so it matches nothing.${names.length > 0 ? ` They declare: ${names.slice(0, 6).join(', ')}.` : ''}`,
        [],
        closest(m.name, names, 3).map((n, i) => ({ title: `Change to "${n}"`, edits: [replace(m.span, n)], ...(i === 0 ? { preferred: true } : {}) })),
      ),
    );
  }
}

/**
 * A namespace label one or two edits away from what a selector asks for
 * (`team: observabilty` beside `team: observability`): a typo, not a
 * namespace deployed from elsewhere.
 */
function nearMissLabel(selector: Selector, namespaces: Iterable<{ name: string; labels: ReadonlyMap<string, string>; span: unknown }>): { wanted: string; found: string; namespace: string } | undefined {
  const declared = [...namespaces].filter((ns) => ns.span !== undefined);
  for (const r of selector.requirements) {
    if (r.operator !== 'In' || r.values.length !== 1) continue;
    const value = r.values[0]!;
    for (const ns of declared) {
      for (const [k, v] of ns.labels) {
        // Any key: `team: observabilty` is as likely a slip for the namespace's name as for its team label.
        const close = (v !== value && value.length > 3 && editDistance(v, value) <= 2) || (v === value && k !== r.key && editDistance(k, r.key) <= 2);
        if (close) return { wanted: `${r.key}=${value}`, found: `${k}=${v}`, namespace: ns.name };
      }
    }
  }
  return undefined;
}

function selectorCovers(outer: Selector | undefined, inner: Selector | undefined): boolean {
  if (outer === undefined || outer.key === EVERYTHING_KEY) return true;
  return inner !== undefined && inner.key === outer.key;
}

function peerCovers(outer: PeerMatcher, inner: PeerMatcher): boolean {
  if (outer.kind === 'ipBlock' && inner.kind === 'ipBlock') return outer.addresses.containsSet(inner.addresses);
  if (outer.kind === 'pods' && inner.kind === 'pods') {
    // "Same namespace" (no namespaceSelector) is only covered by the same, or by all namespaces.
    const nsCovers =
      outer.namespaceSelector === undefined ? inner.namespaceSelector === undefined : outer.namespaceSelector.key === EVERYTHING_KEY || outer.namespaceSelector.key === inner.namespaceSelector?.key;
    return nsCovers && selectorCovers(outer.podSelector, inner.podSelector);
  }
  return false;
}

function portCovers(outer: PortMatcher, inner: PortMatcher): boolean {
  if (outer.kind === 'invalid' || inner.kind === 'invalid' || outer.protocol !== inner.protocol) return false;
  if (outer.kind === 'all') return true;
  if (outer.kind === 'range' && inner.kind === 'range') return outer.from <= inner.from && inner.to <= outer.to;
  // A named port with ranges taken away covers only what, unresolved, cannot be told apart from its own name.
  return outer.kind === 'named' && inner.kind === 'named' && outer.name === inner.name && (outer.except === undefined || inner.except === outer.except);
}

/** Whether every connection inner matches, outer matches too, judged on how both are written. */
export function ruleCovers(outer: PolicyRule, inner: PolicyRule): boolean {
  if (inner.peers?.some((p) => p.kind === 'invalid') || inner.ports?.some((p) => p.kind === 'invalid')) return false;
  const peersOk = outer.peers === undefined || (inner.peers !== undefined && inner.peers.every((pi) => outer.peers!.some((po) => peerCovers(po, pi))));
  const portsOk = outer.ports === undefined || (inner.ports !== undefined && inner.ports.every((pi) => outer.ports!.some((po) => portCovers(po, pi))));
  return peersOk && portsOk;
}

function checkShadowed(rules: readonly PolicyRule[], allowAllReported: boolean, out: Finding[]): void {
  rules.forEach((rule, i) => {
    const by = rules.find((other, j) => j !== i && ruleCovers(other, rule) && (j < i || !ruleCovers(rule, other)));
    if (by === undefined || (allowAllReported && by.peers === undefined && by.ports === undefined)) return;
    out.push(
      finding('rule-shadowed', rule.span, `This ${rule.direction} rule allows nothing that ${rule.direction} rule ${by.index + 1} of the same policy does not already allow.`, [
        { span: by.span, message: 'the rule that already allows it' },
      ]),
    );
  });
}

/**
 * Findings that depend on model objects alone (which never change once
 * built), made once per object: an analysis after an edit then hands back the
 * same finding objects for what the edit left alone, and the server converts
 * only the rest to diagnostics.
 */
const defaultDenyMade = new WeakMap<PodGroup, { ns: NamespaceModel | undefined; example: PolicyModel; finding: Finding }>();

/** Each namespace's workload list (one object per pod list) as class indices, for the classes they were read in: kept while the classes are the same. */
const workloadClassesMade = new WeakMap<readonly PodGroup[], { readonly classes: Reachability['classes']; readonly of: Int32Array }>();

function classesOfWorkloads(reach: Reachability, workloads: readonly PodGroup[]): Int32Array {
  let made = workloadClassesMade.get(workloads);
  if (made === undefined || made.classes !== reach.classes) {
    made = { classes: reach.classes, of: Int32Array.from(workloads, (g) => reach.classOf(g)) };
    workloadClassesMade.set(workloads, made);
  }
  return made.of;
}

function defaultDenyFindings(reach: Reachability, lists: ListReuse<PolicyModel>): Finding[] {
  const ws = reach.workspace;
  const out: Finding[] = [];
  const isolating = lists.select('isolating', ws.policies, (p) => p.affectsIngress && isEmptySelector(p.podSelector));
  const isolatedNamespaces = new Set(isolating.map((p) => p.namespace));
  // Advice only where the workspace itself practises default-deny: vendor installs that write one policy
  // per component and none for the namespace (kube-prometheus, argo-cd, rook) would otherwise all get it.
  // The example named is a pure deny if there is one, else one that admits chosen peers only: an
  // empty-selector policy with a rule open to every source (on some port or all) denies nothing by default.
  const namespaced = isolating.filter((p) => p.namespace !== '');
  const example = namespaced.find((p) => p.ingress.length === 0) ?? namespaced.find((p) => p.ingress.every((r) => r.peers !== undefined));
  if (example === undefined) return out;
  // A workspace that creates its namespaces (Namespace objects) and runs a workload in one it does not create
  // shares that one with the install that does (kubeflow's oauth2-proxy adds a proxy to Istio's istio-system):
  // a default-deny there would isolate that install's pods too, which is not this workspace's call.
  const createsNamespaces = [...ws.namespaces.values()].some((ns) => ns.span !== undefined);
  for (const [name, workloads] of workloadsByNamespace(ws.podGroups)) {
    if (isolatedNamespaces.has(name) || BUILTIN_NAMESPACES.has(name) && name !== 'default') continue;
    if (createsNamespaces && ws.namespaces.get(name)?.span === undefined) continue;
    // Only where some workload is open today: a namespace whose every declared workload a policy already
    // isolates (one policy per component, as kubeflow's seaweedfs ships) gains nothing it can see from the advice.
    const classes = classesOfWorkloads(reach, workloads);
    let workload: PodGroup | undefined;
    for (let i = 0; i < workloads.length && workload === undefined; i++) if (!reach.isGoverned(classes[i]!, 'ingress')) workload = workloads[i];
    if (workload === undefined) continue;
    const ns = ws.namespaces.get(name);
    const made = defaultDenyMade.get(workload);
    if (made !== undefined && made.example === example && (made.ns === ns || (made.ns?.span === undefined && ns?.span === undefined))) {
      out.push(made.finding);
      continue;
    }
    const anchor = ns?.span ?? workload.span;
    // The anchor may end before or after its final newline: the inserted text is valid YAML either way.
    const at = { file: anchor.file, start: anchor.end, end: anchor.end };
    const doc = ['', '---', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', '  name: default-deny-ingress', `  namespace: ${name}`, 'spec:', '  podSelector: {}', '  policyTypes: [Ingress]', ''].join('\n');
    const missing = finding(
      'namespace-without-default-deny',
      ns?.nameSpan ?? workload.nameSpan,
      `Namespace ${name} has no default-deny policy, unlike namespace ${example.namespace} (policy ${example.name}), and no policy selects ${workload.kind} ${workload.name}, so its pods accept traffic from everywhere.`,
      [{ span: example.nameSpan, message: `the default-deny of namespace ${example.namespace}` }],
      [{ title: `Add a default-deny ingress policy for namespace ${name}`, edits: [{ span: at, newText: doc }], preferred: true }],
    );
    defaultDenyMade.set(workload, { ns, example, finding: missing });
    out.push(missing);
  }
  return out;
}
