/**
 * Pod classes selected by exactly the same policies have the same rules, the
 * same isolation and so the same answers to every per-class question about
 * their own side of a connection. Grouping them first lets reachability do
 * that work once per group: a thousand egress policies that all select every
 * pod are one rule list, not a thousand copies of it, one per class.
 */
import { Bitset } from './bitset.js';

/** Classes one or more policies select, with those policies' indices (all policies of one target select the same classes). */
export interface PolicyTarget {
  readonly classes: Bitset;
  readonly policies: readonly number[];
}

export interface PolicyGroup {
  readonly index: number;
  /** Class indices, ascending. */
  readonly members: readonly number[];
  /** The members as a set, for groups big enough that one pass over words beats a test per member. */
  readonly set: Bitset | undefined;
  /** Indices of the policies selecting every member, ascending (workspace order). */
  readonly policies: readonly number[];
  /** Indices of the targets selecting every member, ascending. */
  readonly targets: readonly number[];
}

function policiesOf(targets: readonly PolicyTarget[], of: readonly number[]): number[] {
  const policies: number[] = [];
  for (const t of of) for (const p of targets[t]!.policies) policies.push(p);
  return policies.sort((a, b) => a - b);
}

/**
 * Groups classes by the targets that select them. Each target moves the
 * classes it selects one step down a trie of target sequences, so the cost is
 * the sum of the targets' sizes, not classes × policies.
 */
export function groupBySelectingPolicies(classCount: number, targets: readonly PolicyTarget[]): { groupOf: Int32Array; groups: PolicyGroup[] } {
  const stride = targets.length + 1;
  const nodeOf = new Int32Array(classCount);
  // Trie node 0 is "selected by nothing"; each other node knows its parent and the target that led to it.
  const parent: number[] = [-1];
  const viaTarget: number[] = [-1];
  const child = new Map<number, number>();
  targets.forEach((target, t) => {
    for (const c of target.classes.members()) {
      const key = nodeOf[c]! * stride + t;
      let next = child.get(key);
      if (next === undefined) {
        next = parent.length;
        parent.push(nodeOf[c]!);
        viaTarget.push(t);
        child.set(key, next);
      }
      nodeOf[c] = next;
    }
  });
  const groupOfNode = new Map<number, number>();
  const members: number[][] = [];
  const groupOf = new Int32Array(classCount);
  for (let c = 0; c < classCount; c++) {
    let g = groupOfNode.get(nodeOf[c]!);
    if (g === undefined) {
      g = members.length;
      groupOfNode.set(nodeOf[c]!, g);
      members.push([]);
    }
    members[g]!.push(c);
    groupOf[c] = g;
  }
  const groups: PolicyGroup[] = [];
  for (const [node, g] of groupOfNode) {
    const via: number[] = [];
    for (let at = node; at !== 0; at = parent[at]!) via.push(viaTarget[at]!);
    via.reverse();
    const list = members[g]!;
    groups[g] = { index: g, members: list, set: list.length * 32 > classCount ? Bitset.of(classCount, list) : undefined, policies: policiesOf(targets, via), targets: via };
  }
  return { groupOf, groups };
}

/**
 * The same grouping for targets that select the same classes, in the same
 * order, as those the groups were made from (an edit that left every
 * policy's selection alone): only the policies' indices are read again.
 */
export function regroup(groups: readonly PolicyGroup[], targets: readonly PolicyTarget[]): PolicyGroup[] {
  return groups.map((g) => ({ ...g, policies: policiesOf(targets, g.targets) }));
}

/** Adds a group's classes to a set, in time proportional to the smaller of the group and the set's words. */
export function addGroup(to: Bitset, group: PolicyGroup): void {
  if (group.set !== undefined) to.orWith(group.set);
  else for (const c of group.members) to.add(c);
}

/** Takes a group's classes out of a set, in time proportional to the smaller of the group and the set's words. */
export function removeGroup(from: Bitset, group: PolicyGroup): void {
  if (group.set !== undefined) from.andNotWith(group.set);
  else for (const c of group.members) from.delete(c);
}
