/**
 * A flow diff as text (terminal) and as Markdown (a pull-request comment).
 */
import type { FlowChange } from '../engine/index.js';

const count = (n: number) => `${n} flow${n === 1 ? '' : 's'}`;

export function flowDiffHeadline(changes: readonly FlowChange[]): string {
  const opened = changes.filter((c) => c.change === 'opened').length;
  return `this change opens ${count(opened)}, closes ${changes.length - opened}`;
}

export function formatFlowDiffText(changes: readonly FlowChange[], ref: string): string {
  const lines = [`${flowDiffHeadline(changes)} (against ${ref})`];
  for (const c of changes) lines.push(`${c.change === 'opened' ? '+' : '-'} ${c.source} → ${c.destination} ${c.protocol} ${c.port}: ${c.why}`);
  return lines.join('\n');
}

/** Table cells: pipes and newlines would break the row, backticks and angle brackets the markup. */
function cell(text: string): string {
  return text.replace(/[\\`*_<>|]/g, '\\$&').replace(/\n/g, ' ');
}

export function formatFlowDiffMarkdown(changes: readonly FlowChange[], ref: string): string {
  const lines = [`### Netlens: ${flowDiffHeadline(changes)} (against ${cell(ref)})`, ''];
  if (changes.length === 0) return [...lines, 'No flow between workloads changes.'].join('\n');
  lines.push('| | source → destination | port | why |', '|---|---|---|---|');
  for (const c of changes) lines.push(`| ${c.change} | ${cell(c.source)} → ${cell(c.destination)} | ${c.protocol} ${c.port} | ${cell(c.why)} |`);
  return lines.join('\n');
}
