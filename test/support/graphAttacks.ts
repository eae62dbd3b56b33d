/**
 * Issue 14, class 7: workspaces whose names broke the graph's ids, and the
 * graph the real language server answers netlens/graph with on them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GRAPH, INDEXED, type GraphData } from '../../server/src/requests.js';
import { LspTestClient, within } from './lspClient.js';
import { FIXTURES } from './paths.js';
import { scratchWorkspace } from './scratch.js';

export interface GraphAttack {
  readonly name: string;
  /** Relative path → text, copied into a scratch workspace. */
  readonly files: Record<string, string>;
  readonly nodes: number;
  readonly edges: number;
}

const read = (relative: string) => fs.readFileSync(path.join(FIXTURES, 'graph', relative), 'utf8');

export const GRAPH_ATTACKS: readonly GraphAttack[] = [
  // Namespace shop, web, api and its copy; web → each api (explicit), each api → web (default-allow).
  { name: 'the same Deployment declared in two files', files: { 'api.yaml': read('declared-twice/api.yaml'), 'copy.yaml': read('declared-twice/copy.yaml') }, nodes: 4, edges: 4 },
  // Namespace ns and four pods, each reaching the three others.
  { name: 'pod names containing "->"', files: { 'pods.yaml': read('arrow-names.yaml') }, nodes: 5, edges: 12 },
];

/** Starts the server on the attack's workspace, waits for indexing, asks for the graph. */
export async function serverGraph(attack: GraphAttack): Promise<GraphData> {
  const client = await LspTestClient.start(scratchWorkspace('graph-ids', attack.files));
  try {
    await within(20_000, 'indexing', new Promise((resolve) => client.connection.onNotification(INDEXED, resolve)));
    return await client.connection.sendRequest<GraphData>(GRAPH);
  } finally {
    await client.stop();
  }
}
