/**
 * Which addresses outside the workspace's pods may connect to a pod, as the
 * ingress rules say: anywhere when nothing isolates it (or a rule admits every
 * peer), else the ipBlocks of the rules that apply on its ports. Lenses and
 * hovers count these beside the pods, so "reachable from 0 pods" is never the
 * whole story of a pod open to the internet.
 */
import { ADDRESS_ALGEBRA, addressesAllowed, addressesDecidedBy, candidatePorts, decidedInOrder, describeAddresses, isEveryAddress, NO_ADDRESSES, type Addresses } from './externalDecision.js';
import { portMatches } from './matching.js';
import type { IPBlockPeer, PodGroup, PolicyModel, PolicyRule, Protocol } from './model.js';
import type { Reachability } from './reachability.js';
import { serviceEndpoints } from './services.js';
import type { ServiceModel } from './model.js';

export interface ExternalReach {
  readonly anywhere: boolean;
  readonly blocks: readonly IPBlockPeer[];
  /**
   * The exact addresses, where something other than the union of allow
   * rules decides (a tier, an ordered policy, deny rules): an admin Deny on
   * a network takes it away. blocks are then empty.
   */
  readonly addresses?: Addresses;
}

export const NO_EXTERNAL: ExternalReach = { anywhere: false, blocks: [] };

function ruleAppliesOnPorts(rule: PolicyRule, group: PodGroup, ports: ReadonlyArray<readonly [number, Protocol]>): boolean {
  if (rule.ports === undefined || ports.length === 0) return true;
  const destination = { kind: 'pod' as const, group };
  return ports.some(([port, protocol]) => rule.ports!.some((m) => portMatches(m, port, protocol, destination)));
}

function rulesExternal(rules: ReadonlyArray<{ readonly rule: PolicyRule }>, applies: (rule: PolicyRule) => boolean): ExternalReach {
  let anywhere = false;
  const blocks: IPBlockPeer[] = [];
  for (const { rule } of rules) {
    if (!applies(rule)) continue;
    if (rule.peers === undefined) anywhere = true;
    else for (const p of rule.peers) if (p.kind === 'ipBlock') blocks.push(p);
  }
  return { anywhere, blocks };
}

/** Addresses that may connect to a pod of the group on the given ports (default: the ports it declares; none declared: any). */
export function externalReachOf(reach: Reachability, group: PodGroup, ports?: ReadonlyArray<readonly [number, Protocol]>): ExternalReach {
  if (group.hostNetwork) return { anywhere: true, blocks: [] };
  const c = reach.classOf(group);
  if (decidedInOrder(reach, c, 'ingress')) {
    const wanted = ports ?? candidatePorts(reach, c, 'ingress');
    const addresses = wanted.reduce((acc, [port, protocol]) => ADDRESS_ALGEBRA.union(acc, addressesAllowed(reach, c, 'ingress', port, protocol)), NO_ADDRESSES);
    return { anywhere: isEveryAddress(addresses), blocks: [], addresses };
  }
  if (!reach.isIsolated(c, 'ingress')) return { anywhere: true, blocks: [] };
  const wanted = ports ?? group.ports.map((p) => [p.port, p.protocol] as const);
  return rulesExternal(reach.rulesFor(c, 'ingress'), (rule) => ruleAppliesOnPorts(rule, group, wanted));
}

/** Addresses a policy's rules of one direction admit, on any port. */
export function policyExternal(policy: PolicyModel, direction: 'ingress' | 'egress'): ExternalReach {
  // A rule whose every port is invalid admits no address either.
  const hasUsablePort = (rule: PolicyRule) => rule.ports === undefined || rule.ports.some((m) => m.kind !== 'invalid');
  return rulesExternal((direction === 'ingress' ? policy.ingress : policy.egress).map((rule) => ({ rule })), hasUsablePort);
}

/**
 * Addresses a policy's own rules of one direction let through, as its pods'
 * lenses count them: its rules' blocks where nothing else has a say over the
 * pods it selects; elsewhere what of them its rules decide (an earlier Deny
 * or a tier above takes its share away), on the ports its pods can use.
 */
export function policyExternalIn(reach: Reachability, policy: PolicyModel, direction: 'ingress' | 'egress'): ExternalReach {
  const classes = [...reach.selectedClasses(policy).members()];
  if (policy.place === undefined && !classes.some((c) => decidedInOrder(reach, c, direction))) return policyExternal(policy, direction);
  let addresses = NO_ADDRESSES;
  for (const c of classes) {
    for (const [port, protocol] of candidatePorts(reach, c, direction)) {
      addresses = ADDRESS_ALGEBRA.union(addresses, ADDRESS_ALGEBRA.intersect(addressesAllowed(reach, c, direction, port, protocol), addressesDecidedBy(reach, policy, c, direction, port, protocol)));
    }
  }
  return { anywhere: isEveryAddress(addresses), blocks: [], addresses };
}

/** Addresses that may connect to some endpoint of a Service on its target ports. */
export function serviceExternalReach(reach: Reachability, service: ServiceModel): ExternalReach {
  return serviceEndpoints(service, reach.workspace.podGroups).reduce(
    (acc, e) => mergeExternal(acc, externalReachOf(reach, e.group, e.ports.flatMap((p) => (p.containerPort === undefined ? [] : [[p.containerPort, p.servicePort.protocol] as const])))),
    NO_EXTERNAL,
  );
}

export function mergeExternal(a: ExternalReach, b: ExternalReach): ExternalReach {
  const addresses = a.addresses === undefined ? b.addresses : b.addresses === undefined ? a.addresses : ADDRESS_ALGEBRA.union(a.addresses, b.addresses);
  return { anywhere: a.anywhere || b.anywhere, blocks: [...a.blocks, ...b.blocks], ...(addresses === undefined ? {} : { addresses }) };
}

function blockText(b: IPBlockPeer): string {
  const text = `${b.cidr.toString()}${b.except.length > 0 ? ` except ${b.except.map((e) => e.toString()).join(', ')}` : ''}`;
  return b.cidr.bits === 0 ? `the internet (${text})` : text;
}

/** "any address", "the internet (0.0.0.0/0 except 10.0.0.0/8)", "203.0.113.0/24, 198.51.100.7/32"; undefined for none. */
export function describeExternal(e: ExternalReach): string | undefined {
  if (e.anywhere) return 'any address';
  // A whole family less some ranges reads as the internet, as a /0 block does.
  const exact = e.addresses === undefined ? [] : describeAddresses(e.addresses).map((t) => (t.startsWith('0.0.0.0/0') || t.startsWith('::/0') ? `the internet (${t})` : t));
  const texts = [...new Set([...e.blocks.map(blockText), ...exact])];
  if (texts.length === 0) return undefined;
  return texts.length <= 2 ? texts.join(', ') : `${texts.slice(0, 2).join(', ')} and ${texts.length - 2} more range${texts.length === 3 ? '' : 's'}`;
}
