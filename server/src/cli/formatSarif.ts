/**
 * Findings as SARIF 2.1.0, the format code-scanning tools read: one rule per
 * code (its description and default level), one result per finding with its
 * region, related locations and a fingerprint that survives line shifts.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_GUIDANCE, RULES, type Finding, type LineIndex, type RuleCode, type Severity, type SourceSpan } from '../engine/index.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifInput {
  readonly findings: readonly Finding[];
  readonly fingerprints: readonly string[];
  readonly lineIndex: (file: string) => LineIndex;
  /** Results name files relative to this folder (the repository root in CI). */
  readonly root: string;
  readonly version: string;
}

function physicalLocation(span: SourceSpan, input: SarifInput) {
  const idx = input.lineIndex(span.file);
  const s = idx.positionAt(span.start);
  const e = idx.positionAt(span.end);
  const relative = path.relative(input.root, path.resolve(span.file)).split(path.sep).join('/');
  return {
    artifactLocation: { uri: encodeURI(relative), uriBaseId: 'SRCROOT' },
    region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
  };
}

export function formatFindingsSarif(input: SarifInput): string {
  const codes = Object.keys(RULES) as RuleCode[];
  const rules = codes.map((code) => ({
    id: code,
    shortDescription: { text: RULES[code].doc },
    fullDescription: { text: RULES[code].doc },
    help: { text: `${RULES[code].doc} ${RULE_GUIDANCE[code].next} Run \`netlens explain-code ${code}\` for an example and how to silence it where it is intended.` },
    defaultConfiguration: { level: LEVEL[RULES[code].severity] },
  }));
  const results = input.findings.map((f, i) => {
    const result: Record<string, unknown> = {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: physicalLocation(f.span, input) }],
      partialFingerprints: { 'netlensFinding/v1': input.fingerprints[i]! },
    };
    if (f.related.length > 0) result['relatedLocations'] = f.related.map((r, id) => ({ id, physicalLocation: physicalLocation(r.span, input), message: { text: r.message } }));
    return result;
  });
  const rootUri = pathToFileURL(input.root).href;
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'netlens', version: input.version, rules } },
          originalUriBaseIds: { SRCROOT: { uri: rootUri.endsWith('/') ? rootUri : `${rootUri}/` } },
          results,
        },
      ],
    },
    null,
    2,
  );
}
