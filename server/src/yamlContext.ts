/**
 * Where the cursor is in a YAML document that may be half-typed: the chain of
 * keys above it (from indentation, and from `{` on the current line), whether
 * it is writing a key or a value, and the document's kind. Works on text
 * alone, so it keeps working while the document does not parse.
 */
export interface YamlContext {
  /** Keys from the document root down to the mapping the cursor is in. */
  readonly path: readonly string[];
  /** The key whose value is being written, when in value position. */
  readonly key: string | undefined;
  /** What is typed so far of the key or value. */
  readonly prefix: string;
  /** Start offset of the prefix: completions replace from here. */
  readonly prefixStart: number;
  /** The cursor is on a sequence item (`- …`) of the innermost key. */
  readonly inSequenceItem: boolean;
  readonly kind: string | undefined;
}

interface LineShape {
  /** Column where the key (or scalar) starts, after any "- ". */
  readonly contentColumn: number;
  /** Column of the first "-" when the line is a sequence item. */
  readonly dashColumn: number | undefined;
  readonly key: string | undefined;
}

function shape(line: string): LineShape | undefined {
  const m = /^(\s*)((?:-\s+)*)(.*)$/.exec(line)!;
  const rest = m[3]!;
  if (rest.trim() === '' || rest.startsWith('#')) return m[2] ? { contentColumn: m[1]!.length + m[2].length, dashColumn: m[1]!.length, key: undefined } : undefined;
  const key = /^("[^"]*"|'[^']*'|[^\s:#{[][^:#]*?)\s*:(\s|$)/.exec(rest)?.[1];
  return { contentColumn: m[1]!.length + m[2]!.length, dashColumn: m[2] ? m[1]!.length : undefined, key: key?.replace(/^["']|["']$/g, '') };
}

export function yamlContextAt(text: string, offset: number): YamlContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();

  // The current line: leading "- ", then maybe flow mappings opened with "key: {".
  const current = /^(\s*)((?:-\s+)*)(.*)$/.exec(before)!;
  let column = current[1]!.length + current[2]!.length;
  const inSequenceItem = current[2] !== '';
  const inline: string[] = [];
  let tail = current[3]!;
  let key: string | undefined;
  // Peel "k: {" and "k: [" openings off the front of the line.
  for (;;) {
    const open = /^([^\s:{},[\]#][^:{},[\]#]*?)\s*:\s*[{[]\s*/.exec(tail);
    if (open === null) break;
    inline.push(open[1]!.trim());
    tail = tail.slice(open[0].length);
    // Inside "{a: 1, b: " only the last entry matters.
    const lastComma = Math.max(tail.lastIndexOf(','), tail.lastIndexOf('{'));
    if (lastComma !== -1 && !/[{[]/.test(tail.slice(lastComma + 1))) tail = tail.slice(lastComma + 1).replace(/^\s*/, '');
  }
  const kv = /^([^\s:{},[\]#][^:{},[\]#]*?)\s*:\s+(.*)$/.exec(tail);
  let prefix: string;
  if (kv !== null) {
    key = kv[1]!.trim();
    prefix = kv[2]!.replace(/^["'[{]+/, '');
  } else prefix = tail.replace(/^["'[{\s]+/, '');
  const prefixStart = offset - prefix.length;

  // Parents from indentation, walking up.
  const path: string[] = [];
  let threshold = column;
  let kind: string | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (/^---(\s|$)/.test(line)) break;
    const s = shape(line);
    if (s === undefined) continue;
    if (kind === undefined && s.contentColumn === 0 && s.dashColumn === undefined && s.key === 'kind') kind = /:\s*(\S+)/.exec(line)?.[1];
    if (s.contentColumn < threshold && s.key !== undefined) {
      path.unshift(s.key);
      threshold = s.dashColumn ?? s.contentColumn;
    } else if (s.dashColumn !== undefined && s.dashColumn < threshold && s.key === undefined) {
      threshold = s.dashColumn;
    }
  }
  if (kind === undefined) {
    // kind may come after the cursor.
    const rest = text.slice(offset);
    const end = rest.search(/^---(\s|$)/m);
    kind = /^kind:\s*(\S+)/m.exec(end === -1 ? rest : rest.slice(0, end))?.[1];
  }
  return { path: [...path, ...inline], key, prefix, prefixStart, inSequenceItem, kind };
}
