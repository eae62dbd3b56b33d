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
import type { Labels } from './labels.js';

export type CalicoNode =
  | { readonly op: 'all' | 'global' }
  | { readonly op: 'has'; readonly key: string }
  | { readonly op: '==' | '!=' | 'contains' | 'starts with' | 'ends with'; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'not in'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'not'; readonly operand: CalicoNode }
  | { readonly op: 'and' | 'or'; readonly operands: readonly CalicoNode[] };

export type CalicoParse = { readonly ok: true; readonly node: CalicoNode } | { readonly ok: false; readonly error: string; readonly offset: number };

type Token =
  | { readonly kind: 'label' | 'string' | 'has'; readonly value: string; readonly at: number }
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
      tokens.push({ kind: 'has', value: key, at: i });
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
  constructor(private readonly tokens: Token[]) {}

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
        return { op: 'has', key: t.value };
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
        return this.parseComparison(t.value);
      default:
        throw new SelectorSyntaxError(t.kind === 'eof' ? 'unexpected end of the selector' : `unexpected ${t.kind === 'string' ? 'string' : t.kind}`, t.at);
    }
  }

  private parseComparison(key: string): CalicoNode {
    const operator = this.next();
    switch (operator.kind) {
      case '==':
      case '!=':
      case 'contains':
      case 'starts with':
      case 'ends with':
        return { op: operator.kind, key, value: this.expectString() };
      case 'in':
      case 'not in':
        return { op: operator.kind, key, values: this.parseSet() };
      default:
        throw new SelectorSyntaxError(`expected an operator after ${key}`, operator.at);
    }
  }

  private expectString(): string {
    const t = this.next();
    if (t.kind !== 'string') throw new SelectorSyntaxError('expected a quoted string', t.at);
    return t.value;
  }

  /** `{ "a", "b" }`: possibly empty, a trailing comma allowed, as Calico's parser allows. */
  private parseSet(): string[] {
    const open = this.next();
    if (open.kind !== '{') throw new SelectorSyntaxError('expected a set literal { ... }', open.at);
    const values: string[] = [];
    for (let t = this.peek(); t.kind === 'string'; t = this.peek()) {
      values.push(t.value);
      this.next();
      if (this.peek().kind !== ',') break;
      this.next();
    }
    const close = this.next();
    if (close.kind !== '}') throw new SelectorSyntaxError('expected }', close.at);
    return [...new Set(values)].sort();
  }
}

export function parseCalicoSelector(input: string): CalicoParse {
  try {
    return { ok: true, node: new Parser(tokenize(input)).parseRoot() };
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
