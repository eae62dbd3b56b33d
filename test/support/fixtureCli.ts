/**
 * The real CLI run in one fixture folder of test/fixtures: its stdout with
 * the exit status checked, and `matrix --json` with the pod list checked, so
 * truth-table tests state only the rows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CLI, REPO_ROOT } from './paths.js';

export interface FixtureCli {
  netlens(args: string[], status?: number): string;
  matrix(port: number, ...files: string[]): boolean[][];
}

export function fixtureCli(folder: string, pods: readonly string[], always: readonly string[] = []): FixtureCli {
  const cwd = path.join(REPO_ROOT, 'test', 'fixtures', folder);
  const netlens = (args: string[], status = 0): string => {
    const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
    assert.equal(run.status, status, run.stderr);
    return run.stdout;
  };
  const matrix = (port: number, ...files: string[]): boolean[][] => {
    const answer = JSON.parse(netlens(['matrix', '--port', String(port), '--json', ...always, ...files])) as { pods: string[]; allowed: boolean[][] };
    assert.deepEqual(answer.pods, pods);
    return answer.allowed;
  };
  return { netlens, matrix };
}
