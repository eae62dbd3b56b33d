/**
 * Which addresses outside the pods a class lets through in a direction on one
 * port, where the union of allow rules is not the whole story: a cluster-wide
 * tier (an admin Deny on a network), an ordered Calico policy (an earlier
 * Deny on nets), or Cilium deny rules. The same two evaluations decide as for
 * pods (tiers.composeTiers around orderedPolicies.decideOrdered), over sets of
 * addresses instead of sets of pod classes.
 */
import { IPAddress, Prefix, RangeSet } from './cidr.js';
import { portMatches, type Endpoint } from './matching.js';
import { PROTOCOLS, type Direction, type IPBlockPeer, type PolicyModel, type PolicyRule, type Protocol } from './model.js';
import { portBoundsOf, uniformPorts } from './flowDecision.js';
import { decideOrdered, type SetAlgebra as OrderedAlgebra } from './orderedPolicies.js';
import type { Reachability, RuleOfPolicy } from './reachability.js';
import { tierActionOf } from './matching.js';
import { composeTiers } from './tiers.js';

/** Addresses of both families. */
export interface Addresses {
  readonly v4: RangeSet;
  readonly v6: RangeSet;
}

const whole = (family: 4 | 6) => RangeSet.fromPrefix(new Prefix(new IPAddress(family, 0n), 0));
export const NO_ADDRESSES: Addresses = { v4: RangeSet.empty(4), v6: RangeSet.empty(6) };
export const EVERY_ADDRESS: Addresses = { v4: whole(4), v6: whole(6) };

export const ADDRESS_ALGEBRA: OrderedAlgebra<Addresses> = {
  empty: NO_ADDRESSES,
  isEmpty: (a) => a.v4.isEmpty && a.v6.isEmpty,
  union: (a, b) => ({ v4: a.v4.union(b.v4), v6: a.v6.union(b.v6) }),
  intersect: (a, b) => ({ v4: a.v4.intersect(b.v4), v6: a.v6.intersect(b.v6) }),
  minus: (a, b) => ({ v4: a.v4.subtract(b.v4), v6: a.v6.subtract(b.v6) }),
};

export function isEveryAddress(a: Addresses): boolean {
  return a.v4.containsSet(EVERY_ADDRESS.v4) && a.v6.containsSet(EVERY_ADDRESS.v6);
}

/** The addresses a rule's peers admit: all of them for a rule with no peers, its ipBlocks' otherwise. */
export function ruleAddresses(rule: PolicyRule): Addresses {
  if (rule.peers === undefined) return EVERY_ADDRESS;
  let out = NO_ADDRESSES;
  for (const peer of rule.peers) if (peer.kind === 'ipBlock') out = ADDRESS_ALGEBRA.union(out, blockAddresses(peer));
  return out;
}

/** Whether something other than the union of allow rules decides the class's side: only there do the sets below differ from it. */
export function decidedInOrder(reach: Reachability, c: number, direction: Direction): boolean {
  return reach.tieredRulesFor(c, direction).length > 0 || reach.orderedTiersFor(c, direction) !== undefined || reach.denyRulesFor(c, direction).length > 0;
}

/**
 * The addresses the policy's own rules decide to let through at class c on
 * port/protocol: for an ordered policy those its Allow rules decide in the
 * order (an earlier Deny or Pass keeps the rest), for another kind the
 * addresses its allow rules admit there.
 */
export function addressesDecidedBy(reach: Reachability, policy: PolicyModel, c: number, direction: Direction, port: number, protocol: Protocol): Addresses {
  const destination: Endpoint = direction === 'ingress' ? { kind: 'pod', group: reach.classes[c]!.sample } : OUTSIDE;
  const matched = (rule: PolicyRule) => (rule.ports === undefined || rule.ports.some((m) => portMatches(m, port, protocol, destination)) ? ruleAddresses(rule) : NO_ADDRESSES);
  const tiers = reach.orderedTiersFor(c, direction);
  if (tiers === undefined) return (direction === 'ingress' ? policy.ingress : policy.egress).reduce((acc, rule) => ADDRESS_ALGEBRA.union(acc, matched(rule)), NO_ADDRESSES);
  const decision = decideOrdered(tiers, direction, EVERY_ADDRESS, ADDRESS_ALGEBRA, (_p: PolicyModel, rule) => matched(rule));
  return decision.decisions.filter((d) => d.policy === policy && d.action === 'allow').reduce((acc, d) => ADDRESS_ALGEBRA.union(acc, d.matched), NO_ADDRESSES);
}

/** An address outside the pods, for port matching only: numbers and ranges match, a named port never does. */
const OUTSIDE: Endpoint = { kind: 'external', ip: new IPAddress(4, 0n) };

/**
 * The addresses class c lets through in a direction on port/protocol (to it
 * for ingress, from it for egress), through the tiers, the ordered policies
 * and the deny rules. Named ports resolve on the destination: the class's own
 * pods for ingress; none outside the pods for egress.
 */
