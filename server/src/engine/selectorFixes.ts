/**
 * "Did you mean" for selectors that match nothing: replace one label key or
 * value with the nearest one the objects in scope really carry (edit distance,
 * case, `-` against `_`). Each candidate is re-checked: it is offered only if
 * the changed selector then matches one of them. At most three, nearest first.
 */
import { selectorMatches, type ExpressionWord, type Labels, type Selector, type SelectorRequirement } from './labels.js';
import { typoDistance, didYouMean } from './nearest.js';
import type { Fix } from './rules.js';

const MAX_FIXES = 3;

/** Label text as a YAML scalar: quoted where plain text would read as a number, boolean or null. */
function yamlString(value: string): string {
  return /^(true|false|yes|no|on|off|null|~|[-+.0-9].*|)$/i.test(value) || /[:#{}[\],&*!|>'"%@`]/.test(value) ? JSON.stringify(value) : value;
}

interface Candidate {
  readonly fix: Fix;
  readonly distance: number;
}

function withRequirement(selector: Selector, index: number, requirement: SelectorRequirement): Selector {
  const requirements = selector.requirements.map((r, i) => (i === index ? requirement : r));
  return { ...selector, requirements };
}

/**
 * The same for a selector written as an expression (Calico's `app == 'web'`):
 * each key or value it requires, changed inside the selector's string. A
 * value is offered only when it needs no quoting there.
 */
function expressionCandidates(words: readonly ExpressionWord[], scope: readonly Labels[], keys: ReadonlySet<string>, what: string): Candidate[] {
  const out: Candidate[] = [];
  for (const word of words) {
    const held = word.role === 'key' ? keys : new Set(scope.flatMap((labels) => (labels.has(word.key) ? [labels.get(word.key)!] : [])));
    // A key or value some object carries is not the typo.
    if (held.has(word.role === 'key' ? word.key : word.written)) continue;
    const options =
      word.role === 'key' ? didYouMean(word.written, new Set([...keys].flatMap((k) => word.writtenKey(k) ?? []))) : didYouMean(word.written, held).filter((v) => !/['"]/.test(v));
    for (const option of options) {
      const matches = word.replaced(option);
      if (!scope.some(matches)) continue;
      const title = word.role === 'key' ? `Change ${what} key "${word.written}" to "${option}"` : `Change ${what} ${word.writtenKey(word.key) ?? word.key}: "${word.written}" to "${option}"`;
      out.push({ fix: { title, edits: [{ span: word.span, newText: option }] }, distance: typoDistance(word.written, option) });
    }
  }
  return out;
}

/**
 * Fixes for a selector that matches none of `scope` (the labels of the pods,
 * or namespaces, it is meant to pick). `what` names the field in titles.
 */
export function selectorFixes(selector: Selector, scope: readonly Labels[], what: string): Fix[] {
  if (!selector.valid || scope.length === 0 || scope.some((labels) => selectorMatches(selector, labels))) return [];
  const keys = new Set(scope.flatMap((labels) => [...labels.keys()]));
  const candidates: Candidate[] = selector.expression?.words === undefined ? [] : expressionCandidates(selector.expression.words, scope, keys, what);
  const offer = (changed: Selector, title: string, span: NonNullable<SelectorRequirement['keySpan']>, newText: string, distance: number) => {
    if (scope.some((labels) => selectorMatches(changed, labels))) candidates.push({ fix: { title, edits: [{ span, newText: yamlString(newText) }] }, distance });
  };
  selector.requirements.forEach((r, i) => {
    if (r.keySpan !== undefined && !keys.has(r.key)) {
      for (const key of didYouMean(r.key, keys)) offer(withRequirement(selector, i, { ...r, key }), `Change ${what} key "${r.key}" to "${key}"`, r.keySpan, key, typoDistance(r.key, key));
    }
    if ((r.operator !== 'In' && r.operator !== 'NotIn') || r.valueSpans === undefined) return;
    const held = new Set(scope.flatMap((labels) => (labels.has(r.key) ? [labels.get(r.key)!] : [])));
    r.values.forEach((value, j) => {
      const span = r.valueSpans![j];
      if (span === undefined || held.has(value) || r.operator !== 'In') return;
      for (const v of didYouMean(value, held)) {
        const values = r.values.map((x, k) => (k === j ? v : x));
        offer(withRequirement(selector, i, { ...r, values }), `Change ${what} ${r.key}: "${value}" to "${v}"`, span, v, typoDistance(value, v));
      }
    });
  });
  return candidates
    .sort((a, b) => a.distance - b.distance || (a.fix.title < b.fix.title ? -1 : 1))
    .slice(0, MAX_FIXES)
    .map((c, i) => (i === 0 ? { ...c.fix, preferred: true } : c.fix));
}
