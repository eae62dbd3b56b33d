/**
 * What decided a flow between two pod classes: the one side decision of
 * sideDecision.ts (the same explain gives for one pod), fed with
 * reachability's per-class rules and peer sets. The graph names what it finds
 * on each edge, and the lenses of ordered policies count the peers a policy's
 * own Allow rules decide, so that an earlier Deny or Pass is taken away.
 *
 * A destination that declares no ports is reached on port intervals; every
 * rule that could matter is uniform between the bounds of its port ranges,
 * so one port per piece between those bounds stands for the whole piece.
 */
import { Bitset } from './bitset.js';
import { portMatches } from './matching.js';
import { PROTOCOLS, type Direction, type PolicyModel, type PolicyRule, type Protocol } from './model.js';
import { rulesInOrder } from './orderedPolicies.js';
import type { Reachability, RuleOfPolicy } from './reachability.js';
import { decideSide, decidingAllows, OPEN_SIDE, type SideVerdict } from './sideDecision.js';

export interface FlowDecision {
  /** On some port, a policy rule decided one of the sides (not the default allow). */
  readonly ruleDecided: boolean;
  /** The rules that let the flow through, egress before ingress, first port first, each once. */
  readonly rules: readonly RuleOfPolicy[];
  /** The sides where the default allow decided, on some of the ports. */
  readonly byDefault: readonly Direction[];
  /** On every port, each end let it through by default or by a rule admitting every peer. */
  readonly openAtBothEnds: boolean;
  /** The application-layer filters of the rules that let it through ("HTTP", "Kafka"), each once. */
  readonly l7: readonly string[];
}

/** A flow no policy has a say over at either end. */
const BOTH: Direction[] = ['egress', 'ingress'];
const EGRESS: Direction[] = ['egress'];
const INGRESS: Direction[] = ['ingress'];
const NEITHER: Direction[] = [];

export const DEFAULT_FLOW: FlowDecision = { ruleDecided: false, rules: [], byDefault: ['egress', 'ingress'], openAtBothEnds: true, l7: [] };

type Ports = ReadonlyArray<readonly [Protocol, number, number]>;

export class FlowDecider {
  /** Per direction, per class: built on first use. */
  private readonly isolating = { ingress: [] as Array<PolicyModel[] | undefined>, egress: [] as Array<PolicyModel[] | undefined> };
  private readonly bounds = new Map<string, ReadonlyMap<Protocol, readonly number[]>>();

  constructor(private readonly reach: Reachability) {}

  /** How the subject class's side decides traffic to or from the peer class on port/protocol. */
  side(subject: number, peer: number, direction: Direction, port: number, protocol: Protocol): SideVerdict {
    const reach = this.reach;
    // Most sides of most flows: nothing isolates, denies or tiers them, so the default decides (what decideSide says of it, without the matching).
    if (!reach.isGoverned(subject, direction) && reach.orderedTiersFor(subject, direction) === undefined) return OPEN_SIDE;
    const destination = { kind: 'pod' as const, group: reach.classes[direction === 'ingress' ? subject : peer]!.sample };
    const matches = (policy: PolicyModel, rule: PolicyRule) =>
      reach.ruleClasses(policy, rule).has(peer) && (rule.ports === undefined || rule.ports.some((m) => portMatches(m, port, protocol, destination)));
    const matching = (list: readonly RuleOfPolicy[]) => list.filter(({ policy, rule }) => matches(policy, rule));
    return decideSide(
      {
        isolatingPolicies: this.isolatingPolicies(subject, direction),
        allowedBy: matching(reach.rulesFor(subject, direction)),
        deniedBy: matching(reach.denyRulesFor(subject, direction)),
        orderedTiers: reach.orderedTiersFor(subject, direction),
        matches,
        tiered: matching(reach.tieredRulesFor(subject, direction)),
      },
      direction,
    );
  }

  /** What decided the flow from class s to class d on the ports it is allowed on (as classConnections gives them). */
  flow(s: number, d: number, ports: Ports): FlowDecision {
    const rules: RuleOfPolicy[] = [];
    const seen = new Set<PolicyRule>();
    const l7: string[] = [];
    let egressByDefault = false;
    let ingressByDefault = false;
    let openAtBothEnds = true;
    let ruleDecided = false;
    const note = (side: SideVerdict): void => {
      ruleDecided ||= !side.byDefault;
      const allows = decidingAllows(side);
      let open = side.byDefault;
      for (const r of allows) {
        if (r.rule.peers === undefined) open = true;
        if (seen.has(r.rule)) continue;
        seen.add(r.rule);
        rules.push(r);
        for (const filter of r.rule.l7 ?? []) if (!l7.includes(filter)) l7.push(filter);
      }
      openAtBothEnds &&= open;
    };
    for (const [port, protocol] of this.samplePorts(s, d, ports)) {
      const egress = this.side(s, d, 'egress', port, protocol);
      const ingress = this.side(d, s, 'ingress', port, protocol);
      egressByDefault ||= egress.byDefault;
      ingressByDefault ||= ingress.byDefault;
      note(egress);
      note(ingress);
    }
    const byDefault: Direction[] = egressByDefault ? (ingressByDefault ? BOTH : EGRESS) : ingressByDefault ? INGRESS : NEITHER;
    return { ruleDecided, rules, byDefault, openAtBothEnds, l7 };
  }

