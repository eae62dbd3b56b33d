/**
 * Settled typing: a finding on the word being typed waits until the document
 * has been still for netlens.settleDelay, so `Invalid protocol "TC"` never
 * shows on the way to `TCP`. Syntax errors, findings elsewhere and other
 * documents are not held. Kept apart from the analysis schedule on purpose:
 * this decides what to show, not when to analyse.
 */
import type { Finding } from './engine/index.js';

/** Characters of one YAML word: keys, scalars, CIDRs, label keys with prefixes. */
const WORD = /[A-Za-z0-9_.\-/:]/;

/** Codes shown while typing regardless: the syntax is what the user is fixing. */
const NEVER_HELD = new Set<string>(['yaml-syntax']);

interface RecentEdit {
  /** The edited word in the new text, inclusive of both ends. */
  readonly start: number;
  readonly end: number;
  readonly at: number;
}

/** The range the edit changed in `after`: what lies between the common prefix and suffix of the two texts. */
export function changedRange(before: string, after: string): { start: number; end: number } {
  const max = Math.min(before.length, after.length);
  // Whole blocks first (a string comparison, not a loop of characters): a keystroke in a 3 MB file compares it all.
  let prefix = 0;
  while (prefix + BLOCK <= max && before.slice(prefix, prefix + BLOCK) === after.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + BLOCK <= max - prefix && before.slice(before.length - suffix - BLOCK, before.length - suffix) === after.slice(after.length - suffix - BLOCK, after.length - suffix)) suffix += BLOCK;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: prefix, end: after.length - suffix };
}

const BLOCK = 4096;

export class SettleTracker {
  private readonly edits = new Map<string, RecentEdit>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records an edit of `uri` from `before` to `after` (the whole texts). */
  noteEdit(uri: string, before: string, after: string): void {
    let { start, end } = changedRange(before, after);
    while (start > 0 && WORD.test(after[start - 1]!)) start--;
    while (end < after.length && WORD.test(after[end]!)) end++;
    this.edits.set(uri, { start, end, at: this.now() });
  }

  forget(uri: string): void {
    this.edits.delete(uri);
  }

  /** The findings to show now: those on the word edited less than `delay` ago wait. */
  visible(uri: string, findings: readonly Finding[], delay: number): readonly Finding[] {
    const edit = this.edits.get(uri);
    if (edit === undefined) return findings;
    if (delay <= 0 || this.now() - edit.at >= delay) {
      this.edits.delete(uri);
      return findings;
    }
    return findings.filter((f) => NEVER_HELD.has(f.code) || f.span.file !== uri || f.span.end < edit.start || f.span.start > edit.end);
  }

  /** Milliseconds until the next held finding may show, or undefined when nothing waits. */
  nextRelease(delay: number): number | undefined {
    let soonest: number | undefined;
    for (const edit of this.edits.values()) {
      const left = Math.max(0, edit.at + delay - this.now());
      if (soonest === undefined || left < soonest) soonest = left;
    }
    return soonest;
  }
}
