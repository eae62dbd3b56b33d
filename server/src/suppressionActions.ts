/**
 * Quick fixes "Disable CODE for this line" and "Disable CODE for this file":
 * they write the suppression comments that engine/suppressions.ts reads, adding
 * to a comment already there rather than stacking a second one.
 */
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver';
import type { Finding, LineIndex } from './engine/index.js';
import { toDiagnostic } from './diagnostics.js';
import { toOffset } from './positions.js';
import type { NetlensSettings } from './settings.js';

/** JSON (.json, .conflist, .conf) has no comments: those files take .netlens.yaml rules. */
const takesComments = (uri: string) => /\.ya?ml$/i.test(uri);

const lineStartAt = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

function lineAt(text: string, start: number): string {
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end);
}

/** An edit adding `code` to the comment on the line at `lineStart` when it is a `directive` comment, else undefined. */
function addToComment(text: string, lineStart: number, directive: string, code: string, index: LineIndex): TextEdit | undefined {
  const line = lineAt(text, lineStart);
  const m = new RegExp(`^[ \\t]*#[ \\t]*${directive}[ \\t]+([A-Za-z0-9, -]*?)[ \\t]*$`).exec(line);
  if (m === null) return undefined;
  const at = index.positionAt(lineStart + m[0].trimEnd().length);
  return { range: { start: at, end: at }, newText: `, ${code}` };
}

function insertLine(index: LineIndex, offset: number, line: string): TextEdit {
  const at = index.positionAt(offset);
  return { range: { start: at, end: at }, newText: `${line}\n` };
}

export function suppressionActions(findings: readonly Finding[], uri: string, text: string, range: Range, lineIndex: (uri: string) => LineIndex, settings: NetlensSettings): CodeAction[] {
  if (!takesComments(uri)) return [];
  const index = lineIndex(uri);
  const from = toOffset(index, range.start);
  const to = toOffset(index, range.end);
  const actions: CodeAction[] = [];
  for (const f of findings) {
    if (f.span.file !== uri || f.code === 'suppression-unused' || f.span.start > to || f.span.end < from) continue;
    const diagnostic = toDiagnostic(f, lineIndex, settings);
    if (diagnostic === undefined) continue;
    const lineStart = lineStartAt(text, f.span.start);
    const above = lineStart === 0 ? undefined : lineStartAt(text, lineStart - 1);
    const indent = /^[ \t]*/.exec(lineAt(text, lineStart))![0];
    const lineEdit =
      (above === undefined ? undefined : addToComment(text, above, 'netlens-disable-next-line', f.code, index)) ??
      insertLine(index, lineStart, `${indent}# netlens-disable-next-line ${f.code}`);
    const fileEdit = addToComment(text, 0, 'netlens-disable', f.code, index) ?? insertLine(index, 0, `# netlens-disable ${f.code}`);
    for (const [title, edit] of [
      [`Disable ${f.code} for this line`, lineEdit],
      [`Disable ${f.code} for this file`, fileEdit],
    ] as const) {
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [edit] } } });
    }
  }
  return actions;
}
