/**
 * Where strict JSON breaks, and why, in words. JSON.parse knows *that* a
 * text is not JSON but its messages do not always say where (V8 omits the
 * position for some errors); CNI runtimes parse strictly, so the editor
 * needs the exact spot of a comment or a trailing comma.
 */
export interface JsonProblem {
  readonly offset: number;
  readonly message: string;
}

const WS = /[ \t\n\r]/;

/** The first strict-JSON error in text, or undefined when it is valid JSON. */
export function findJsonProblem(text: string): JsonProblem | undefined {
  let i = 0;
  const fail = (message: string, at = i): JsonProblem => ({ offset: Math.min(at, Math.max(0, text.length - 1)), message });
  const skip = (): JsonProblem | undefined => {
    while (i < text.length && WS.test(text[i]!)) i++;
    if (text.startsWith('//', i) || text.startsWith('/*', i)) return fail('comments are not allowed in JSON');
    return undefined;
  };
  const value = (): JsonProblem | undefined => {
    const p = skip();
    if (p) return p;
    const c = text[i];
    if (c === undefined) return fail('the text ends where a value should be');
    if (c === '{') return container('}', true);
    if (c === '[') return container(']', false);
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (literal) {
      i += literal[0].length;
      return undefined;
    }
    return fail(c === "'" ? 'strings need double quotes' : `unexpected ${JSON.stringify(c)} where a value should be`);
  };
  const string = (): JsonProblem | undefined => {
    const start = i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c === '\\') {
        if (!/^\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(i, i + 6))) return fail('invalid escape in a string');
        i += text[i + 1] === 'u' ? 6 : 2;
        continue;
      }
      if (c < ' ') return fail('control character (a raw newline?) inside a string');
      i++;
    }
    return fail('unterminated string', start);
  };
  const container = (close: string, object: boolean): JsonProblem | undefined => {
    i++;
    let p = skip();
    if (p) return p;
    if (text[i] === close) {
      i++;
      return undefined;
    }
    for (;;) {
      if (object) {
        p = skip();
        if (p) return p;
        if (text[i] !== '"') return fail(text[i] === close ? 'trailing comma before the closing brace' : 'property names need double quotes');
        p = string();
        if (p) return p;
        p = skip();
        if (p) return p;
        if (text[i] !== ':') return fail('expected ":" after the property name');
        i++;
      }
      const before = i;
      p = skip();
      if (p) return p;
      if (!object && text[i] === close) return fail('trailing comma before the closing bracket', before);
      p = value();
      if (p) return p;
      p = skip();
      if (p) return p;
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return undefined;
      }
      return fail(`expected "," or "${close}"`);
    }
  };
  const p = value();
  if (p) return p;
  const q = skip();
  if (q) return q;
  return i < text.length ? fail('unexpected text after the JSON value') : undefined;
}
