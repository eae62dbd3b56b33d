/**
 * Quick fixes: the fixes the engine attached to findings under the cursor,
 * as workspace edits tied to their diagnostics.
 */
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver';
import type { Finding, LineIndex } from './engine/index.js';
import { toDiagnostic } from './diagnostics.js';
import { rangesOverlap, toRange } from './positions.js';
import type { NetlensSettings } from './settings.js';

export function codeActions(findings: readonly Finding[], uri: string, range: Range, lineIndex: (uri: string) => LineIndex, settings: NetlensSettings): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const f of findings) {
    if (f.span.file !== uri || f.fixes === undefined || f.fixes.length === 0) continue;
    if (!rangesOverlap(toRange(lineIndex(uri), f.span), range)) continue;
    const diagnostic = toDiagnostic(f, lineIndex, settings);
    for (const fix of f.fixes) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (changes[e.span.file] ??= []).push({ range: toRange(lineIndex(e.span.file), e.span), newText: e.newText });
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, edit: { changes } };
      if (diagnostic) action.diagnostics = [diagnostic];
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}
