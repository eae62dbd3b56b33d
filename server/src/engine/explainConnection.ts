/**
 * One connection explained in full, for the CLI, the server's explain request
 * and the explain view alike: per port, the verdict of each direction, every
 * policy selecting either side with each rule traced, the rules policyTypes
 * makes upstream ignore, and the closest misses with what would make them
 * match. Verdicts come from matching.ts (the spec read literally), so this
 * agrees with the matrix; the near misses only add what-would-it-take.
 */
import { standsForOnePod } from './reachability.js';
import { calicoEndpointLabels } from './calicoLabels.js';
import type { IPAddress } from './cidr.js';
import { describePeer, describePort } from './describe.js';
import { describeSelector, type LabelExpression, type Labels, type Selector, type SelectorRequirement } from './labels.js';
import { asTieredRule, endpointContext, peerMatches, policySelects, portMatches, tieredRulesFor, type Endpoint, type NamespaceLabels } from './matching.js';
import { decideDirection } from './tiers.js';
import type { Direction, PeerMatcher, PodGroup, PolicyModel, PolicyRule, PortMatcher, Protocol } from './model.js';
import { didYouMean, editDistance } from './nearest.js';
import { BOOLEAN_ALGEBRA, decideOrdered, orderTiers, rulesInOrder, type OrderedTier } from './orderedPolicies.js';
import { resolveNamedPort } from './ports.js';
import type { Fix } from './rules.js';
import type { SourceSpan } from './source.js';
import type { WorkspaceModel } from './workspace.js';

/** One condition of a rule, held against this connection. */
export interface RuleCheck {
  readonly ok: boolean;
  readonly text: string;
  readonly span: SourceSpan;
}

export interface RuleTrace {
  readonly policy: PolicyModel;
  readonly rule: PolicyRule;
  /** Written for a direction policyTypes leaves out: upstream never applies it. */
  readonly ignored: boolean;
  readonly matches: boolean;
  /** The peer checks, then the port checks; a rule matches when one of each holds. */
  readonly checks: readonly RuleCheck[];
}

/** A change that would make a near miss match. */
export interface NeededChange {
  readonly text: string;
  readonly span: SourceSpan;
  /** Roughly characters to edit; near misses are ranked by the sum. */
  readonly cost: number;
  readonly fix?: Fix;
}

export interface NearMiss {
  readonly policy: PolicyModel;
  readonly rule: PolicyRule;
  readonly changes: readonly NeededChange[];
  readonly cost: number;
}

export interface DirectionExplanation {
  readonly direction: Direction;
  /** The pod group (or address) whose side this is: the source for egress, the destination for ingress. */
  readonly subject: string;
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** Policies that select the subject for this direction, each rule traced. */
  readonly policies: ReadonlyArray<{ readonly policy: PolicyModel; readonly rules: readonly RuleTrace[] }>;
  /** Rules of policies selecting the subject that policyTypes makes upstream ignore. */
  readonly ignored: readonly RuleTrace[];
  /** When denied: the rules closest to allowing it, nearest first, at most three. */
  readonly nearMisses: readonly NearMiss[];
  /** Deny rules of policies selecting the subject, traced; present only when there are some. One that matches decides: denied. */
  readonly denials?: readonly RuleTrace[];
  /** Where an ordered policy (Calico) applies: what decided, in tier and policy order. */
  readonly ordered?: OrderedOutcome;
  /** Present when cluster-wide tiered policies select the subject: their rules in evaluation order, and what decided. */
  readonly tiers?: TierExplanation;
}

export interface TierExplanation {
  /** Every tiered rule of this direction, admin tier first, each tier by priority and written order. */
  readonly rules: readonly RuleTrace[];
  /** rule: a tiered Allow/Deny; networkpolicy: the namespaced policies above; default: nothing decided, so allowed. */
  readonly decidedBy: 'rule' | 'networkpolicy' | 'default';
  readonly rule?: RuleTrace;
  /** The Pass rules that handed the traffic on. */
  readonly passed: readonly RuleTrace[];
}

export type OrderedOutcome =
  | { readonly by: 'rule'; readonly policy: PolicyModel; readonly rule: PolicyRule; readonly action: 'allow' | 'deny' }
  | { readonly by: 'end-of-tier'; readonly tier: string }
  | { readonly by: 'profile' };

