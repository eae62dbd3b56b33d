/**
 * The first layout: ELK's layered algorithm (elkjs, bundled, run in the
 * page). Flows point from left to right, namespaces are boxes laid out with
 * their workloads inside (hierarchy handled as one graph, so flows between
 * namespaces shape both levels), and nothing overlaps by construction. Chosen
 * over fcose on measurements: see the closing note of issue 17 and
 * test/bench/graph-layout-bench.ts.
 */
import type { Core, NodeSingular, Position } from 'cytoscape';
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';

/** Space the canvas gives a namespace box around its workloads (its style's padding) and its label above. */
export const NAMESPACE_PADDING = 16;
const NAMESPACE_LABEL = 18;

const elk = new ELK();

/** The drawn width of a node's own label. */
function labelWidth(n: NodeSingular): number {
  return n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }).w;
}

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.spacing.componentComponent': '40',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/** Positions (node centres) for every leaf node, from a layered layout of the visible elements. */
export async function layeredPositions(cy: Core, aspectRatio: number, hierarchy: 'include' | 'separate' = 'include'): Promise<Map<string, Position>> {
  const visible = cy.nodes().filter((n) => !n.hasClass('hidden'));
  const byId = new Map<string, ElkNode>();
  const root: ElkNode = { id: '__root', layoutOptions: { ...ROOT_OPTIONS, 'elk.aspectRatio': String(aspectRatio), 'elk.hierarchyHandling': hierarchy === 'include' ? 'INCLUDE_CHILDREN' : 'SEPARATE_CHILDREN' }, children: [], edges: [] };
  const elkNode = (n: NodeSingular): ElkNode => {
    const known = byId.get(n.id());
    if (known) return known;
    const node: ElkNode = n.isParent()
      ? {
          id: n.id(),
          children: [],
          layoutOptions: {
            'elk.padding': `[top=${NAMESPACE_PADDING + NAMESPACE_LABEL},left=${NAMESPACE_PADDING},bottom=${NAMESPACE_PADDING},right=${NAMESPACE_PADDING}]`,
            // A name wider than the workloads below it widens the box; the workloads sit in its middle, under the name.
            'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
            'elk.nodeSize.minimum': `(${Math.ceil(labelWidth(n)) + 2 * NAMESPACE_PADDING},30)`,
            'elk.contentAlignment': '[H_CENTER, V_TOP]',
          },
        }
      : { id: n.id(), width: n.outerWidth(), height: n.outerHeight() };
    byId.set(n.id(), node);
    const parent = n.parent();
    const parentNode = parent.first() as NodeSingular;
    const container = parent.nonempty() && !parentNode.hasClass('hidden') ? elkNode(parentNode) : root;
    container.children!.push(node);
    return node;
  };
  visible.forEach((n) => {
    elkNode(n as NodeSingular);
  });
  const edges: ElkExtendedEdge[] = [];
  const seen = new Set<string>();
  cy.edges().forEach((e) => {
    if (e.hasClass('hidden')) return;
    let source = e.source();
    let target = e.target();
    let container = root;
    if (hierarchy === 'separate') {
      // Each box is laid out on its own: a flow between boxes joins the boxes.
      const top = (n: NodeSingular) => (n.parent().nonempty() ? (n.parent().first() as NodeSingular) : n);
      if (source.parent().same(target.parent()) && source.parent().nonempty()) container = byId.get((source.parent().first() as NodeSingular).id()) ?? root;
      else {
        source = top(source);
        target = top(target);
      }
    }
    // Self loops and flows between a namespace and its own workloads say nothing about placement.
    if (source.same(target) || source.ancestors().contains(target) || target.ancestors().contains(source)) return;
    if (!byId.has(source.id()) || !byId.has(target.id())) return;
    const key = `${source.id()}\u0000${target.id()}`;
    if (seen.has(key)) return;
    seen.add(key);
    const edge = { id: `e${seen.size}`, sources: [source.id()], targets: [target.id()] };
    if (container === root) edges.push(edge);
    else (container.edges ??= []).push(edge);
  });
  root.edges = edges;
  const laid = await elk.layout(root);
  const positions = new Map<string, Position>();
  const walk = (node: ElkNode, dx: number, dy: number) => {
    for (const child of node.children ?? []) {
      const x = dx + (child.x ?? 0);
      const y = dy + (child.y ?? 0);
      if (child.children !== undefined && child.children.length > 0) walk(child, x, y);
      else positions.set(child.id, { x: x + (child.width ?? 0) / 2, y: y + (child.height ?? 0) / 2 });
    }
  };
  walk(laid, 0, 0);
  return positions;
}
