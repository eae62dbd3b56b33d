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

function sameMembers(a: Bitset, b: Bitset): boolean {
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
