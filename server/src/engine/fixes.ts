/**
 * Building blocks for fixes: text edits computed from spans and the
 * indentation around them, so that inserted YAML lines up with its neighbours.
 */
import type { Fix, TextEdit } from './rules.js';
import type { SourceSpan } from './source.js';
import { spanOf, type NodeContext } from './yamlNodes.js';
import type { Node } from 'yaml';

/** Where new block-sequence items (or a new key holding them) go. */
export interface InsertionPoint {
  /** Replaced by the insertion (empty: a pure insert). */
  readonly span: SourceSpan;
  /** Written before the first line (a newline, maybe a key). */
  readonly prefix: string;
  /** Indentation of every inserted line. */
  readonly indent: string;
}

export function replace(span: SourceSpan, newText: string): TextEdit {
  return { span, newText };
}

export function insertLines(at: InsertionPoint, lines: readonly string[]): TextEdit {
  return { span: at.span, newText: at.prefix + lines.map((l) => at.indent + l).join('\n') };
}

export function fix(title: string, edits: TextEdit[], preferred = false): Fix {
  return preferred ? { title, edits, preferred } : { title, edits };
}

/** Column of a chunk-relative offset. */
function columnAt(source: string, relative: number): number {
  const lineStart = source.lastIndexOf('\n', relative - 1) + 1;
  return relative - lineStart;
}

function lineEndAt(source: string, relative: number): number {
  const nl = source.indexOf('\n', relative);
  const end = nl === -1 ? source.length : nl;
  return source[end - 1] === '\r' ? end - 1 : end;
}

/**
 * After the last item of a block sequence, or — when the key is absent or its
 * value is empty — a new `key:` at the parent mapping's indentation.
 */
export function sequenceInsertion(ctx: NodeContext, parent: Node | undefined, key: string, keyNode: Node | undefined, value: Node | undefined, items: Node[]): InsertionPoint | undefined {
  const rel = (n: Node | undefined) => (n?.range ? n.range : undefined);
  const last = items[items.length - 1];
  const lastRange = rel(last);
  if (lastRange !== undefined && ctx.source[(rel(value)?.[0] ?? 0)] !== '[') {
    // Dash column: the item's content column minus "- ".
    const itemColumn = columnAt(ctx.source, rel(items[0])![0]);
    const end = lineEndAt(ctx.source, Math.max(lastRange[1] - 1, lastRange[0]));
    return { span: { file: ctx.file, start: ctx.offset + end, end: ctx.offset + end }, prefix: '\n', indent: ' '.repeat(Math.max(0, itemColumn - 2)) };
  }
  const keyRange = rel(keyNode);
  if (keyRange !== undefined) {
    const keyColumn = columnAt(ctx.source, keyRange[0]);
    const valueRange = rel(value);
    // `key: []`, `key:` or `key: null`: replace the value with a block sequence.
    const start = keyRange[1];
    const end = valueRange !== undefined ? valueRange[1] : keyRange[1];
    const colon = ctx.source.indexOf(':', start);
    return { span: { file: ctx.file, start: ctx.offset + colon + 1, end: ctx.offset + Math.max(end, colon + 1) }, prefix: '\n', indent: ' '.repeat(keyColumn + 2) };
  }
  const parentRange = rel(parent);
  if (parentRange === undefined) return undefined;
  const parentColumn = columnAt(ctx.source, parentRange[0]);
  const end = lineEndAt(ctx.source, Math.max(parentRange[1] - 1, parentRange[0]));
  const indent = ' '.repeat(parentColumn);
  return { span: { file: ctx.file, start: ctx.offset + end, end: ctx.offset + end }, prefix: `\n${indent}${key}:\n`, indent: indent + '  ' };
}

/** Deletes a sequence item: its whole line when it stands alone (block), or the entry and a comma (flow). */
export function removeItemEdit(ctx: NodeContext, item: Node): TextEdit {
  const span = spanOf(ctx, item);
  const r = item.range!;
  const src = ctx.source;
  const lineStart = src.lastIndexOf('\n', r[0] - 1) + 1;
  const before = src.slice(lineStart, r[0]);
  if (/^\s*-\s*$/.test(before)) {
    const end = lineEndAt(src, r[1]);
    const next = src[end] === '\r' ? end + 2 : end + 1;
    return replace({ file: ctx.file, start: ctx.offset + lineStart, end: ctx.offset + Math.min(next, src.length) }, '');
  }
  // Flow: take a following ", " or else a preceding ", ".
  const after = /^\s*,\s*/.exec(src.slice(r[1]));
  if (after) return replace({ ...span, end: span.end + after[0].length }, '');
  const prev = /,\s*$/.exec(src.slice(0, r[0]));
  if (prev) return replace({ ...span, start: span.start - prev[0].length }, '');
  return replace(span, '');
}

/** Inserts `key: value` as the first entry of a mapping item, block or flow. */
export function addFirstEntryEdit(ctx: NodeContext, map: Node, entry: string): TextEdit {
  const r = map.range!;
  const src = ctx.source;
  if (src[r[0]] === '{') {
    const at = ctx.offset + r[0] + 1;
    return replace({ file: ctx.file, start: at, end: at }, `${entry}, `);
  }
  const at = ctx.offset + r[0];
  return replace({ file: ctx.file, start: at, end: at }, `${entry}\n${' '.repeat(columnAt(src, r[0]))}`);
}

/**
 * Appends an item to the sequence at `key` of `parent`: inside a flow
 * sequence as flow text, otherwise as block lines (creating the key if needed).
 */
export function appendToSequenceEdit(
  ctx: NodeContext,
  parent: Node | undefined,
  key: string,
  keyNode: Node | undefined,
  value: Node | undefined,
  items: Node[],
  blockLines: readonly string[],
  flowText: string,
): TextEdit | undefined {
  const r = value?.range ?? undefined;
  if (r !== undefined && ctx.source[r[0]] === '[') {
    const close = ctx.source.lastIndexOf(']', r[1]);
    if (close > r[0]) {
      const at = ctx.offset + close;
      return replace({ file: ctx.file, start: at, end: at }, items.length > 0 ? `, ${flowText}` : flowText);
    }
  }
  const at = sequenceInsertion(ctx, parent, key, keyNode, value, items);
  return at === undefined ? undefined : insertLines(at, blockLines);
}
