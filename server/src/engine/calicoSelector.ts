/**
 * Calico's selector language (projectcalico.org/v3 `selector`,
 * `namespaceSelector`, `serviceAccountSelector`, rule selectors), parsed once
 * into an expression that then matches a label map without failing.
 *
 * The grammar, as Calico's own parser reads it (libcalico-go lib/selector):
 *   or        := and ('||' and)*
 *   and       := operation ('&&' operation)*
 *   operation := '!'* ( has(k) | all() | global() | '(' or ')'
 *                     | k '==' s | k '!=' s | k in {s, ...} | k not in {s, ...}
 *                     | k contains s | k starts with s | k ends with s )
 * Label keys are runs of [A-Za-z0-9_./-]; strings are quoted with ' or " and
 * have no escapes; an empty selector means all(). `!=` and `not in` also
 * match a resource without the label; a leading `!` negates one operation
 * (`!a == "x"` is `!(a == "x")`). `global()` matches every label map: only in
 * a namespaceSelector does it mean something else (non-namespaced
 * resources), and the policy normaliser handles that case.
 */
import type { ExpressionWord, Labels } from './labels.js';
import type { SourceSpan } from './source.js';

/**
 * Where a comparison's key and values are written in the document, when the
 * caller could place the selector text (see parseCalicoSelector): what
 * did-you-mean fixes edit. valueSpans go index for index with values.
 */
export interface WrittenAt {
  readonly keySpan?: SourceSpan;
  readonly valueSpans?: readonly SourceSpan[];
}

export type CalicoNode =
  | { readonly op: 'all' | 'global' }
  | ({ readonly op: 'has'; readonly key: string } & WrittenAt)
  | ({ readonly op: '==' | '!=' | 'contains' | 'starts with' | 'ends with'; readonly key: string; readonly value: string } & WrittenAt)
  | ({ readonly op: 'in' | 'not in'; readonly key: string; readonly values: readonly string[] } & WrittenAt)
  | { readonly op: 'not'; readonly operand: CalicoNode }
  | { readonly op: 'and' | 'or'; readonly operands: readonly CalicoNode[] };

export type CalicoParse = { readonly ok: true; readonly node: CalicoNode } | { readonly ok: false; readonly error: string; readonly offset: number };

/** Where a piece of the selector text (offset, length) is in the document; undefined when it cannot be placed. */
export type SpanOfText = (offset: number, length: number) => SourceSpan | undefined;

type Token =
  | { readonly kind: 'label' | 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'has'; readonly value: string; readonly at: number; readonly keyAt: number }
  | { readonly kind: '(' | ')' | '{' | '}' | ',' | '==' | '!=' | '!' | '&&' | '||' | 'in' | 'not in' | 'contains' | 'starts with' | 'ends with' | 'all' | 'global' | 'eof'; readonly at: number };

class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const LABEL_CHAR = /[A-Za-z0-9_./-]/;

function labelAt(input: string, at: number): string {
  let end = at;
  while (end < input.length && LABEL_CHAR.test(input[end]!)) end++;
  return input.slice(at, end);
}

function skipBlanks(input: string, at: number): number {
  while (input[at] === ' ' || input[at] === '\t') at++;
  return at;
}