export interface PortExplanation {
  readonly port: number;
  readonly protocol: Protocol;
  /** The destination's container port name for it, if any. */
  readonly portName: string | undefined;
  readonly allowed: boolean;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
}

export interface ConnectionExplanation {
  readonly source: string;
  readonly destination: string;
  /** A single pod to itself: allowed whatever the policies say (they do not govern it). */
  readonly toItself: boolean;
  readonly ports: readonly PortExplanation[];
}

export interface ConnectionQuery {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  /** The ports to explain; callers default them to the destination's (see defaultPorts). */
  readonly ports: ReadonlyArray<readonly [number, Protocol]>;
}

/** A change costing this much or more is not "near": it is left out of near misses. */
const FAR = 10;
const MAX_NEAR_MISSES = 3;

export function endpointName(e: Endpoint): string {
  return e.kind === 'pod' ? e.group.id : e.ip.toString();
}

/** The ports a destination declares, in order; none for an address or a pod that declares none. */
export function declaredPorts(destination: Endpoint, protocol?: Protocol): Array<[number, Protocol]> {
  if (destination.kind !== 'pod') return [];
  const seen = new Set<string>();
  const out: Array<[number, Protocol]> = [];
  for (const p of destination.group.ports) {
    if (protocol !== undefined && p.protocol !== protocol) continue;
    const key = `${p.port}/${p.protocol}`;
    if (!seen.has(key)) out.push([p.port, p.protocol]), seen.add(key);
  }
  return out;
}

export function explainConnection(workspace: WorkspaceModel, namespaceLabels: NamespaceLabels, query: ConnectionQuery): ConnectionExplanation {
  const { source, destination } = query;
  // A pod can always reach itself; a workload of several pods to itself is traffic between different pods, which policies do govern.
  const toItself = source.kind === 'pod' && destination.kind === 'pod' && source.group === destination.group && standsForOnePod(source.group);
  const ports = query.ports.map(([port, protocol]) => {
    const c = { workspace, namespaceLabels, source: query.source, destination: query.destination, port, protocol };
    const egress = explainDirection(c, 'egress');
    const ingress = explainDirection(c, 'ingress');
    const portName = query.destination.kind === 'pod' ? query.destination.group.ports.find((p) => p.port === port && p.protocol === protocol)?.name : undefined;
    return { port, protocol, portName, allowed: toItself || (egress.allowed && ingress.allowed), egress, ingress };
  });
  return { source: endpointName(query.source), destination: endpointName(query.destination), toItself, ports };
}

