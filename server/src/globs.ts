/**
 * Glob patterns as VS Code settings write them (`**`, `*`, `?`, `{a,b}`,
 * `[abc]`), matched against workspace-relative paths with forward slashes.
 *
 * Patterns come from the workspace (settings, .netlens.yaml), so they are
 * untrusted: a regular expression built from `**a**a**a…b` backtracks for
 * seconds on a 44-character name. A glob is compiled to a small automaton
 * instead and run on the set of states it can be in, one character at a time:
 * cost is path length × pattern length, whatever the pattern.
 */

export interface Glob {
  test(relativePath: string): boolean;
}

type State =
  | { readonly kind: 'char'; readonly accepts: (c: string) => boolean; next: number }
  | { readonly kind: 'split'; readonly next: number[] }
  | { readonly kind: 'accept' };

const notSlash = (c: string) => c !== '/';
const anyChar = () => true;

/** A glob as parsed: a sequence of steps, where a step may be a choice of sequences (`{a,b}`). */
type Step =
  | { readonly kind: 'one'; readonly accepts: (c: string) => boolean }
  | { readonly kind: 'many'; readonly accepts: (c: string) => boolean }
  | { readonly kind: 'folders' }
  | { readonly kind: 'choice'; readonly options: Step[][] };

class Parser {
  private i = 0;
  constructor(private readonly glob: string) {}

  /** Steps up to the end, or, inside braces, up to the `,` or `}` that ends this option. */
  sequence(inBraces: boolean): Step[] {
    const steps: Step[] = [];
    const g = this.glob;
    while (this.i < g.length) {
      const c = g[this.i]!;
      if (inBraces && (c === ',' || c === '}')) break;
      this.i++;
      if (c === '*') {
        if (g[this.i] === '*') {
          this.i++;
          if (g[this.i] === '/') {
            this.i++;
            steps.push({ kind: 'folders' });
          } else steps.push({ kind: 'many', accepts: anyChar });
        } else steps.push({ kind: 'many', accepts: notSlash });
      } else if (c === '?') steps.push({ kind: 'one', accepts: notSlash });
      else if (c === '{' && closingBrace(g, this.i) !== -1) {
        const options: Step[][] = [];
        for (;;) {
          options.push(this.sequence(true));
          if (g[this.i++] === '}') break;
        }
        steps.push({ kind: 'choice', options });
      } else if (c === '[' && g.indexOf(']', this.i) !== -1) {
        const close = g.indexOf(']', this.i);
        steps.push({ kind: 'one', accepts: characterClass(g.slice(this.i, close)) });
        this.i = close + 1;
      } else steps.push({ kind: 'one', accepts: (x) => x === c });
    }
    return steps;
  }
}

/** Where the `}` closing the brace opened just before `from` is, or -1. */
function closingBrace(glob: string, from: number): number {
  let depth = 1;
  for (let i = from; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `[abc]`, `[a-z]`, `[!abc]` or `[^abc]`. */
function characterClass(body: string): (c: string) => boolean {
  const negated = body.startsWith('!') || body.startsWith('^');
  const chars = negated ? body.slice(1) : body;
  const ranges: Array<[string, string]> = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      ranges.push([chars[i]!, chars[i + 2]!]);
      i += 2;
    } else ranges.push([chars[i]!, chars[i]!]);
  }
  return (c) => c !== '/' && ranges.some(([lo, hi]) => lo <= c && c <= hi) !== negated;
}

class Automaton implements Glob {
  private readonly states: State[] = [{ kind: 'accept' }];
  private readonly start: number;
  /** Generation marks for the state-set walk, so a closure visits each state once. */
  private readonly seen: number[];
  private generation = 0;

  constructor(
    steps: Step[],
    /** A glob without a slash matches at any depth, as in files.exclude: it may start after any `/`. */
    private readonly anyDepth: boolean,
  ) {
    this.start = this.build(steps, 0);
    this.seen = new Array<number>(this.states.length).fill(0);
  }

  private add(state: State): number {
    this.states.push(state);
    return this.states.length - 1;
  }

  /** Builds the steps back to front, each leading to `then`; returns the entry state. */
  private build(steps: readonly Step[], then: number): number {
    let next = then;
    for (let k = steps.length - 1; k >= 0; k--) next = this.buildStep(steps[k]!, next);
    return next;
  }

  private buildStep(step: Step, then: number): number {
    switch (step.kind) {
      case 'one':
        return this.add({ kind: 'char', accepts: step.accepts, next: then });
      case 'many': {
        const loop: { kind: 'split'; next: number[] } = { kind: 'split', next: [] };
        const at = this.add(loop);
        loop.next.push(this.add({ kind: 'char', accepts: step.accepts, next: at }), then);
        return at;
      }
      case 'folders': {
        // `**/`: nothing, or any characters ending in a slash.
        const slash = this.add({ kind: 'char', accepts: (c) => c === '/', next: then });
        return this.add({ kind: 'split', next: [this.buildStep({ kind: 'many', accepts: anyChar }, slash), then] });
      }
      case 'choice':
        return this.add({ kind: 'split', next: step.options.map((o) => this.build(o, then)) });
    }
  }

  /** Adds a state and every state reachable from it without reading a character. */
  private close(state: number, into: number[]): void {
    const stack = [state];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (this.seen[s] === this.generation) continue;
      this.seen[s] = this.generation;
      const st = this.states[s]!;
      if (st.kind === 'split') stack.push(...st.next);
      else into.push(s);
    }
  }

  test(path: string): boolean {
    this.generation++;
    let current: number[] = [];
    this.close(this.start, current);
    for (const c of path) {
      this.generation++;
      const next: number[] = [];
      for (const s of current) {
        const st = this.states[s]!;
        if (st.kind === 'char' && st.accepts(c)) this.close(st.next, next);
      }
      if (this.anyDepth && c === '/') this.close(this.start, next);
      current = next;
      if (current.length === 0 && !this.anyDepth) return false;
    }
    return current.includes(0);
  }
}

export function compileGlob(glob: string): Glob {
  return new Automaton(new Parser(glob).sequence(false), !glob.includes('/'));
}

export function matchesAny(relativePath: string, globs: readonly Glob[]): boolean {
  // A pattern matching a parent folder excludes everything below it.
  const parts = relativePath.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (globs.some((g) => g.test(prefix))) return true;
  }
  return false;
}
