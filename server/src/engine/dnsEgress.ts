/**
 * egress-blocks-dns: a policy isolates egress and no egress rule of any
 * policy selecting its pods lets them reach the cluster DNS. Which classes
 * some rule lets reach DNS is one pass over the policies; whether each
 * policy's pods all are is a test per policy, kept (DnsVerdicts) while the
 * classes and that set are the same, so an edit judges only the policies it
 * added.
 */
import { Bitset } from './bitset.js';
import type { PolicyModel, PolicyRule } from './model.js';
import type { PodClass, Reachability } from './reachability.js';
import { finding, type Finding } from './rules.js';
import { listEdit } from './keptLists.js';

/**
 * Whether a rule can let pods reach the cluster DNS on 53/UDP. The DNS server
 * is not looked up (node-local caches and custom resolvers are common), but a
 * rule whose peers are all pods of the policy's own namespace cannot reach it,
 * unless that namespace is kube-system, where cluster DNS runs.
 */
function allowsDns(policy: PolicyModel, rule: PolicyRule): boolean {
  const port53 =
    rule.ports === undefined ||
    rule.ports.some(
      (m) => m.kind !== 'invalid' && m.protocol === 'UDP' && (m.kind === 'all' || (m.kind === 'range' && m.from <= 53 && 53 <= m.to) || (m.kind === 'named' && m.name === 'dns')),
    );
  if (!port53 || rule.peers?.length === 0) return false;
  const ownNamespaceOnly = rule.peers !== undefined && rule.peers.every((p) => p.kind === 'pods' && p.namespaceSelector === undefined);
  return !ownNamespaceOnly || policy.namespace === 'kube-system';
}

/** Model objects never change once built: whether some egress rule of a policy allows DNS is worked out once per policy. */
const allowsDnsMade = new WeakMap<PolicyModel, boolean>();

function someEgressAllowsDns(policy: PolicyModel): boolean {
  let allows = allowsDnsMade.get(policy);
  if (allows === undefined) allowsDnsMade.set(policy, (allows = policy.egress.some((rule) => allowsDns(policy, rule))));
  return allows;
}

/**
 * Classes some egress rule of a policy selecting them lets reach port 53:
 * one pass over the policies that isolate egress (in workspace order), so
 * that asking it for every policy stays linear.
 */
export function dnsAllowedClasses(reach: Reachability, egressPolicies: readonly PolicyModel[]): Bitset {
  const allowed = new Bitset(reach.classes.length);
  for (const policy of egressPolicies) {
    if (policy.affectsEgress && someEgressAllowsDns(policy)) allowed.orWith(reach.selectedClasses(policy));
  }
  return allowed;
}

/**
 * dnsAllowedClasses carried from the last list of egress-isolating policies
 * to the next over the same classes: how many DNS-allowing policies select
 * each class, counted down for the policies an edit removed and up for those
 * it added. The set is the last one (the same object) when no class crossed zero.
 */
export class DnsAllowance {
  private constructor(
    private readonly classes: readonly PodClass[],
    private readonly egress: readonly PolicyModel[],
    private readonly counts: Int32Array,
    readonly allowed: Bitset,
  ) {}

  static of(reach: Reachability, egressPolicies: readonly PolicyModel[]): DnsAllowance {
    const counts = new Int32Array(reach.classes.length);
    for (const policy of egressPolicies) countDnsAllowing(reach, policy, counts, 1);
    return new DnsAllowance(reach.classes, egressPolicies, counts, dnsAllowedClasses(reach, egressPolicies));
  }

  next(reach: Reachability, egressPolicies: readonly PolicyModel[]): DnsAllowance {
    if (reach.classes !== this.classes) return DnsAllowance.of(reach, egressPolicies);
    if (egressPolicies === this.egress) return this;
    const { head, lastEnd, nextEnd } = listEdit(this.egress, egressPolicies);
    const counts = this.counts.slice();
    let crossed = false;
    for (let i = head; i < lastEnd; i++) crossed = countDnsAllowing(reach, this.egress[i]!, counts, -1) || crossed;
    for (let i = head; i < nextEnd; i++) crossed = countDnsAllowing(reach, egressPolicies[i]!, counts, 1) || crossed;
    if (!crossed) return new DnsAllowance(this.classes, egressPolicies, counts, this.allowed);
    const allowed = new Bitset(counts.length);
    for (let c = 0; c < counts.length; c++) if (counts[c]! > 0) allowed.add(c);
    return new DnsAllowance(this.classes, egressPolicies, counts, allowed);
  }
}

/** Adds `by` to the count of each class a DNS-allowing policy selects; whether some count crossed zero. */
function countDnsAllowing(reach: Reachability, policy: PolicyModel, counts: Int32Array, by: number): boolean {
  if (!policy.affectsEgress || !someEgressAllowsDns(policy)) return false;
  let crossed = false;
  for (const c of reach.selectedClasses(policy).members()) {
    const before = counts[c]!;
    counts[c] = before + by;
    if ((before === 0) !== (before + by === 0)) crossed = true;
  }
  return crossed;
}

function sameMembers(a: Bitset, b: Bitset): boolean {
  if (a === b) return true;
  if (a.words.length !== b.words.length) return false;
  for (let k = 0; k < a.words.length; k++) if (a.words[k] !== b.words[k]) return false;
  return true;
}

/**
 * Whether each policy's pods are cut off from DNS, for one set of classes and
 * one set of classes allowed DNS. A policy's selected classes are the same
 * set while the classes are (Reachability's `previous`), so a verdict holds
 * for the same policy object as long as both sets do.
 */
export class DnsVerdicts {
  private readonly blocks = new WeakMap<PolicyModel, boolean>();

  constructor(
    private readonly classes: readonly PodClass[],
    private readonly allowed: Bitset,
  ) {}

  /** Whether these verdicts hold for a reachability whose classes allowed DNS are `allowed`. */
  fits(reach: Reachability, allowed: Bitset): boolean {
    return reach.classes === this.classes && sameMembers(allowed, this.allowed);
  }

  /** Without pods in the workspace, the policy is judged alone: another policy could still allow DNS, but none here does. */
  blocksDns(reach: Reachability, policy: PolicyModel): boolean {
    let blocks = this.blocks.get(policy);
    if (blocks === undefined) {
      const selected = reach.selectedClasses(policy);
      blocks = selected.isEmpty ? !someEgressAllowsDns(policy) : selected.hasAnyOutside(this.allowed);
      this.blocks.set(policy, blocks);
    }
    return blocks;
  }
}

/** Findings that depend on the policy object alone, made once per object, so an edit hands back the same finding objects. */
const dnsFindingMade = new WeakMap<PolicyModel, Finding>();

export function dnsFinding(policy: PolicyModel): Finding {
  let made = dnsFindingMade.get(policy);
  if (made === undefined) {
    made = finding(
      'egress-blocks-dns',
      policy.egressSpan,
      `Policy ${policy.name} isolates egress, and no egress rule lets its pods reach the cluster DNS on port 53 (UDP), so DNS lookups will fail.`,
      [],
      policy.addDnsEgressFix ? [policy.addDnsEgressFix] : [],
    );
    dnsFindingMade.set(policy, made);
  }
  return made;
}