export function addressesAllowed(reach: Reachability, c: number, direction: Direction, port: number, protocol: Protocol): Addresses {
  const destination: Endpoint | undefined = direction === 'ingress' ? { kind: 'pod', group: reach.classes[c]!.sample } : undefined;
  const onPort = (rule: PolicyRule) => rule.ports === undefined || rule.ports.some((m) => portMatches(m, port, protocol, destination ?? OUTSIDE));
  const matched = (rule: PolicyRule) => (onPort(rule) ? ruleAddresses(rule) : NO_ADDRESSES);
  const unionOf = (list: readonly RuleOfPolicy[]) => list.reduce((acc, { rule }) => ADDRESS_ALGEBRA.union(acc, matched(rule)), NO_ADDRESSES);
  const tiers = reach.orderedTiersFor(c, direction);
  const ordered = tiers === undefined ? undefined : decideOrdered(tiers, direction, EVERY_ADDRESS, ADDRESS_ALGEBRA, (_policy: PolicyModel, rule) => matched(rule));
  const selected = reach.isIsolated(c, direction);
  const networkPolicy = {
    selected,
    allowed: ordered !== undefined ? ordered.allowed : selected ? unionOf(reach.rulesFor(c, direction)) : NO_ADDRESSES,
    denied: unionOf(reach.denyRulesFor(c, direction)),
    ...(ordered === undefined ? {} : { passedOn: ordered.passedOut }),
  };
  const steps = reach.tieredRulesFor(c, direction).map(({ policy, rule }) => ({ tier: policy.tier!.tier, action: tierActionOf(rule), matched: matched(rule) }));
  return composeTiers(ADDRESS_ALGEBRA, EVERY_ADDRESS, NO_ADDRESSES, steps, networkPolicy, EVERY_ADDRESS);
}

/**
 * The ports that stand for every port a flow between class c and addresses
 * outside may use in a direction: c's declared ports for ingress, one port
 * per piece between the bounds of the rules' port ranges where c declares
 * none, or for egress (an address outside has no declared ports).
 */
export function candidatePorts(reach: Reachability, c: number, direction: Direction): ReadonlyArray<readonly [number, Protocol]> {
  const declared = reach.classes[c]!.sample.ports;
  if (direction === 'ingress' && declared.length > 0) return declared.map((p) => [p.port, p.protocol] as const);
  return uniformPorts(portBoundsOf(reach, c, direction), PROTOCOLS.map((protocol) => [protocol, 1, 65535] as const));
}

/** An exact set in the fewest words, per family: its prefixes, or "0.0.0.0/0 except …" when what is missing is shorter. */
export function describeAddresses(a: Addresses): string[] {
  return [familyTexts(a.v4, EVERY_ADDRESS.v4), familyTexts(a.v6, EVERY_ADDRESS.v6)].flat();
}

function familyTexts(allowed: RangeSet, whole: RangeSet): string[] {
  if (allowed.isEmpty) return [];
  const present = allowed.toPrefixes().map((p) => p.toString());
  const missing = whole.subtract(allowed).toPrefixes().map((p) => p.toString());
  if (missing.length >= present.length) return present;
  const all = whole.toPrefixes()[0]!.toString();
  return [missing.length === 0 ? all : `${all} except ${missing.join(', ')}`];
}

/** What of a rule's peers outside the pods a class lets through: "any" for a rule with no peers, else each ipBlock. */
export interface ExternalPeerAllowed {
  /** Undefined: the rule admits every peer. */
  readonly peer: IPBlockPeer | undefined;
  /** The peer's addresses the class lets through on some port the rule applies to. */
  readonly addresses: Addresses;
  /** All of the peer's addresses are let through. */
  readonly whole: boolean;
}

/** The graph's flows to and from addresses outside the pods where tiers, ordered policies or deny rules decide. */
export class ExternalDecider {
  private readonly allowed = new Map<string, Addresses>();

  constructor(private readonly reach: Reachability) {}

  /** The rules that may let addresses through at class c: allow rules, and the tiers' Allow rules. */
  candidateRules(c: number, direction: Direction): RuleOfPolicy[] {
    return [...this.reach.rulesFor(c, direction), ...this.reach.tieredRulesFor(c, direction).filter(({ rule }) => tierActionOf(rule) === 'allow')];
  }

  /** Each outside peer of the rule with what of it class c lets through (peers nothing is left of are left out). */
  peersAllowed(c: number, direction: Direction, rule: PolicyRule): ExternalPeerAllowed[] {
    const targets: Array<[IPBlockPeer | undefined, Addresses]> =
      rule.peers === undefined ? [[undefined, EVERY_ADDRESS]] : rule.peers.flatMap((p): Array<[IPBlockPeer, Addresses]> => (p.kind === 'ipBlock' ? [[p, blockAddresses(p)]] : []));
    if (targets.length === 0) return [];
    const destination: Endpoint = direction === 'ingress' ? { kind: 'pod', group: this.reach.classes[c]!.sample } : OUTSIDE;
    const ports = candidatePorts(this.reach, c, direction).filter(([port, protocol]) => rule.ports === undefined || rule.ports.some((m) => portMatches(m, port, protocol, destination)));
    const out: ExternalPeerAllowed[] = [];
    for (const [peer, addresses] of targets) {
      let through = NO_ADDRESSES;
      for (const [port, protocol] of ports) through = ADDRESS_ALGEBRA.union(through, ADDRESS_ALGEBRA.intersect(addresses, this.allowedOn(c, direction, port, protocol)));
      if (ADDRESS_ALGEBRA.isEmpty(through)) continue;
      out.push({ peer, addresses: through, whole: ADDRESS_ALGEBRA.isEmpty(ADDRESS_ALGEBRA.minus(addresses, through)) });
    }
    return out;
  }

  private allowedOn(c: number, direction: Direction, port: number, protocol: Protocol): Addresses {
    const key = `${direction}${c}/${port}/${protocol}`;
    let set = this.allowed.get(key);
    if (set === undefined) this.allowed.set(key, (set = addressesAllowed(this.reach, c, direction, port, protocol)));
    return set;
  }
}

function blockAddresses(peer: IPBlockPeer): Addresses {
  return peer.addresses.family === 4 ? { v4: peer.addresses, v6: NO_ADDRESSES.v6 } : { v4: NO_ADDRESSES.v4, v6: peer.addresses };
}
