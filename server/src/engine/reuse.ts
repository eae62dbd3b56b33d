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