  /**
   * The classes some rule of the policy decides to let through in a direction:
   * for ingress the sources into the classes it selects, for egress their
   * destinations, on some port (a destination's declared ports, or any port
   * where it declares none). An earlier Deny or Pass, or a tier above, takes
   * its share away, as it does in the matrix.
   */
  admittedBy(policy: PolicyModel, direction: Direction): Bitset {
    const reach = this.reach;
    const own = new Set<PolicyRule>(rulesInOrder(policy, direction).map(({ rule }) => rule));
    const admitted = new Bitset(reach.classes.length);
    const candidates = Bitset.unionOf(
      reach.classes.length,
      [...own].map((rule) => reach.ruleClasses(policy, rule)),
    );
    for (const subject of reach.selectedClasses(policy).members()) {
      for (const peer of candidates.members()) {
        if (admitted.has(peer)) continue;
        const [s, d] = direction === 'ingress' ? [peer, subject] : [subject, peer];
        const decides = this.candidatePorts(s, d).some(([port, protocol]) => decidingAllows(this.side(subject, peer, direction, port, protocol)).some((r) => own.has(r.rule)));
        if (decides) admitted.add(peer);
      }
    }
    return admitted;
  }

  /** Every port a flow from s to d could use: d's declared ports, or one port per uniform piece of every protocol. */
  private candidatePorts(s: number, d: number): Array<readonly [number, Protocol]> {
    const declared = this.reach.classes[d]!.sample.ports;
    if (declared.length > 0) return declared.map((p) => [p.port, p.protocol] as const);
    return this.samplePorts(s, d, PROTOCOLS.map((protocol) => [protocol, 1, 65535] as const));
  }

  private isolatingPolicies(c: number, direction: Direction): PolicyModel[] {
    const known = this.isolating[direction];
    let list = known[c];
    if (list === undefined) {
      // Tiered policies isolate nothing; they are decided as tiers (tieredRulesFor).
      list = this.reach.workspace.policies.filter(
        (p) => (p.tieredRules === undefined || p.tieredRules.length === 0) && (direction === 'ingress' ? p.affectsIngress : p.affectsEgress) && this.reach.selectedClasses(p).has(c),
      );
      known[c] = list;
    }
    return list;
  }

  /** One port per piece of the given ports on which every rule at either end is uniform. */
  private samplePorts(s: number, d: number, ports: Ports): Array<readonly [number, Protocol]> {
    if (this.reach.classes[d]!.sample.ports.length > 0) return ports.map(([protocol, port]) => [port, protocol] as const);
    const ingress = this.portBounds(d, 'ingress');
    const egress = this.portBounds(s, 'egress');
    const both = new Map<Protocol, number[]>();
    for (const protocol of PROTOCOLS) both.set(protocol, [...(ingress.get(protocol) ?? []), ...(egress.get(protocol) ?? [])]);
    return uniformPorts(both, ports);
  }

  private portBounds(c: number, direction: Direction): ReadonlyMap<Protocol, readonly number[]> {
    const key = `${direction}${c}`;
    let bounds = this.bounds.get(key);
    if (bounds === undefined) this.bounds.set(key, (bounds = portBoundsOf(this.reach, c, direction)));
    return bounds;
  }
}

/** One port per piece of the given ranges, cut at the bounds: within a piece, no rule's port ranges start or end. */
export function uniformPorts(bounds: ReadonlyMap<Protocol, readonly number[]>, ports: Ports): Array<readonly [number, Protocol]> {
  const out: Array<readonly [number, Protocol]> = [];
  for (const [protocol, from, to] of ports) {
    const cuts = (bounds.get(protocol) ?? []).filter((b) => b > from && b <= to);
    for (const start of [...new Set([from, ...cuts])].sort((a, b) => a - b)) out.push([start, protocol]);
  }
  return out;
}

/** Where the port ranges of the rules over a class in a direction start and end (the port after the end), per protocol. */
export function portBoundsOf(reach: Reachability, c: number, direction: Direction): ReadonlyMap<Protocol, readonly number[]> {
  const rules: PolicyRule[] = [
    ...[...reach.rulesFor(c, direction), ...reach.denyRulesFor(c, direction), ...reach.tieredRulesFor(c, direction)].map((r) => r.rule),
    ...(reach.orderedTiersFor(c, direction) ?? []).flatMap((tier) => tier.policies.flatMap((p) => rulesInOrder(p, direction).map((r) => r.rule))),
  ];
  const found = new Map<Protocol, number[]>();
  for (const rule of rules) {
    for (const m of rule.ports ?? []) {
      if (m.kind !== 'range') continue;
      const list = found.get(m.protocol) ?? [];
      list.push(m.from, m.to + 1);
      found.set(m.protocol, list);
    }
  }
  return found;
}
