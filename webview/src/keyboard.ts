/**
 * Moving around the canvas without a mouse: arrow keys move a focus ring
 * from node to node, to the neighbour (a node a drawn flow joins) that lies
 * most in the arrow's direction, or, when no neighbour lies that way, to the
 * nearest node that does. Enter selects the focused node and moves focus to
 * its details; Escape clears.
 */
import type { Core, NodeSingular } from 'cytoscape';

export type Direction = 'left' | 'right' | 'up' | 'down';

const VECTORS: Record<Direction, { x: number; y: number }> = { left: { x: -1, y: 0 }, right: { x: 1, y: 0 }, up: { x: 0, y: -1 }, down: { x: 0, y: 1 } };

export const ARROW_KEYS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/**
 * A score for a candidate in a direction: distance along the arrow plus twice
 * the distance across it (so that a node straight ahead beats a nearer one off
 * to the side); undefined when the candidate is not ahead at all.
 */
function score(from: { x: number; y: number }, to: { x: number; y: number }, d: Direction): number | undefined {
  const v = VECTORS[d];
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const along = dx * v.x + dy * v.y;
  if (along <= 0.5) return undefined;
  const across = Math.abs(dx * v.y - dy * v.x);
  if (across > 2 * along) return undefined;
  return along + 2 * across;
}

function best(from: NodeSingular, candidates: NodeSingular[], d: Direction): NodeSingular | undefined {
  let found: NodeSingular | undefined;
  let foundScore = Infinity;
  for (const c of candidates) {
    const s = score(from.position(), c.position(), d);
    if (s !== undefined && s < foundScore) {
      found = c;
      foundScore = s;
    }
  }
  return found;
}

/** Drawn workloads and address nodes (namespace boxes are reached through their workloads). */
function focusable(cy: Core): NodeSingular[] {
  return cy.nodes(':visible').filter((n) => !n.isParent() && n.data('kind') !== 'namespace').toArray() as NodeSingular[];
}

/** The first node to focus: the one nearest the top left corner. */
export function firstNode(cy: Core): NodeSingular | undefined {
  const nodes = focusable(cy);
  return nodes.sort((a, b) => a.position().y + a.position().x - (b.position().y + b.position().x))[0];
}

/** Where an arrow key moves the focus from a node: a neighbour that way, else the nearest node that way. */
export function nextNode(cy: Core, fromId: string, d: Direction): NodeSingular | undefined {
  const from = cy.getElementById(fromId);
  if (from.empty() || !from.isNode()) return firstNode(cy);
  const node = from as NodeSingular;
  const edges = node.connectedEdges(':visible').union(node.parent().connectedEdges(':visible'));
  const neighbours = edges.connectedNodes().filter((n) => !n.same(node) && !n.isParent() && n.visible()).toArray() as NodeSingular[];
  return best(node, neighbours, d) ?? best(node, focusable(cy).filter((n) => !n.same(node)), d);
}