/** The operator words Calico accepts right after a label, longest spelling first. */
const WORD_OPERATORS: ReadonlyArray<[RegExp, 'contains' | 'starts with' | 'ends with' | 'not in' | 'in']> = [
  [/^contains/, 'contains'],
  [/^starts[ \t]*with/, 'starts with'],
  [/^ends[ \t]*with/, 'ends with'],
  [/^not[ \t]*in/, 'not in'],
  [/^in/, 'in'],
];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    i = skipBlanks(input, i);
    if (i >= input.length) {
      tokens.push({ kind: 'eof', at: i });
      return tokens;
    }
    const c = input[i]!;
    const two = input.slice(i, i + 2);
    if ('(){},'.includes(c)) {
      tokens.push({ kind: c as '(' | ')' | '{' | '}' | ',', at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw new SelectorSyntaxError('unterminated string', i);
      tokens.push({ kind: 'string', value: input.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (two === '==' || two === '!=' || two === '&&' || two === '||') {
      tokens.push({ kind: two, at: i });
      i += 2;
    } else if (c === '!') {
      tokens.push({ kind: '!', at: i });
      i++;
    } else if (c === '=' || c === '&' || c === '|') {
      throw new SelectorSyntaxError(`expected ${c}${c}`, i);
    } else if (tokens[tokens.length - 1]?.kind === 'label') {
      const rest = input.slice(i);
      const word = WORD_OPERATORS.find(([pattern]) => pattern.test(rest));
      if (word === undefined) throw new SelectorSyntaxError('expected an operator after the label', i);
      tokens.push({ kind: word[1], at: i });
      i += word[0].exec(rest)![0].length;
    } else if (input.startsWith('has(', i)) {
      const keyAt = skipBlanks(input, i + 4);
      const key = labelAt(input, keyAt);
      if (key === '') throw new SelectorSyntaxError('no label name in has(', keyAt);
      const close = skipBlanks(input, keyAt + key.length);
      if (input[close] !== ')') throw new SelectorSyntaxError("no closing ')' after has(", close);
      tokens.push({ kind: 'has', value: key, at: i, keyAt });
      i = close + 1;
    } else if (input.startsWith('all(', i) || input.startsWith('global(', i)) {
      const kind = input.startsWith('all(', i) ? 'all' : 'global';
      const close = skipBlanks(input, i + kind.length + 1);
      if (input[close] !== ')') throw new SelectorSyntaxError(`no closing ')' after ${kind}(`, close);
      tokens.push({ kind, at: i });
      i = close + 1;
    } else {
      const label = labelAt(input, i);
      if (label === '') throw new SelectorSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
      tokens.push({ kind: 'label', value: label, at: i });
      i += label.length;
    }
  }
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly spanOfText: SpanOfText | undefined,
  ) {}

  /** The key's and values' places, when the caller can place the text. */
  private written(keyAt: number, key: string, values: ReadonlyArray<{ value: string; at: number }> = []): WrittenAt {
    const spanOf = this.spanOfText;
    if (spanOf === undefined) return {};
    const keySpan = spanOf(keyAt, key.length);
    // A string token starts at its opening quote.
    const valueSpans = values.map((v) => spanOf(v.at + 1, v.value.length));
    return {
      ...(keySpan === undefined ? {} : { keySpan }),
      ...(values.length === 0 || valueSpans.some((v) => v === undefined) ? {} : { valueSpans: valueSpans as SourceSpan[] }),
    };
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const t = this.tokens[this.at]!;
    if (t.kind !== 'eof') this.at++;
    return t;
  }

  parseRoot(): CalicoNode {
    if (this.peek().kind === 'eof') return { op: 'all' };
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'eof') throw new SelectorSyntaxError(`unexpected ${rest.kind} at the end of the selector`, rest.at);
    return node;
  }

  private parseOr(): CalicoNode {
    return this.parseJoined('||', 'or', () => this.parseAnd());
  }

  private parseAnd(): CalicoNode {
    return this.parseJoined('&&', 'and', () => this.parseOperation());
  }

  /** One or more operands separated by `separator`; one operand stands alone. */
  private parseJoined(separator: '||' | '&&', op: 'or' | 'and', operand: () => CalicoNode): CalicoNode {
    const operands = [operand()];
    while (this.peek().kind === separator) {
      this.next();
      operands.push(operand());
    }
    return operands.length === 1 ? operands[0]! : { op, operands };
  }

  private parseOperation(): CalicoNode {
    let negated = false;
    while (this.peek().kind === '!') {
      this.next();
      negated = !negated;
    }
    const node = this.parseTerm();
    return negated ? { op: 'not', operand: node } : node;
  }

  private parseTerm(): CalicoNode {
    const t = this.next();
    switch (t.kind) {
      case 'has':
        return { op: 'has', key: t.value, ...this.written(t.keyAt, t.value) };
      case 'all':
      case 'global':
        return { op: t.kind };
      case '(': {
        const inner = this.parseOr();
        const close = this.next();
        if (close.kind !== ')') throw new SelectorSyntaxError('expected )', close.at);
        return inner;
      }
      case 'label':
        return this.parseComparison(t.value, t.at);
      default:
        throw new SelectorSyntaxError(t.kind === 'eof' ? 'unexpected end of the selector' : `unexpected ${t.kind === 'string' ? 'string' : t.kind}`, t.at);
    }
  }

  private parseComparison(key: string, keyAt: number): CalicoNode {
    const operator = this.next();
    switch (operator.kind) {
      case '==':
      case '!=':
      case 'contains':
      case 'starts with':
      case 'ends with': {
        const value = this.expectString();
        return { op: operator.kind, key, value: value.value, ...this.written(keyAt, key, [value]) };
      }
      case 'in':
      case 'not in': {
        // Sorted and without repeats, so that equal sets read alike; the first place a value is written is kept.
        const written = this.parseSet();
        const unique = [...new Map(written.reverse().map((v) => [v.value, v])).values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
        return { op: operator.kind, key, values: unique.map((v) => v.value), ...this.written(keyAt, key, unique) };
      }
      default:
        throw new SelectorSyntaxError(`expected an operator after ${key}`, operator.at);
    }
  }

  private expectString(): { value: string; at: number } {
    const t = this.next();
    if (t.kind !== 'string') throw new SelectorSyntaxError('expected a quoted string', t.at);
    return { value: t.value, at: t.at };
  }

  /** `{ "a", "b" }`: possibly empty, a trailing comma allowed, as Calico's parser allows. */
  private parseSet(): Array<{ value: string; at: number }> {
    const open = this.next();
    if (open.kind !== '{') throw new SelectorSyntaxError('expected a set literal { ... }', open.at);
    const values: Array<{ value: string; at: number }> = [];
    for (let t = this.peek(); t.kind === 'string'; t = this.peek()) {
      values.push({ value: t.value, at: t.at });
      this.next();
      if (this.peek().kind !== ',') break;
      this.next();
    }
    const close = this.next();
    if (close.kind !== '}') throw new SelectorSyntaxError('expected }', close.at);
    return values;
  }
}

/** spanOfText, when given, places the selector's text in the document, so that comparisons know where their keys and values are written. */
export function parseCalicoSelector(input: string, spanOfText?: SpanOfText): CalicoParse {
  try {
    return { ok: true, node: new Parser(tokenize(input), spanOfText).parseRoot() };
  } catch (e) {
    if (e instanceof SelectorSyntaxError) return { ok: false, error: e.message, offset: e.offset };
    throw e;
  }
}

export function evaluateCalico(node: CalicoNode, labels: Labels): boolean {
  switch (node.op) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return labels.has(node.key);
    case '==':
      return labels.get(node.key) === node.value;
    case '!=':
      return labels.get(node.key) !== node.value;
    case 'contains':
      return labels.get(node.key)?.includes(node.value) ?? false;
    case 'starts with':
      return labels.get(node.key)?.startsWith(node.value) ?? false;
    case 'ends with':
      return labels.get(node.key)?.endsWith(node.value) ?? false;
    case 'in': {
      const value = labels.get(node.key);
      return value !== undefined && node.values.includes(value);
    }
    case 'not in': {
      const value = labels.get(node.key);
      return value === undefined || !node.values.includes(value);
    }
    case 'not':
      return !evaluateCalico(node.operand, labels);
    case 'and':
      return node.operands.every((n) => evaluateCalico(n, labels));
    case 'or':
      return node.operands.some((n) => evaluateCalico(n, labels));
  }
}

const quote = (value: string) => (value.includes('"') ? `'${value}'` : `"${value}"`);

/** Canonical text, Calico's own spelling: equal for selectors written differently but parsed alike. */
export function calicoText(node: CalicoNode): string {
  switch (node.op) {
    case 'all':
    case 'global':
      return `${node.op}()`;
    case 'has':
      return `has(${node.key})`;
    case 'in':
    case 'not in':
      return `${node.key} ${node.op} {${node.values.map(quote).join(', ')}}`;
    case 'not': {
      const inner = calicoText(node.operand);
      return node.operand.op === 'and' || node.operand.op === 'or' ? `!(${inner})` : `!${inner}`;
    }
    case 'and':
    case 'or':
      return node.operands.map((n) => (n.op === 'or' && node.op === 'and' ? `(${calicoText(n)})` : calicoText(n))).join(node.op === 'and' ? ' && ' : ' || ');
    default:
      return `${node.key} ${node.op} ${quote(node.value)}`;
  }
}

/** Every label key the expression reads (`has`, comparisons), for the labels Calico adds to endpoints. */
export function calicoKeys(node: CalicoNode): string[] {
  switch (node.op) {
    case 'all':
    case 'global':
      return [];
    case 'not':
      return calicoKeys(node.operand);
    case 'and':
    case 'or':
      return node.operands.flatMap(calicoKeys);
    default:
      return [node.key];
  }
}

/** The same expression with every key behind a prefix: how Calico matches namespace and service account labels on endpoints. */
export function prefixKeys(node: CalicoNode, prefix: string): CalicoNode {
  switch (node.op) {
    case 'all':
    case 'global':
      return node;
    case 'not':
      return { op: 'not', operand: prefixKeys(node.operand, prefix) };
    case 'and':
    case 'or':
      return { op: node.op, operands: node.operands.map((n) => prefixKeys(n, prefix)) };
    default:
      return { ...node, key: prefix + node.key };
  }
}

type Comparison = Extract<CalicoNode, { key: string }>;

/** The same tree with one comparison (by identity) replaced. */
function replacing(node: CalicoNode, target: Comparison, by: CalicoNode): CalicoNode {
  if (node === target) return by;
  switch (node.op) {
    case 'not':
      return { op: 'not', operand: replacing(node.operand, target, by) };
    case 'and':
    case 'or':
      return { op: node.op, operands: node.operands.map((n) => replacing(n, target, by)) };
    default:
      return node;
  }
}

/** The comparisons a match needs, outside any negation: the only ones whose typo can make a selector match nothing. */
function positiveComparisons(node: CalicoNode): Comparison[] {
  switch (node.op) {
    case 'all':
    case 'global':
    case 'not':
    case '!=':
    case 'not in':
      return [];
    case 'and':
    case 'or':
      return node.operands.flatMap(positiveComparisons);
    default:
      return [node];
  }
}

/**
 * The keys and values of the positive comparisons whose place is known (see
 * ExpressionWord). isPrefixed tells a key of the endpoint's labels that
 * stands for another object's label (pcns., pcsa.): it is not written as such.
 */
export function calicoWords(root: CalicoNode, isPrefixed: (key: string) => boolean): ExpressionWord[] {
  const words: ExpressionWord[] = [];
  for (const leaf of positiveComparisons(root)) {
    const evaluateWith = (by: CalicoNode) => {
      const changed = replacing(root, leaf, by);
      return (labels: Labels) => evaluateCalico(changed, labels);
    };
    // The key as matched ends with the key as written: what comes before is the endpoint prefix.
    const keyPrefix = leaf.keySpan === undefined ? '' : leaf.key.slice(0, Math.max(0, leaf.key.length - (leaf.keySpan.end - leaf.keySpan.start)));
    const writtenKey = (key: string) => (keyPrefix === '' ? (isPrefixed(key) ? undefined : key) : key.startsWith(keyPrefix) ? key.slice(keyPrefix.length) : undefined);
    if (leaf.keySpan !== undefined) {
      words.push({ role: 'key', key: leaf.key, written: leaf.key.slice(keyPrefix.length), span: leaf.keySpan, replaced: (text) => evaluateWith({ ...leaf, key: keyPrefix + text }), writtenKey });
    }
    const values = leaf.op === '==' ? [leaf.value] : leaf.op === 'in' ? leaf.values : [];
    values.forEach((value, i) => {
      const span = leaf.valueSpans?.[i];
      if (span === undefined) return;
      const withValue = (text: string): CalicoNode => {
        if (leaf.op === 'in') return { ...leaf, values: leaf.values.map((v, j) => (j === i ? text : v)) };
        return leaf.op === '==' ? { ...leaf, value: text } : leaf;
      };
      words.push({ role: 'value', key: leaf.key, written: value, span, replaced: (text) => evaluateWith(withValue(text)), writtenKey });
    });
  }
  return words;
}
