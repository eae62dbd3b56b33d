/**
 * The one place where engine offsets become LSP positions and back.
 */
import type { Location, Position, Range } from 'vscode-languageserver';
import type { LineIndex, SourceSpan } from './engine/index.js';

export function toRange(index: LineIndex, span: { start: number; end: number }): Range {
  return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
}

export function toOffset(index: LineIndex, position: Position): number {
  return index.offsetAt(position);
}

export function toLocation(lineIndex: (uri: string) => LineIndex, span: SourceSpan): Location {
  return { uri: span.file, range: toRange(lineIndex(span.file), span) };
}

export function spanContains(span: { start: number; end: number }, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** Whether two ranges share a position, ends included (a range of one position is a point). */
export function rangesOverlap(a: Range, b: Range): boolean {
  const atOrBefore = (x: Position, y: Position) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return atOrBefore(a.start, b.end) && atOrBefore(b.start, a.end);
}
