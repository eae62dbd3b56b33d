/**
 * Findings → LSP diagnostics: stable code, source "netlens", related
 * locations, and the severity the user configured for the code.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, LineIndex, Severity } from './engine/index.js';
import { toLocation, toRange } from './positions.js';
import type { NetlensSettings } from './settings.js';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, lineIndex: (uri: string) => LineIndex, settings: NetlensSettings): Diagnostic | undefined {
  // The repository's per-path choice is the more specific one, as folder settings beat user settings in VS Code.
  const configured = f.severityFromProject ? f.severity : (settings.severity[f.code] ?? f.severity);
  if (configured === 'off') return undefined;
  const diagnostic: Diagnostic = {
    range: toRange(lineIndex(f.span.file), f.span),
    severity: LSP_SEVERITY[configured],
    code: f.code,
    source: 'netlens',
    message: f.message,
  };
  if (f.related.length > 0) diagnostic.relatedInformation = f.related.map((r) => ({ location: toLocation(lineIndex, r.span), message: r.message }));
  return diagnostic;
}

export function diagnosticsFor(findings: readonly Finding[], lineIndex: (uri: string) => LineIndex, settings: NetlensSettings): Diagnostic[] {
  return findings.flatMap((f) => toDiagnostic(f, lineIndex, settings) ?? []);
}
