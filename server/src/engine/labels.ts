/**
 * Label selectors (metav1.LabelSelector). A selector is compiled once while the
 * model is built; matching cannot fail. An invalid selector is reported and
 * then matches nothing, as the API server would never admit it.
 */
import { finding, type Finding } from './rules.js';
import type { SourceSpan } from './source.js';
import { entries, entry, isMapNode, isNullNode, items, spanOf, text, type NodeContext } from './yamlNodes.js';

export type Labels = ReadonlyMap<string, string>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
  /** Where the key and each value are written (absent for selectors not read from YAML). */
  readonly keySpan?: SourceSpan;
  readonly valueSpans?: readonly SourceSpan[];
}

export interface Selector {
  /** Every requirement must hold; matchLabels become `In` requirements. */
  readonly requirements: readonly SelectorRequirement[];
  /** False when the selector was invalid: it then selects nothing. */
  readonly valid: boolean;
  /** Canonical text, equal for selectors that select the same pods: a cache key. */
  readonly key: string;
  readonly span: SourceSpan;
  /**
   * A selector written in a richer language than matchLabels/matchExpressions
   * (Calico's `a == "b" || has(c)`): it must hold as well as the requirements.
   */
  readonly expression?: LabelExpression;
}

/** A compiled boolean expression over labels; `text` is canonical (equal texts match alike). */
export interface LabelExpression {
  readonly text: string;
  readonly matches: (labels: Labels) => boolean;
  /** Whether it reads labels the CNI adds to endpoints (namespace, service account): matched against those, see calicoLabels.ts. */
  readonly readsEndpointLabels: boolean;
  /** The keys and values it requires, where they are written: what did-you-mean fixes may change (selectorFixes.ts). */
  readonly words?: readonly ExpressionWord[];
}

/**
 * A label key or value a match needs (a positive comparison: `k == 'v'`,
 * `k in {...}`, `has(k)`), where it is written, and the expression with it
 * changed, to check a candidate before offering it.
 */
export interface ExpressionWord {
  readonly role: 'key' | 'value';
  /** The label key as matched (with the endpoint prefix, pcns. or pcsa., a namespace or account selector reads through). */
  readonly key: string;
  /** The key or value as written. */
  readonly written: string;
  readonly span: SourceSpan;
  /** The expression's match with this word replaced by `text`, as it would be written. */
  readonly replaced: (text: string) => (labels: Labels) => boolean;
  /** A key of the labels matched as this key would be written here; undefined when it cannot be (another prefix). */
  readonly writtenKey: (labelKey: string) => string | undefined;
}

export const EVERYTHING_KEY = '{}';

export function selectorMatches(selector: Selector, labels: Labels): boolean {
  if (!selector.valid) return false;
  if (selector.expression !== undefined && !selector.expression.matches(labels)) return false;
  for (const r of selector.requirements) {
    const value = labels.get(r.key);
    switch (r.operator) {
      case 'In':
        if (value === undefined || !r.values.includes(value)) return false;
        break;
      case 'NotIn':
        // NotIn also matches objects without the key, as upstream does.
        if (value !== undefined && r.values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}

export function isEmptySelector(selector: Selector): boolean {
  return selector.valid && selector.requirements.length === 0 && selector.expression === undefined;
}

export function makeSelector(requirements: SelectorRequirement[], valid: boolean, span: SourceSpan, expression?: LabelExpression): Selector {
  const canonical = requirements
    .map((r) => `${JSON.stringify(r.key)}${r.operator}${JSON.stringify([...new Set(r.values)].sort())}`)
    .sort();
  if (expression !== undefined) canonical.push(`expr:${JSON.stringify(expression.text)}`);
  const key = valid ? (canonical.length === 0 ? EVERYTHING_KEY : `{${canonical.join(',')}}`) : `invalid@${span.file}:${span.start}`;
  return { requirements, valid, key, span, ...(expression === undefined ? {} : { expression }) };
}

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function parseSelector(ctx: NodeContext, node: unknown, findings: Finding[]): Selector {
  const span = spanOf(ctx, node);
  const requirements: SelectorRequirement[] = [];
  // A selector that is not a mapping (the schema check reports it) selects nothing rather than everything.
  let valid = isNullNode(ctx, node) || isMapNode(ctx, node);
  for (const e of entries(ctx, entry(ctx, node, 'matchLabels')?.value)) {
    const value = text(ctx, e.value);
    if (value === undefined) {
      findings.push(finding('selector-invalid', spanOf(ctx, e.value ?? e.keyNode), { says: `matchLabels value for "${e.key}" must be a string.`, next: 'Write a value, quoted if it looks like a number or a boolean.' }));
      valid = false;
      continue;
    }
    requirements.push({ key: e.key, operator: 'In', values: [value], keySpan: spanOf(ctx, e.keyNode), valueSpans: [spanOf(ctx, e.value)] });
  }
  for (const item of items(ctx, entry(ctx, node, 'matchExpressions')?.value)) {
    const key = text(ctx, entry(ctx, item, 'key')?.value);
    const operatorNode = entry(ctx, item, 'operator');
    const operator = text(ctx, operatorNode?.value);
    const valuesNode = entry(ctx, item, 'values');
    const valueNodes = items(ctx, valuesNode?.value);
    const values = valueNodes.map((v) => text(ctx, v) ?? '');
    if (key === undefined) {
      findings.push(finding('selector-invalid', spanOf(ctx, item), { says: 'A matchExpressions entry needs a key.', next: 'Add the label key it tests.' }));
      valid = false;
      continue;
    }
    if (operator === undefined || !OPERATORS.includes(operator)) {
      findings.push(
        finding(
          'selector-invalid',
          spanOf(ctx, operatorNode?.value ?? item),
          { says: `Unknown selector operator ${operator === undefined ? '(missing)' : `"${operator}"`}.`, next: 'Use In, NotIn, Exists or DoesNotExist.' },
        ),
      );
      valid = false;
      continue;
    }
    const op = operator as SelectorOperator;
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      findings.push(finding('selector-invalid', spanOf(ctx, valuesNode?.value ?? item), { says: `Operator ${op} needs at least one value.`, next: 'List the values, or use Exists to test only the key.' }));
      valid = false;
      continue;
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      findings.push(finding('selector-invalid', spanOf(ctx, valuesNode?.value ?? item), { says: `Operator ${op} takes no values.`, next: 'Remove values, or use In or NotIn to compare them.' }));
      valid = false;
      continue;
    }
    const keyNode = entry(ctx, item, 'key')?.value;
    requirements.push({ key, operator: op, values, keySpan: spanOf(ctx, keyNode), valueSpans: valueNodes.map((v) => spanOf(ctx, v)) });
  }
  return makeSelector(requirements, valid, span);
}

/** "app=db, tier in (a, b)" — for hovers, plain-English policies and the CLI. */
export function describeSelector(selector: Selector): string {
  if (!selector.valid) return '(invalid selector)';
  if (selector.expression !== undefined) return selector.expression.text;
  if (selector.requirements.length === 0) return '(all)';
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(', ')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(', ')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(', ');
}
