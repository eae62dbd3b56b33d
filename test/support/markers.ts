/**
 * Expected findings written into fixtures, under the offending text:
 *
 *     cidr: 10.0.0.1/8
 *     #     ^^^^^^^^^^ cidr-not-canonical
 *
 * A marker line is a comment whose carets sit under the columns of the
 * nearest line above that is not itself a marker. The finding must start at
 * the first caret; when it ends on the same line it must end after the last
 * caret. Several codes may follow the carets.
 */
export interface ExpectedFinding {
  readonly code: string;
  /** 0-based. */
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
}

const MARKER = /^(\s*)#(\s*)(\^+)\s+([a-z0-9-]+(?:[\s,]+[a-z0-9-]+)*)\s*$/;

export function parseMarkers(text: string): ExpectedFinding[] {
  const lines = text.split(/\r?\n/);
  const out: ExpectedFinding[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m === null) {
      target = i;
      return;
    }
    const start = m[1]!.length + 1 + m[2]!.length;
    const end = start + m[3]!.length;
    for (const code of m[4]!.split(/[\s,]+/)) out.push({ code, line: target, startColumn: start, endColumn: end });
  });
  return out;
}

export interface ActualFinding {
  readonly code: string;
  readonly line: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Compares findings with markers; returns a readable list of differences (empty when equal). */
export function diffFindings(expected: ExpectedFinding[], actual: ActualFinding[]): string[] {
  const problems: string[] = [];
  const unmatched = [...actual];
  for (const e of expected) {
    const i = unmatched.findIndex(
      (a) => a.code === e.code && a.line === e.line && a.startColumn === e.startColumn && (a.endLine !== a.line || a.endColumn === e.endColumn),
    );
    if (i === -1) problems.push(`missing ${e.code} at ${e.line + 1}:${e.startColumn + 1}-${e.endColumn + 1}`);
    else unmatched.splice(i, 1);
  }
  for (const a of unmatched) problems.push(`unexpected ${a.code} at ${a.line + 1}:${a.startColumn + 1}-${a.endLine + 1}:${a.endColumn + 1}`);
  return problems;
}

/**
 * Markers for files that cannot hold comments (JSON, or JSON inside a YAML
 * block scalar) live in a sidecar `<file>.markers`: each non-marker line is
 * a copy of a line of the file (matched in order), followed by its markers.
 */
export function parseSidecarMarkers(text: string, sidecar: string): ExpectedFinding[] {
  const lines = text.split(/\r?\n/);
  const out: ExpectedFinding[] = [];
  let target = -1;
  for (const line of sidecar.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = MARKER.exec(line);
    if (m === null) {
      const found = lines.findIndex((l, i) => i > target && l === line);
      if (found === -1) throw new Error(`sidecar line not found in order: ${line}`);
      target = found;
      continue;
    }
    const start = m[1]!.length + 1 + m[2]!.length;
    for (const code of m[4]!.split(/[\s,]+/)) out.push({ code, line: target, startColumn: start, endColumn: start + m[3]!.length });
  }
  return out;
}
