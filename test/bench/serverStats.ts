/**
 * Figures the language-server benchmarks report: quantiles of timings and a
 * server process's peak resident memory.
 */
import * as fs from 'node:fs';

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** VmHWM of a process, in MB (Linux); NaN where /proc does not tell. */
export function peakRssMB(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return NaN;
  }
}
