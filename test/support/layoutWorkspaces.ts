/**
 * The workspaces the graph's first layout is judged on (issue 17): examples/,
 * every corpus folder that has workloads, and generated clusters of 50 and
 * 200 workloads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GraphData } from '../../server/src/requests.js';
import { generateCluster } from './generateCluster.js';
import { CORPUS, REPO_ROOT } from './paths.js';
import { graphOf, readTree } from './webviewHarness.js';

export function layoutWorkspaces(): Array<{ name: string; graph: GraphData }> {
  const out = [{ name: 'examples', graph: graphOf(readTree(path.join(REPO_ROOT, 'examples'))) }];
  if (CORPUS !== undefined) {
    for (const dir of fs.readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      const graph = graphOf(readTree(path.join(CORPUS, dir)));
      if (graph.nodes.some((n) => n.kind === 'workload')) out.push({ name: dir, graph });
    }
  }
  for (const workloads of [50, 200]) out.push({ name: `generated-${workloads}`, graph: graphOf(generateCluster({ workloads, policies: workloads / 2, namespaces: Math.max(3, workloads / 20), perFile: 25, seed: 7 })) });
  return out;
}
