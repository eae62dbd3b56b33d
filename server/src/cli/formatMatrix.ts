import { escapeControls } from './terminalText.js';

/**
 * The reachability matrix as a readable table: numbered columns with a legend,
 * "✓" for allowed and "·" for denied, so wide clusters still fit a terminal.
 * A single pod's diagonal cell is "=": a pod always reaches itself, which is
 * not the same claim as a workload's diagonal (its replicas reaching each other).
 */
export function formatMatrixTable(podNames: readonly string[], allowed: readonly (readonly boolean[])[], singlePod: readonly boolean[], title: string): string {
  const lines = [`Reachability on ${title} (row = source, column = destination)`];
  // Escaped before padding, so a name with control characters keeps its column; no spread, so any count of pods fits.
  const pods = podNames.map(escapeControls);
  const width = pods.reduce((w, p) => Math.max(w, p.length), 6);
  const numWidth = String(pods.length).length;
  const header = ' '.repeat(width + numWidth + 3) + pods.map((_, i) => String(i + 1).padStart(numWidth)).join(' ');
  lines.push(header);
  pods.forEach((p, i) => {
    const cells = allowed[i]!.map((a, j) => (i === j && singlePod[i] ? '=' : a ? '✓' : '·').padStart(numWidth)).join(' ');
    lines.push(`${String(i + 1).padStart(numWidth)}. ${p.padEnd(width)} ${cells}`);
  });
  const total = allowed.reduce((n, row) => n + row.filter(Boolean).length, 0);
  lines.push(`${total} of ${pods.length * pods.length} pairs allowed.`);
  if (singlePod.some(Boolean)) lines.push('= a pod reaching itself (always allowed); a workload of several pods shows its replicas reaching each other.');
  return lines.join('\n');
}
