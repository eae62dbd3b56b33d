/**
 * The reachability matrix as a readable table: numbered columns with a legend,
 * "✓" for allowed and "·" for denied, so wide clusters still fit a terminal.
 */
export function formatMatrixTable(pods: readonly string[], allowed: readonly (readonly boolean[])[], title: string): string {
  const lines = [`Reachability on ${title} (row = source, column = destination)`];
  const width = Math.max(...pods.map((p) => p.length), 6);
  const numWidth = String(pods.length).length;
  const header = ' '.repeat(width + numWidth + 3) + pods.map((_, i) => String(i + 1).padStart(numWidth)).join(' ');
  lines.push(header);
  pods.forEach((p, i) => {
    const cells = allowed[i]!.map((a) => (a ? '✓' : '·').padStart(numWidth)).join(' ');
    lines.push(`${String(i + 1).padStart(numWidth)}. ${p.padEnd(width)} ${cells}`);
  });
  const total = allowed.reduce((n, row) => n + row.filter(Boolean).length, 0);
  lines.push(`${total} of ${pods.length * pods.length} pairs allowed.`);
  return lines.join('\n');
}
