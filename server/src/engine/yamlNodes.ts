/**
 * Read-only navigation over `yaml` syntax nodes. The model builders walk nodes
 * rather than plain JS values so that every value keeps its source span, and so
 * that aliases are followed one step at a time instead of being expanded (an
 * alias bomb stays a handful of nodes).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { SourceSpan } from './source.js';

export interface NodeContext {
  readonly file: string;
  readonly doc: Document.Parsed;
  /** Where the parsed text starts in the file: node ranges are relative to it. */
  readonly offset: number;
  /** The parsed text, for fixes that need to see indentation. */
  readonly source: string;
  /**
   * For text parsed out of a YAML string (JSON in a ConfigMap): maps an
   * offset in that text to the file. Replaces `offset` when set.
   */
  readonly mapOffset?: (inner: number) => number;
}

const MAX_ALIAS_HOPS = 16;

/** Follows aliases (bounded: a cycle or a long chain yields undefined). */
export function deref(ctx: NodeContext, node: unknown): Node | undefined {
  let current = node;
  for (let hops = 0; isAlias(current); hops++) {
    if (hops >= MAX_ALIAS_HOPS) return undefined;
    current = current.resolve(ctx.doc);
  }
  return (current ?? undefined) as Node | undefined;
}

export function spanOf(ctx: NodeContext, node: unknown, fallback?: SourceSpan): SourceSpan {
  const n = node as Node | undefined;
  if (n && n.range) {
    if (ctx.mapOffset !== undefined) {
      const start = ctx.mapOffset(n.range[0]);
      return { file: ctx.file, start, end: Math.max(start, ctx.mapOffset(Math.max(n.range[0], n.range[1] - 1)) + 1) };
    }
    return { file: ctx.file, start: ctx.offset + n.range[0], end: ctx.offset + n.range[1] };
  }
  return fallback ?? { file: ctx.file, start: 0, end: 0 };
}

export interface MapEntry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | undefined;
}

/** Entries of a mapping with scalar keys; anything else yields nothing. */
export function entries(ctx: NodeContext, node: unknown): MapEntry[] {
  const map = deref(ctx, node);
  if (!isMap(map)) return [];
  const out: MapEntry[] = [];
  for (const pair of map.items as Pair<unknown, unknown>[]) {
    const keyNode = pair.key as Node;
    if (!isScalar(keyNode)) continue;
    out.push({ key: String(keyNode.value), keyNode, value: deref(ctx, pair.value) });
  }
  return out;
}

export function entry(ctx: NodeContext, node: unknown, key: string): MapEntry | undefined {
  const map = deref(ctx, node);
  if (!isMap(map)) return undefined;
  for (const pair of map.items as Pair<unknown, unknown>[]) {
    const keyNode = pair.key as Node;
    if (isScalar(keyNode) && String(keyNode.value) === key) {
      return { key, keyNode, value: deref(ctx, pair.value) };
    }
  }
  return undefined;
}

export function get(ctx: NodeContext, node: unknown, ...path: string[]): Node | undefined {
  let current: Node | undefined = deref(ctx, node);
  for (const key of path) {
    current = entry(ctx, current, key)?.value;
    if (current === undefined) return undefined;
  }
  return current;
}

export function items(ctx: NodeContext, node: unknown): Node[] {
  const seq = deref(ctx, node);
  if (!isSeq(seq)) return [];
  const out: Node[] = [];
  for (const item of seq.items) {
    const n = deref(ctx, item);
    if (n !== undefined) out.push(n);
  }
  return out;
}

export function isMapNode(ctx: NodeContext, node: unknown): boolean {
  return isMap(deref(ctx, node));
}

export function isSeqNode(ctx: NodeContext, node: unknown): boolean {
  return isSeq(deref(ctx, node));
}

/** A scalar explicitly null (`key:` or `key: null`), which Kubernetes treats as absent. */
export function isNullNode(ctx: NodeContext, node: unknown): boolean {
  const n = deref(ctx, node);
  return n === undefined || (isScalar(n) && n.value === null);
}

export function scalar(ctx: NodeContext, node: unknown): unknown {
  const n = deref(ctx, node);
  return isScalar(n) ? n.value : undefined;
}

/** Strings, and numbers/booleans written where a string is expected, as text. */
export function text(ctx: NodeContext, node: unknown): string | undefined {
  const v = scalar(ctx, node);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function integer(ctx: NodeContext, node: unknown): number | undefined {
  const v = scalar(ctx, node);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** A mapping of string to string (labels, selectors). */
export function stringMap(ctx: NodeContext, node: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries(ctx, node)) {
    const v = text(ctx, e.value);
    if (v !== undefined) out.set(e.key, v);
  }
  return out;
}
