/**
 * The cytoscape side of the panel: turns GraphData into elements, keeps
 * positions of nodes that survive an update, runs the fcose layout (which
 * understands namespaces as compound nodes), applies filters and highlights.
 * Labels go to the canvas as text, never through HTML.
 */
import cytoscape, { type Core, type ElementDefinition, type NodeSingular, type Position, type StylesheetJson } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { GraphData, GraphEdgeData, GraphNodeData } from '../../server/src/requests.js';
import { edgePasses, nodeMatches, NO_FILTERS, type Filters } from './filters.js';
import { layeredPositions } from './layered.js';
import type { Theme } from './theme.js';

cytoscape.use(fcose);

/**
 * Above this many flows the canvas shows one summary edge per pair of
 * namespaces, and a workload's own flows only once it is selected: tens of
 * thousands of edges cost seconds of style computation and show a hairball.
 */
export const MAX_DRAWN_FLOWS = 2000;

/** Up to this many drawn flows, the layered layout takes namespaces and workloads as one graph. */
const LAYERED_AS_ONE_GRAPH_FLOWS = 200;

/** Revealing a lone node zooms in no further than this. */
const REVEAL_MAX_ZOOM = 1.5;

export interface FlowSummary {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly flows: number;
}

export interface Selection {
  readonly node?: GraphNodeData;
  readonly edge?: GraphEdgeData;
  readonly summary?: FlowSummary;
}

function edgeElement(e: GraphEdgeData): ElementDefinition {
  return { group: 'edges', data: { id: e.id, source: e.source, target: e.target, explicit: e.explicit, display: `${e.ports.join(', ')}${e.l7 === undefined ? '' : ' · L7-filtered'}` } };
}

/** What rules admitting every peer open on a workload, read off its flows from and to "anywhere". */
export interface OpenEnds {
  readonly ingress?: readonly string[];
  readonly egress?: readonly string[];
  /** Those flows are L7-filtered (the rules have HTTP, Kafka or DNS rules): decided at L4. */
  readonly ingressL7?: boolean;
  readonly egressL7?: boolean;
}

function openEnds(edges: readonly GraphEdgeData[]): Map<string, OpenEnds> {
  const ends = new Map<string, OpenEnds>();
  for (const e of edges) {
    if (e.source === ANY_NODE) ends.set(e.target, { ...ends.get(e.target), ingress: e.ports, ...(e.l7 === undefined ? {} : { ingressL7: true }) });
    else if (e.target === ANY_NODE) ends.set(e.source, { ...ends.get(e.source), egress: e.ports, ...(e.l7 === undefined ? {} : { egressL7: true }) });
  }
  return ends;
}

const portsNote = (ports: readonly string[], l7: boolean | undefined) => {
  const notes = [...(ports.length === 1 && ports[0] === 'any port' ? [] : ports), ...(l7 ? ['L7-filtered'] : [])];
  return notes.length === 0 ? '' : ` (${notes.join(', ')})`;
};

/** The badge lines under a workload's name: what its allow-all rules open. */
export function badgeLines(open: OpenEnds | undefined): string[] {
  const lines: string[] = [];
  if (open?.ingress) lines.push(`◀ open to all ingress${portsNote(open.ingress, open.ingressL7)}`);
  if (open?.egress) lines.push(`▶ egress anywhere${portsNote(open.egress, open.egressL7)}`);
  return lines;
}

function displayLabel(n: GraphNodeData, open: OpenEnds | undefined, badges: boolean): string {
  if (n.kind !== 'workload') return n.label;
  const replicas = n.replicas !== undefined && n.replicas !== 1 ? ` ×${n.replicas}` : '';
  return [n.label, `${n.workloadKind ?? ''}${replicas}`, ...(badges ? badgeLines(open) : [])].join('\n');
}

/** The node that stands for every address, in the server's graph. */
const ANY_NODE = 'any';

