/**
 * How a check hands part of its work to a memo: `reuse(key, compute)` answers
 * with compute's findings, or with those it gave for the same key before
 * when the memo knows nothing they depend on has changed. A leaf module, so
 * that checks and the memo need not import each other.
 */
import type { Finding } from './rules.js';

export type Reuse<K> = (key: K, compute: () => readonly Finding[]) => readonly Finding[];

/** No memo: every analysis computes everything. */
export const computeAlways: Reuse<unknown> = (_key, compute) => compute();

/**
 * For findings that depend on more than the key: `dependsOn` lists those
 * objects, and the memo answers with the findings made for the same key only
 * while every one of them is the same object as then.
 */
export type ReuseWhileSame<K> = (key: K, dependsOn: readonly unknown[], compute: () => readonly Finding[]) => readonly Finding[];

export const computeEveryTime: ReuseWhileSame<unknown> = (_key, _dependsOn, compute) => compute();
