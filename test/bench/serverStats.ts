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

/**
 * CPU time a process has used so far (user and system), in ms (Linux);
 * NaN where /proc does not tell. Unlike wall time it does not grow with
 * the machine's load, which on shared machines swamps keystroke figures.
 */
export function cpuMs(pid: number | undefined): number {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}