function styleFor(t: Theme): StylesheetJson {
  const hc = t.kind.startsWith('high-contrast');
  return [
    {
      selector: 'node',
      style: {
        label: 'data(display)',
        color: t.foreground,
        'font-family': t.fontFamily,
        'font-size': 11,
        'text-wrap': 'wrap',
        'text-valign': 'center',
        'text-halign': 'center',
        'background-color': t.nodeBackground,
        'border-width': hc ? 2 : 1.5,
        'border-color': t.nodeBorder,
        shape: 'round-rectangle',
        width: 'label',
        height: 'label',
        padding: '8px',
      },
    },
    { selector: 'node[kind="workload"][?openIngress]', style: { 'border-style': 'dashed' } },
    { selector: 'node[kind="workload"][?hostNetwork]', style: { 'border-style': 'dotted', 'border-color': t.muted } },
    {
      selector: 'node[kind="namespace"]',
      style: {
        'text-valign': 'top',
        'text-halign': 'center',
        'font-weight': 'bold',
        'font-size': 12,
        'background-color': t.namespace,
        'background-opacity': hc ? 0 : 0.6,
        'border-color': t.border,
        'border-width': 1,
        padding: '16px',
        // Below every flow and workload, so that a click on a flow inside the box selects the flow.
        'z-compound-depth': 'bottom',
      },
    },
    { selector: 'node[kind="cidr"]', style: { shape: 'tag', 'border-color': t.external, color: t.foreground } },
    { selector: 'node[kind="any"]', style: { shape: 'ellipse', 'border-color': t.anywhere, 'border-width': 2 } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'curve-style': 'bezier',
        'line-color': t.allow,
        'target-arrow-color': t.allow,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        label: 'data(display)',
        'font-size': 9,
        color: t.muted,
        'text-rotation': 'autorotate',
        'text-background-color': t.background,
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        'z-compound-depth': 'top',
      },
    },
    { selector: 'edge[!explicit]', style: { 'line-style': 'dashed', 'line-color': t.muted, 'target-arrow-color': t.muted } },
    { selector: 'edge.quiet', style: { label: '' } },
    { selector: 'edge[?summary]', style: { width: 'data(weight)', opacity: 0.55 } },
    { selector: '.hidden', style: { display: 'none' } },
    { selector: '.faded', style: { opacity: 0.12 } },
    { selector: 'node.search-miss', style: { opacity: 0.25 } },
    { selector: 'edge.highlighted', style: { width: 3, 'line-color': t.focus, 'target-arrow-color': t.focus, label: 'data(display)', 'z-index': 10 } },
    // The keyboard's focus ring: drawn around the node, whatever its selection state.
    { selector: 'node.keyboard-focus', style: { 'underlay-color': t.focus, 'underlay-opacity': 0.45, 'underlay-padding': 5, 'underlay-shape': 'round-rectangle' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': t.focus, 'overlay-opacity': 0 } },
    { selector: 'edge:selected', style: { width: 4, 'line-color': t.focus, 'target-arrow-color': t.focus, label: 'data(display)' } },
  ] as StylesheetJson;
}

export class GraphView {
  readonly cy: Core;
  private data: GraphData | undefined;
  private readonly nodes = new Map<string, GraphNodeData>();
  private readonly edges = new Map<string, GraphEdgeData>();
  private filters: Filters = NO_FILTERS;
  private selected: string | undefined;
  /** Flows that pass the filters. */
  private passing: GraphEdgeData[] = [];
  private readonly summaries = new Map<string, FlowSummary>();
  private open = new Map<string, OpenEnds>();
  /** Whether the canvas shows namespace summaries instead of every flow. */
  summarised = false;
  /** Milliseconds the last layout took. */
  layoutMs = 0;
  /**
   * How a fresh layout places nodes: ELK's layered algorithm, or fcose (kept
   * for comparison in the layout benchmark, and for placing nodes that join a
   * graph already on screen, around the ones that stay put).
   */
  layoutEngine: 'layered' | 'layered-include' | 'layered-separate' | 'fcose' = 'layered';
  /** Settles when the layout running now (if any) has placed every node. */
  layoutDone: Promise<void> = Promise.resolve();

  constructor(
    container: HTMLElement,
    theme: Theme,
    private readonly onSelect: (selection: Selection) => void,
  ) {
    this.cy = cytoscape({ container, style: styleFor(theme), minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false, selectionType: 'single' });
    this.cy.on('tap', 'node, edge', (ev) => this.reveal(ev.target.id(), 'when-out-of-view'));
    this.cy.on('tap', (ev) => {
      if (ev.target === this.cy) this.select(undefined);
    });
  }

  /** The selected node or flow. */
  get selectedId(): string | undefined {
    return this.selected;
  }

  get graph(): GraphData | undefined {
    return this.data;
  }

  node(id: string): GraphNodeData | undefined {
    return this.nodes.get(id);
  }

  setTheme(theme: Theme): void {
    this.cy.style(styleFor(theme));
  }

  /** Replaces the graph. Nodes that were there keep their place; only new ones are laid out. */
  setGraph(graph: GraphData): void {
    const first = this.data === undefined;
    const previous = new Map<string, Position>();
    this.cy.nodes().forEach((n) => {
      if (!n.isParent()) previous.set(n.id(), { ...n.position() });
    });
    this.data = graph;
    this.nodes.clear();
    this.edges.clear();
    for (const n of graph.nodes) this.nodes.set(n.id, n);
    for (const e of graph.edges) this.edges.set(e.id, e);
    this.open = openEnds(graph.edges);
    const badges = this.filters.flows !== 'edges';

    const added: string[] = [];
    this.cy.batch(() => {
      this.cy.edges().remove();
      this.cy.nodes().filter((n) => !this.nodes.has(n.id()) || this.nodes.get(n.id())!.parent !== (n.data('parent') as string | undefined)).remove();
      // Namespaces first: a child can only be added once its parent exists.
      const ordered = [...graph.nodes].sort((a, b) => Number(b.kind === 'namespace') - Number(a.kind === 'namespace'));
      const elements: ElementDefinition[] = [];
      for (const n of ordered) {
        const data = { id: n.id, parent: n.parent, display: displayLabel(n, this.open.get(n.id), badges), kind: n.kind, openIngress: n.kind === 'workload' && !n.isolatedIngress, hostNetwork: n.hostNetwork === true };
        const existing = this.cy.getElementById(n.id);
        if (existing.nonempty()) existing.data(data);
        else {
          const position = first ? undefined : (previous.get(n.id) ?? this.placeNear(n));
          elements.push({ group: 'nodes', data, ...(position ? { position } : {}) });
          if (n.kind !== 'namespace') added.push(n.id);
        }
      }
      this.cy.add(elements);
    });

    // Edges before the layout: its springs are the flows.
    this.applyFilters(this.filters);
    if (first) this.layoutDone = this.layout(undefined);
    else if (added.length > 0) this.layoutDone = this.layout(previous);
    if (this.selected === undefined || this.cy.getElementById(this.selected).empty()) this.select(undefined);
  }

  /** A start position for a new node: the middle of its namespace, so the layout moves it little. */
  private placeNear(n: GraphNodeData): Position | undefined {
    if (n.parent === undefined) return undefined;
    const siblings = this.cy.nodes().filter((m) => m.data('parent') === n.parent && !m.isParent());
    if (siblings.empty()) return undefined;
    const box = siblings.boundingBox({});
    return { x: (box.x1 + box.x2) / 2 + 40, y: (box.y1 + box.y2) / 2 + 40 };
  }

  /**
   * Big graphs: workloads in rows inside their namespace, namespaces in rows.
   * Linear time and the same picture every time; a force layout of thousands
   * of flows takes seconds and shows a hairball anyway.
   */
  private gridLayout(): void {
    const gap = 28;
    const namespaces = this.cy.nodes('[kind="namespace"]');
    const loose = this.cy.nodes().filter((n) => !n.isParent() && n.parent().empty());
    const blocks: Array<{ nodes: NodeSingular[] }> = namespaces.map((ns) => ({ nodes: ns.children().toArray() as NodeSingular[] }));
    if (loose.nonempty()) blocks.push({ nodes: loose.toArray() as NodeSingular[] });
    const placed = blocks.map(({ nodes }) => {
      const columns = Math.max(1, Math.ceil(Math.sqrt(nodes.length * 1.6)));
      const cellW = Math.max(60, ...nodes.map((n) => n.outerWidth())) + gap;
      const cellH = Math.max(30, ...nodes.map((n) => n.outerHeight())) + gap;
      return { nodes, columns, cellW, cellH, width: columns * cellW, height: Math.ceil(nodes.length / columns) * cellH };
    });
    const rowWidth = Math.max(...placed.map((b) => b.width), Math.sqrt(placed.reduce((a, b) => a + b.width * b.height, 0)) * 1.5);
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    this.cy.batch(() => {
      for (const b of placed) {
        if (x > 0 && x + b.width > rowWidth) {
          x = 0;
          y += rowHeight + 3 * gap;
          rowHeight = 0;
        }
        b.nodes.forEach((n, k) => n.position({ x: x + (k % b.columns) * b.cellW, y: y + Math.floor(k / b.columns) * b.cellH }));
        x += b.width + 3 * gap;
        rowHeight = Math.max(rowHeight, b.height);
      }
    });
    this.cy.fit(undefined, 24);
  }

  private async layout(fixed: Map<string, Position> | undefined): Promise<void> {
    const start = performance.now();
    if ((this.data?.edges.length ?? 0) > MAX_DRAWN_FLOWS || this.cy.nodes().length > 400) {
      this.gridLayout();
      this.layoutMs = performance.now() - start;
      return;
    }
    if (fixed === undefined && this.layoutEngine !== 'fcose') {
      const box = this.cy.container()?.getBoundingClientRect();
      const aspect = box && box.height > 0 ? box.width / box.height : 1.6;
      const positions = await layeredPositions(this.cy, Math.min(3, Math.max(0.6, aspect)), this.hierarchy()).catch((err: unknown) => {
        console.warn(`netlens: layered layout failed, using fcose: ${String(err)}`);
        return undefined;
      });
      if (positions === undefined) {
        this.layoutEngine = 'fcose';
        return this.layout(undefined);
      }
      this.cy.batch(() => {
        for (const [id, position] of positions) {
          const n = this.cy.getElementById(id);
          if (n.nonempty() && !n.isParent()) n.position(position);
        }
      });
      this.cy.fit(undefined, 24);
      this.layoutMs = performance.now() - start;
      return;
    }
    const big = this.cy.nodes().length > 200;
    const fixedNodeConstraint = fixed
      ? [...fixed].filter(([id]) => {
          const n = this.cy.getElementById(id);
          return n.nonempty() && !n.isParent();
        }).map(([nodeId, position]) => ({ nodeId, position }))
      : undefined;
    this.cy
      .layout({
        name: 'fcose',
        quality: big ? 'draft' : 'default',
        randomize: fixed === undefined,
        animate: false,
        fit: fixed === undefined,
        padding: 24,
        nodeDimensionsIncludeLabels: true,
        packComponents: false,
        nodeRepulsion: () => 8000,
        idealEdgeLength: () => 110,
        nestingFactor: 0.5,
        numIter: big ? 800 : 2500,
        tile: true,
        ...(fixedNodeConstraint && fixedNodeConstraint.length > 0 ? { fixedNodeConstraint } : {}),
      } as cytoscape.LayoutOptions)
      .run();
    this.layoutMs = performance.now() - start;
  }

  /**
   * Small graphs lay out namespaces and workloads as one graph (fewest
   * crossings); past a couple of hundred flows that takes seconds in ELK, so
   * each namespace is laid out on its own and the boxes then as one graph.
   */
  private hierarchy(): 'include' | 'separate' {
    if (this.layoutEngine === 'layered-separate') return 'separate';
    if (this.layoutEngine === 'layered-include') return 'include';
    return this.cy.edges().length > LAYERED_AS_ONE_GRAPH_FLOWS ? 'separate' : 'include';
  }

  /** Runs a fresh layout of everything (the "re-layout" button). */
  relayout(): Promise<void> {
    this.layoutDone = this.layout(undefined);
    return this.layoutDone;
  }

  /** What rules admitting every peer open on a workload. */
  openEndsOf(id: string): OpenEnds | undefined {
    return this.open.get(id);
  }

  applyFilters(filters: Filters): void {
    const badgesChanged = (filters.flows === 'edges') !== (this.filters.flows === 'edges');
    this.filters = filters;
    const cy = this.cy;
    const nsId = filters.namespace === '' ? undefined : `ns:${filters.namespace}`;
    const inside = (id: string) => nsId === undefined || id === nsId || this.nodes.get(id)?.parent === nsId;
    this.passing = (this.data?.edges ?? []).filter((e) => edgePasses(e, filters) && (inside(e.source) || inside(e.target)));
    cy.batch(() => {
      cy.nodes().removeClass('hidden search-miss');
      if (badgesChanged) {
        const badges = filters.flows !== 'edges';
        for (const n of this.nodes.values()) if (n.kind === 'workload') cy.getElementById(n.id).data('display', displayLabel(n, this.open.get(n.id), badges));
      }
      // "anywhere" only has allow-all flows: as badges, it has nothing left to draw.
      if (filters.flows !== 'edges') cy.getElementById(ANY_NODE).addClass('hidden');
      if (nsId !== undefined) {
        const keep = new Set<string>([nsId]);
        for (const n of this.nodes.values()) if (inside(n.id)) keep.add(n.id);
        for (const e of this.passing) {
          for (const id of [e.source, e.target]) {
            keep.add(id);
            const parent = this.nodes.get(id)?.parent;
            if (parent !== undefined) keep.add(parent);
          }
        }
        cy.nodes().forEach((n) => {
          if (!keep.has(n.id())) n.addClass('hidden');
        });
      }
      if (filters.search.trim() !== '') {
        cy.nodes().forEach((n) => {
          const data = this.nodes.get(n.id());
          if (data !== undefined && data.kind !== 'namespace' && !nodeMatches(data, filters.search)) n.addClass('search-miss');
        });
      }
      this.drawEdges();
    });
    // Redrawn edges lose their highlight (and, summarised, the selection's own flows).
    if (this.selected !== undefined && this.cy.getElementById(this.selected).nonempty()) this.select(this.selected);
  }

  /** Puts the passing flows on the canvas, or their per-namespace summary when there are too many. */
  private drawEdges(): void {
    const cy = this.cy;
    cy.edges().remove();
    this.summaries.clear();
    this.summarised = this.passing.length > MAX_DRAWN_FLOWS;
    if (!this.summarised) {
      cy.add(this.passing.map(edgeElement));
      // Labels clutter busy graphs: there they show on highlighted edges only.
      cy.edges().toggleClass('quiet', this.passing.length > 20);
      return;
    }
    const area = (id: string) => this.nodes.get(id)?.parent ?? id;
    const explicit = new Map<string, boolean>();
    const counts = new Map<string, FlowSummary>();
    for (const e of this.passing) {
      const source = area(e.source);
      const target = area(e.target);
      if (source === target) continue;
      const id = `summary:${source}->${target}`;
      const prior = counts.get(id);
      counts.set(id, { id, source, target, flows: (prior?.flows ?? 0) + 1 });
      explicit.set(id, (explicit.get(id) ?? false) || e.explicit);
    }
    const most = Math.max(1, ...[...counts.values()].map((c) => c.flows));
    for (const c of counts.values()) this.summaries.set(c.id, c);
    cy.add(
      [...counts.values()].map((c) => ({
        group: 'edges' as const,
        data: { id: c.id, source: c.source, target: c.target, explicit: explicit.get(c.id), summary: true, weight: 1 + (5 * c.flows) / most, display: `${c.flows} flows` },
      })),
    );
    cy.edges().addClass('quiet');
  }

  /** Flows that pass the filters (drawn, or summarised). */
  visibleEdgeCount(): number {
    return this.passing.length;
  }

  /** Nodes matching the search, in graph order. */
  searchMatches(search: string): GraphNodeData[] {
    return [...this.nodes.values()].filter((n) => n.kind !== 'namespace' && nodeMatches(n, search) && !this.cy.getElementById(n.id).hasClass('hidden'));
  }

  /** Selects a node or an edge by id (undefined clears), highlighting what it touches. */
  select(id: string | undefined): void {
    const cy = this.cy;
    this.selected = id;
    cy.batch(() => {
      cy.elements().removeClass('faded highlighted');
      cy.elements().unselect();
      if (this.summarised) this.showOwnFlows(id);
    });
    if (id === undefined) {
      this.onSelect({});
      return;
    }
    const el = cy.getElementById(id);
    if (el.empty()) {
      this.onSelect({});
      return;
    }
    cy.batch(() => {
      let keep = el.union(el.connectedNodes());
      if (el.isNode()) {
        const node = el as NodeSingular;
        // Flows between whole namespaces reach this node through its namespace.
        const edges = node.connectedEdges().union(node.parent().connectedEdges());
        keep = keep.union(edges).union(edges.connectedNodes());
        edges.addClass('highlighted');
      } else {
        cy.getElementById(id).addClass('highlighted');
      }
      keep = keep.union(keep.parents());
      cy.elements().difference(keep).addClass('faded');
      el.select();
    });
    if (el.isNode()) this.onSelect({ node: this.nodes.get(id)! });
    else if (this.summaries.has(id)) this.onSelect({ summary: this.summaries.get(id)! });
    else this.onSelect({ edge: this.edges.get(id)! });
  }

  /** In summary mode: the selected workload's (or flow's ends') own flows join the canvas. */
  private showOwnFlows(id: string | undefined): void {
    const cy = this.cy;
    cy.edges('.own').remove();
    if (id === undefined || this.summaries.has(id)) return;
    const edge = this.edges.get(id);
    const ends = edge ? [edge.source, edge.target] : [id];
    const passing = new Set(this.passing);
    const own = new Map<string, GraphEdgeData>();
    for (const end of ends) for (const e of [...this.incoming(end), ...this.outgoing(end)]) if (passing.has(e)) own.set(e.id, e);
    cy.add([...own.values()].map(edgeElement)).addClass('own quiet');
  }

  /** Highlights several nodes (a policy's or a Service's pods) without selecting one. */
  highlightNodes(ids: readonly string[]): void {
    const cy = this.cy;
    this.selected = undefined;
    let set = cy.collection();
    for (const id of ids) set = set.union(cy.getElementById(id));
    cy.batch(() => {
      cy.elements().removeClass('faded highlighted').unselect();
      if (set.empty()) return;
      const keep = set.union(set.parents());
      cy.elements().difference(keep).addClass('faded');
      set.select();
    });
    if (set.nonempty()) cy.fit(set, 60);
  }

  /** The selection and what it touches: the element, its drawn flows and their ends. */
  neighbourhood(id: string): cytoscape.CollectionReturnValue {
    const el = this.cy.getElementById(id);
    if (el.empty()) return this.cy.collection();
    const edges = el.isNode() ? el.connectedEdges(':visible').union(el.parent().connectedEdges(':visible')) : el;
    return el.union(edges).union(edges.connectedNodes()).filter(':visible');
  }

  /**
   * Selects an element and brings it and its neighbours into view, within
   * the canvas (the details pane is beside it, never over it), without
   * zooming in further than reads well.
   */
  reveal(id: string, when: 'always' | 'when-out-of-view' = 'always'): void {
    this.select(id);
    const eles = this.neighbourhood(id);
    if (eles.empty()) return;
    if (when === 'when-out-of-view') {
      const view = this.cy.extent();
      const box = eles.boundingBox({});
      if (box.x1 >= view.x1 && box.x2 <= view.x2 && box.y1 >= view.y1 && box.y2 <= view.y2) return;
    }
    this.cy.stop();
    this.cy.fit(eles, 40);
    if (this.cy.zoom() > REVEAL_MAX_ZOOM) {
      this.cy.zoom(REVEAL_MAX_ZOOM);
      this.cy.center(eles);
    }
  }

  /** The node the keyboard focus ring is on. */
  focused: string | undefined;

  /** Puts the keyboard focus ring on a node (undefined removes it) and keeps that node in view. */
  focusNode(id: string | undefined): void {
    this.cy.nodes('.keyboard-focus').removeClass('keyboard-focus');
    this.focused = id;
    if (id === undefined) return;
    const n = this.cy.getElementById(id);
    n.addClass('keyboard-focus');
    const view = this.cy.extent();
    const box = n.boundingBox({});
    if (box.x1 < view.x1 || box.x2 > view.x2 || box.y1 < view.y1 || box.y2 > view.y2) this.cy.center(n);
  }

  /** Whether an element is on the canvas (a flow may be a badge, or filtered out). */
  isDrawn(id: string): boolean {
    const el = this.cy.getElementById(id);
    return el.nonempty() && el.visible();
  }

  /** Fits the canvas to what the filters leave. */
  fitVisible(): void {
    const visible = this.cy.elements(':visible');
    if (visible.nonempty()) this.cy.fit(visible, 24);
  }

  /** Whether a node is the given namespace or one of its workloads. */
  private within(id: string, namespace: string): boolean {
    return id === namespace || this.nodes.get(id)?.parent === namespace;
  }

  /**
   * Flows into a node, counting flows into its namespace as a whole; for a
   * namespace, every flow from outside it to it or one of its workloads.
   */
  incoming(id: string): GraphEdgeData[] {
    if (this.nodes.get(id)?.kind === 'namespace') return [...this.edges.values()].filter((e) => this.within(e.target, id) && !this.within(e.source, id));
    const parent = this.nodes.get(id)?.parent;
    return [...this.edges.values()].filter((e) => (e.target === id || (parent !== undefined && e.target === parent)) && e.source !== id);
  }

  outgoing(id: string): GraphEdgeData[] {
    if (this.nodes.get(id)?.kind === 'namespace') return [...this.edges.values()].filter((e) => this.within(e.source, id) && !this.within(e.target, id));
    const parent = this.nodes.get(id)?.parent;
    return [...this.edges.values()].filter((e) => (e.source === id || (parent !== undefined && e.source === parent)) && e.target !== id);
  }
}