interface Connection {
  readonly workspace: WorkspaceModel;
  readonly namespaceLabels: NamespaceLabels;
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

function explainDirection(c: Connection, direction: Direction): DirectionExplanation {
  const subject = direction === 'ingress' ? c.destination : c.source;
  const peer = direction === 'ingress' ? c.source : c.destination;
  const name = endpointName(subject);
  if (subject.kind !== 'pod') return { direction, subject: name, isolated: false, allowed: true, policies: [], ignored: [], nearMisses: [] };
  const policies: Array<{ policy: PolicyModel; rules: RuleTrace[] }> = [];
  // Rules of policies that do not isolate this direction (enableDefaultDeny false): they count once another policy isolates it.
  const adding: Array<{ policy: PolicyModel; rules: RuleTrace[] }> = [];
  const ignored: RuleTrace[] = [];
  const denials: RuleTrace[] = [];
  for (const policy of c.workspace.policies) {
    if (!policySelects(policy, subject.group, c.namespaceLabels, c.workspace.serviceAccounts)) continue;
    const affects = direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    if (affects) policies.push({ policy, rules: rules.map((rule) => traceRule(c, policy, rule, peer, false)) });
    else if (rules.length > 0) adding.push({ policy, rules: rules.map((rule) => traceRule(c, policy, rule, peer, false)) });
    for (const rule of policy.ignoredRules) if (rule.direction === direction) ignored.push(traceRule(c, policy, rule, peer, true));
    for (const rule of policy.denyRules ?? []) if (rule.direction === direction) denials.push(traceRule(c, policy, rule, peer, false));
  }
  const isolated = policies.length > 0;
  if (policies.some((p) => p.policy.place !== undefined)) {
    const ordered = explainOrdered(c, direction, name, policies, ignored, denials, peer);
    // Calico's ordered evaluation is the namespaced step of the tiers: what it passes out of its last tier meets the baseline tier.
    const tiers = explainTiers(c, subject.group, direction, peer, ordered.passedOn ? { selected: false } : { selected: true, allowed: ordered.explanation.allowed });
    return tiers === undefined ? ordered.explanation : { ...ordered.explanation, allowed: tiers.allowed, tiers: tiers.explanation };
  }
  if (isolated) policies.push(...adding);
  const denied = denials.some((r) => r.matches);
  const allowedByNetworkPolicy = !denied && (!isolated || policies.some((p) => p.rules.some((r) => r.matches)));
  const tiers = explainTiers(c, subject.group, direction, peer, isolated || denied ? { selected: true, allowed: allowedByNetworkPolicy } : { selected: false });
  const allowed = tiers?.allowed ?? allowedByNetworkPolicy;
  const nearMisses = allowed || denied || tiers?.explanation.decidedBy === 'rule' ? [] : findNearMisses(c, direction, subject.group, peer);
  return {
    direction,
    subject: name,
    isolated,
    allowed,
    policies,
    ignored,
    nearMisses,
    ...(denials.length > 0 ? { denials } : {}),
    ...(tiers === undefined ? {} : { tiers: tiers.explanation }),
  };
}

/** The tier composition for one direction (tiers.ts), each tiered rule traced; undefined when no tiered policy selects the subject. */
function explainTiers(
  c: Connection,
  subject: PodGroup,
  direction: Direction,
  peer: Endpoint,
  networkPolicy: { readonly selected: false } | { readonly selected: true; readonly allowed: boolean },
): { allowed: boolean; explanation: TierExplanation } | undefined {
  const rules = tieredRulesFor(c.workspace.policies, subject, direction, c.namespaceLabels).map(({ policy, rule }) => traceRule(c, policy, rule, peer, false));
  if (rules.length === 0) return undefined;
  const byRule = new Map(rules.filter((t) => t.matches).map((t) => [asTieredRule(t.policy, t.rule), t]));
  const decision = decideDirection([...byRule.keys()], networkPolicy);
  const passed = decision.passed.map((r) => byRule.get(r)!);
  const explanation: TierExplanation =
    decision.decidedBy === 'rule' ? { rules, decidedBy: 'rule', rule: byRule.get(decision.rule)!, passed } : { rules, decidedBy: decision.decidedBy, passed };
  return { allowed: decision.allowed, explanation };
}

/** The ordered evaluation of one side (orderedPolicies.ts), every rule of every applying policy traced. */
function explainOrdered(
  c: Connection,
  direction: Direction,
  subject: string,
  applying: ReadonlyArray<{ policy: PolicyModel }>,
  ignored: RuleTrace[],
  denials: RuleTrace[],
  peer: Endpoint,
): { explanation: DirectionExplanation; passedOn: boolean } {
  const tiers = orderTiers(
    applying.map((p) => p.policy),
    c.workspace.tiers,
  );
  const traces = new Map<PolicyRule, RuleTrace>();
  const policies = tiers.flatMap((t) => t.policies).map((policy) => ({ policy, rules: rulesInOrder(policy, direction).map(({ rule }) => traceRule(c, policy, rule, peer, false)) }));
  for (const p of policies) for (const t of p.rules) traces.set(t.rule, t);
  const decision = decideOrdered(tiers, direction, true, BOOLEAN_ALGEBRA, (_policy, rule) => traces.get(rule)?.matches ?? false);
  const last = decision.decisions.filter((d) => d.action !== 'pass').pop();
  const dropped = decision.droppedAtEndOfTier[0];
  const ordered: OrderedOutcome =
    last !== undefined && last.action !== 'pass' ? { by: 'rule', policy: last.policy, rule: last.rule, action: last.action } : dropped !== undefined ? { by: 'end-of-tier', tier: dropped.tier } : { by: 'profile' };
  const denied = denials.some((r) => r.matches);
  const allowed = !denied && decision.allowed;
  const nearMisses = allowed || denied ? [] : orderedNearMisses(c, tiers, policies, peer);
  const explanation: DirectionExplanation = { direction, subject, isolated: true, allowed, policies, ignored, nearMisses, ordered, ...(denials.length > 0 ? { denials } : {}) };
  return { explanation, passedOn: !denied && decision.passedOut };
}

/**
 * The Allow rules that would have decided a denied connection had they
 * matched: those the ordered evaluation reaches before it drops the traffic
 * (before the deciding Deny, or up to the end of the tier that drops it; not
 * past a Pass that skips the rest of its tier). An Allow after the Deny would
 * change nothing even if it matched, so it is no near miss.
 */
function orderedNearMisses(c: Connection, tiers: readonly OrderedTier[], traced: ReadonlyArray<{ policy: PolicyModel; rules: readonly RuleTrace[] }>, peer: Endpoint): NearMiss[] {
  const reached: RuleTrace[] = [];
  walk: for (const tier of tiers) {
    let passed = false;
    visit: for (const policy of tier.policies) {
      for (const trace of traced.find((p) => p.policy === policy)?.rules ?? []) {
        const action = trace.rule.action ?? 'allow';
        if (!trace.matches) {
          if (action === 'allow') reached.push(trace);
          continue;
        }
        if (action === 'deny') break walk;
        if (action === 'pass') {
          passed = true;
          break visit;
        }
      }
    }
    if (!passed && tier.defaultAction === 'deny') break;
  }
  const misses: NearMiss[] = [];
  for (const { policy, rule } of reached) {
    const changes = [...cheapest(rule.peers?.map((p) => peerGaps(c, policy, p, peer))), ...cheapest(rule.ports?.map((m) => portGaps(c, m)))];
    const cost = changes.reduce((n, ch) => n + ch.cost, 0);
    if (cost > 0 && changes.every((ch) => ch.cost < FAR)) misses.push({ policy, rule, changes, cost });
  }
  return misses.sort((a, b) => a.cost - b.cost).slice(0, MAX_NEAR_MISSES);
}

function traceRule(c: Connection, policy: PolicyModel, rule: PolicyRule, peer: Endpoint, ignored: boolean): RuleTrace {
  const checks: RuleCheck[] = [];
  const dir = rule.direction === 'ingress' ? 'from' : 'to';
  let peerOk = true;
  if (rule.peers === undefined) checks.push({ ok: true, text: `no ${dir}: every peer`, span: rule.span });
  else {
    peerOk = false;
    for (const p of rule.peers) {
      const ok = peerMatches(policy, p, peer, c.namespaceLabels, c.workspace.serviceAccounts);
      peerOk ||= ok;
      const why = ok ? `admits ${endpointName(peer)}` : peerGaps(c, policy, p, peer).map((g) => g.text).join('; ') || `does not admit ${endpointName(peer)}`;
      checks.push({ ok, text: `${dir} ${describePeer(policy, p)}: ${why}`, span: p.span });
    }
  }
  let portOk = true;
  if (rule.ports === undefined) checks.push({ ok: true, text: 'no ports: every port', span: rule.span });
  else {
    portOk = false;
    for (const m of rule.ports) {
      const ok = portMatches(m, c.port, c.protocol, c.destination);
      portOk ||= ok;
      const why = ok ? `includes ${c.protocol} ${c.port}` : portGaps(c, m).map((g) => g.text).join('; ') || `excludes ${c.protocol} ${c.port}`;
      checks.push({ ok, text: `${describePort(m)}: ${why}`, span: m.span });
    }
  }
  return { policy, rule, ignored, matches: !ignored && peerOk && portOk, checks };
}

/**
 * Every rule written in the subject's namespace for this direction, with what
 * it would take to let the connection through: select the subject, list the
 * direction in policyTypes, admit the peer, include the port.
 */
function findNearMisses(c: Connection, direction: Direction, subject: PodGroup, peer: Endpoint): NearMiss[] {
  const misses: NearMiss[] = [];
  for (const policy of c.workspace.policies) {
    if (policy.namespace !== subject.namespace || subject.hostNetwork) continue;
    const selecting = selectorGaps(policy.podSelector, subject.labels, `podSelector`, `the pods of ${subject.id}`, 'pod');
    const rules = [...(direction === 'ingress' ? policy.ingress : policy.egress), ...policy.ignoredRules.filter((r) => r.direction === direction)];
    for (const rule of rules) {
      const changes: NeededChange[] = [...selecting];
      if (policy.ignoredRules.includes(rule)) {
        const type = direction === 'ingress' ? 'Ingress' : 'Egress';
        const fix = policy.addPolicyTypeFixes[direction];
        changes.push({ text: `this rule is ignored: policyTypes has no ${type}`, span: policy.policyTypesSpan ?? rule.span, cost: 1, ...(fix ? { fix } : {}) });
      }
      changes.push(...cheapest(rule.peers?.map((p) => peerGaps(c, policy, p, peer))));
      changes.push(...cheapest(rule.ports?.map((m) => portGaps(c, m))));
      const cost = changes.reduce((n, ch) => n + ch.cost, 0);
      if (cost > 0 && changes.every((ch) => ch.cost < FAR)) misses.push({ policy, rule, changes, cost });
    }
  }
  return misses.sort((a, b) => a.cost - b.cost).slice(0, MAX_NEAR_MISSES);
}

/** The cheapest alternative (one peer or one port of a list suffices); none for "every". */
function cheapest(alternatives: NeededChange[][] | undefined): NeededChange[] {
  if (alternatives === undefined || alternatives.length === 0) return [];
  const total = (gaps: NeededChange[]) => gaps.reduce((n, g) => n + g.cost, 0);
  return alternatives.reduce((best, gaps) => (total(gaps) < total(best) ? gaps : best));
}

/** How many edited characters still read as a typo of a word. */
const typoLimit = (word: string) => Math.min(3, Math.max(1, Math.floor(word.length / 3)));

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What keeps a selector from matching labels; empty when it matches. */
function selectorGaps(selector: Selector, labels: Labels, field: string, whose: string, labelled: 'pod' | 'namespace'): NeededChange[] {
  if (!selector.valid) return [{ text: `${field} is invalid and selects nothing`, span: selector.span, cost: FAR }];
  const gaps = selector.requirements.flatMap((r) => requirementGap(r, labels, field, whose, labelled, selector.span) ?? []);
  return selector.expression === undefined ? gaps : [...gaps, ...expressionGaps(selector.expression, labels, field, whose, selector.span)];
}

/**
 * What keeps an expression (a Calico selector) from matching labels: the one
 * key or value that, changed to what the labels hold, makes it match, when
 * that reads as a typo; otherwise a far change.
 */
function expressionGaps(expression: LabelExpression, labels: Labels, field: string, whose: string, span: SourceSpan): NeededChange[] {
  if (expression.matches(labels)) return [];
  let best: NeededChange | undefined;
  for (const word of expression.words ?? []) {
    const options = word.role === 'key' ? [...labels.keys()].flatMap((k) => word.writtenKey(k) ?? []) : labels.has(word.key) ? [labels.get(word.key)!] : [];
    for (const option of options) {
      const distance = editDistance(word.written, option);
      if (distance === 0 || distance > typoLimit(word.written) || /['"]/.test(option) || !word.replaced(option)(labels)) continue;
      if (best !== undefined && best.cost <= distance) continue;
      const have = word.role === 'key' ? `${option}, not ${word.written}` : `${word.writtenKey(word.key) ?? word.key}=${option}`;
      const fix: Fix = { title: `Change "${word.written}" to "${option}"`, edits: [{ span: word.span, newText: option }] };
      best = { text: `${field} ${expression.text}: ${whose} have ${have} (${plural(distance, 'character')})`, span: word.span, cost: distance, fix };
    }
  }
  return [best ?? { text: `${field} ${expression.text} does not match ${whose}`, span, cost: FAR }];
}

function requirementGap(r: SelectorRequirement, labels: Labels, field: string, whose: string, labelled: string, fallback: SourceSpan): NeededChange | undefined {
  const value = labels.get(r.key);
  const keySpan = r.keySpan ?? fallback;
  const shown = describeSelector({ requirements: [r], valid: true, key: '', span: fallback });
  switch (r.operator) {
    case 'In': {
      if (value !== undefined) {
        if (r.values.includes(value)) return undefined;
        const nearest = r.values.map((v, i) => ({ i, d: editDistance(v, value) })).sort((a, b) => a.d - b.d)[0]!;
        const span = r.valueSpans?.[nearest.i] ?? keySpan;
        const fix: Fix | undefined = r.valueSpans?.[nearest.i] ? { title: `Change ${r.key}: ${r.values[nearest.i]} to ${value}`, edits: [{ span, newText: value }] } : undefined;
        const typo = nearest.d <= typoLimit(value);
        const distance = typo ? ` (${plural(nearest.d, 'character')})` : '';
        return { text: `${field} ${shown}: ${whose} have ${r.key}=${value}${distance}`, span, cost: typo ? nearest.d : FAR, ...(fix && typo ? { fix } : {}) };
      }
      return missingKey(r, labels, field, whose, labelled, keySpan, (v) => r.values.includes(v));
    }
    case 'Exists':
      return value !== undefined ? undefined : missingKey(r, labels, field, whose, labelled, keySpan, () => true);
    case 'NotIn':
      return value === undefined || !r.values.includes(value) ? undefined : { text: `${field} ${shown}: ${whose} have ${r.key}=${value}`, span: keySpan, cost: FAR };
    case 'DoesNotExist':
      return value === undefined ? undefined : { text: `${field} ${shown}: ${whose} have ${r.key}=${value}`, span: keySpan, cost: FAR };
  }
}

/** A required key the labels lack: a near miss when a label with a similar key would satisfy it. */
function missingKey(r: SelectorRequirement, labels: Labels, field: string, whose: string, labelled: string, keySpan: SourceSpan, valueOk: (v: string) => boolean): NeededChange {
  const similar = [...labels]
    .filter(([k, v]) => valueOk(v) && editDistance(k.toLowerCase(), r.key.toLowerCase()) <= typoLimit(r.key))
    .map(([k, v]) => ({ k, v, d: Math.max(1, editDistance(k, r.key)) }))
    .sort((a, b) => a.d - b.d)[0];
  const shown = describeSelector({ requirements: [r], valid: true, key: '', span: keySpan });
  if (similar !== undefined) {
    const fix: Fix | undefined = r.keySpan ? { title: `Change label key ${r.key} to ${similar.k}`, edits: [{ span: r.keySpan, newText: similar.k }] } : undefined;
    return { text: `${field} ${shown}: ${whose} have ${similar.k}=${similar.v}, not ${r.key} (${plural(similar.d, 'character')})`, span: keySpan, cost: similar.d, ...(fix ? { fix } : {}) };
  }
  return { text: `${field} ${shown}: ${whose} have no ${labelled} label ${r.key}`, span: keySpan, cost: FAR };
}

function ipsOf(e: Endpoint): readonly IPAddress[] {
  return e.kind === 'pod' ? e.group.ips : [e.ip];
}

/** What keeps a peer from admitting an endpoint; empty when it admits it. */
function peerGaps(c: Connection, policy: PolicyModel, peer: PeerMatcher, endpoint: Endpoint): NeededChange[] {
  if (peerMatches(policy, peer, endpoint, c.namespaceLabels, c.workspace.serviceAccounts)) return [];
  const name = endpointName(endpoint);
  switch (peer.kind) {
    case 'invalid':
      return [{ text: 'the peer is invalid and admits nothing', span: peer.span, cost: FAR }];
    case 'external':
      return [{ text: `${peer.what} is outside what Netlens models and admits no pod or address here`, span: peer.span, cost: FAR }];
    case 'ipBlock': {
      if (peer.outsideCluster && endpoint.kind === 'pod') return [{ text: `${name} is a pod of the cluster, and this peer admits only addresses outside it (select the pod by labels)`, span: peer.span, cost: FAR }];
      const ips = ipsOf(endpoint);
      if (ips.length === 0) return [{ text: `${name} has no known IP address for an ipBlock to match (select it by labels)`, span: peer.span, cost: FAR }];
      const inCidr = ips.find((ip) => ip.family === peer.cidr.family && peer.cidr.contains(ip));
      if (inCidr === undefined) return [{ text: `${ips.map((ip) => ip.toString()).join(', ')} is outside ${peer.cidr.toString()}`, span: peer.cidrSpan, cost: FAR }];
      const except = peer.except.find((e) => e.contains(inCidr));
      return [{ text: `${inCidr.toString()} is in the except range ${except?.toString() ?? ''}`.trimEnd(), span: except ? peer.span : peer.cidrSpan, cost: 3 }];
    }
    case 'pods': {
      if (endpoint.kind !== 'pod') return [{ text: `${name} is an address, and a pod selector admits only pods`, span: peer.span, cost: FAR }];
      const g = endpoint.group;
      if (g.hostNetwork) return [{ text: `${g.id} uses the host network, which pod selectors never admit`, span: peer.span, cost: FAR }];
      const gaps: NeededChange[] = [];
      if (peer.namespaceSelector === undefined) {
        if (g.namespace !== policy.namespace) {
          gaps.push({ text: `without a namespaceSelector the peer is namespace ${policy.namespace} only; ${g.id} is in ${g.namespace}`, span: peer.span, cost: 4 });
        }
      } else gaps.push(...selectorGaps(peer.namespaceSelector, c.namespaceLabels(g.namespace), 'namespaceSelector', `namespace ${g.namespace} labels`, 'namespace'));
      if (peer.podSelector !== undefined) {
        const labels = peer.podSelector.expression?.readsEndpointLabels === true ? calicoEndpointLabels(g, endpointContext(c.namespaceLabels, c.workspace.serviceAccounts)) : g.labels;
        gaps.push(...selectorGaps(peer.podSelector, labels, policy.selectorField === 'selector' ? 'selector' : 'podSelector', `the pods of ${g.id}`, 'pod'));
      }
      return gaps;
    }
  }
}

/** What keeps a port matcher from including the connection's port; empty when it does. */
function portGaps(c: Connection, m: PortMatcher): NeededChange[] {
  if (portMatches(m, c.port, c.protocol, c.destination)) return [];
  if (m.kind === 'invalid') return [{ text: 'the port is invalid and matches nothing', span: m.span, cost: FAR }];
  if (m.protocol !== c.protocol) return [{ text: `protocol ${m.protocol}: the connection is ${c.protocol}`, span: m.span, cost: 2 }];
  if (m.kind === 'range') {
    const written = m.from === m.to ? `${m.from}` : `${m.from}-${m.to}`;
    return [{ text: `port ${written}: the connection is on ${c.port}`, span: m.span, cost: 3 }];
  }
  if (m.kind === 'named') {
    const dest = c.destination;
    if (dest.kind !== 'pod') return [{ text: `a named port only matches on pods; ${endpointName(dest)} is an address`, span: m.span, cost: FAR }];
    const resolved = resolveNamedPort(dest.group.ports, m.name, m.protocol);
    const actual = dest.group.ports.find((p) => p.port === c.port && p.protocol === c.protocol && p.name !== undefined);
    const rename: Fix | undefined = actual?.name ? { title: `Change to "${actual.name}"`, edits: [{ span: m.span, newText: actual.name }] } : undefined;
    const text = resolved
      ? resolved.port === c.port
        ? `"${m.name}" is port ${resolved.port} on ${dest.group.id}, which the rule's notPorts take away`
        : `"${m.name}" is port ${resolved.port} on ${dest.group.id}, not ${c.port}`
      : `${dest.group.id} declares no ${m.protocol} port named "${m.name}"${actual?.name ? `; ${c.port} is "${actual.name}"` : ''}`;
    const cost = resolved ? 3 : actual?.name ? Math.max(1, editDistance(m.name, actual.name)) : 3;
    return [{ text, span: m.span, cost, ...(rename ? { fix: rename } : {}) }];
  }
  return [];
}

export type EndpointLookup = { readonly ok: true; readonly endpoint: Endpoint } | { readonly ok: false; readonly message: string };

/**
 * "namespace/name", a name unique across namespaces, or an IP address. An
 * unknown name is answered with the nearest workload names.
 */
export function resolveEndpoint(workspace: WorkspaceModel, text: string, parseIP: (t: string) => IPAddress | undefined): EndpointLookup {
  const exact = workspace.podGroups.find((g) => g.id === text);
  if (exact) return { ok: true, endpoint: { kind: 'pod', group: exact } };
  const byName = workspace.podGroups.filter((g) => g.name === text);
  if (byName.length === 1) return { ok: true, endpoint: { kind: 'pod', group: byName[0]! } };
  if (byName.length > 1) return { ok: false, message: `"${text}" names a workload in several namespaces: ${byName.map((g) => g.id).join(', ')}` };
  const ip = parseIP(text);
  if (ip !== undefined) return { ok: true, endpoint: { kind: 'external', ip } };
  const ids = workspace.podGroups.map((g) => g.id);
  const names = didYouMean(text, [...ids, ...workspace.podGroups.map((g) => g.name)]);
  return { ok: false, message: `no workload "${text}" (use namespace/name, a name, or an IP address)${names.length > 0 ? `; did you mean ${names.join(', ')}?` : ''}` };
}
