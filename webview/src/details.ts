/**
 * The side panel: what is selected, who reaches it, and the rules behind a
 * flow. Built with DOM nodes and textContent only: names and label values can
 * hold anything a YAML string can, and none of it may become markup.
 */
import type { GraphEdgeData, GraphNodeData, SourceLink } from '../../server/src/requests.js';
import { badgeLines, type FlowSummary, type GraphView } from './graphView.js';

export interface DetailsActions {
  open(link: SourceLink): void;
  select(id: string): void;
  /** Opens the explain view for two workloads ("namespace/name"). */
  explain(source: string, destination: string): void;
}

type Child = Node | string | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== false) e.append(c);
  return e;
}

function button(text: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

const MAX_LIST = 100;

export class Details {
  constructor(
    private readonly root: HTMLElement,
    private readonly view: GraphView,
    private readonly actions: DetailsActions,
  ) {}

  private name(id: string): string {
    const n = this.view.node(id);
    if (n === undefined) return id;
    if (n.kind === 'namespace') return `all pods in namespace ${n.label}`;
    return n.ref ?? n.label;
  }

  /** Flows listed by their peer; a namespace's flows by both ends, the inside one after the arrow or before it. */
  private peerList(title: string, edges: GraphEdgeData[], peerOf: (e: GraphEdgeData) => string, insideOf?: (e: GraphEdgeData) => string): HTMLElement {
    const section = el('section', {}, el('h3', {}, `${title} (${edges.length})`));
    if (edges.length === 0) {
      section.append(el('p', { class: 'muted' }, 'nothing'));
      return section;
    }
    const list = el('ul', { class: 'peers' });
    for (const e of edges.slice(0, MAX_LIST)) {
      const peer = peerOf(e);
      const inside = insideOf?.(e);
      const label = inside === undefined ? this.name(peer) : peer === e.source ? `${this.name(peer)} → ${this.name(inside)}` : `${this.name(inside)} → ${this.name(peer)}`;
      list.append(
        el('li', {}, button(label, () => this.actions.select(inside !== undefined && this.view.isDrawn(e.id) ? e.id : peer), { class: 'link' }), ' ', el('span', { class: 'muted' }, e.ports.join(', ')), e.explicit ? undefined : ' ', e.explicit ? undefined : el('span', { class: 'tag' }, 'default allow')),
      );
    }
    section.append(list);
    if (edges.length > MAX_LIST) section.append(el('p', { class: 'muted' }, `…and ${edges.length - MAX_LIST} more`));
    return section;
  }

  /** Nothing drawn, because the host sent a graph the page cannot draw. */
  showRefused(reason: string): void {
    this.root.replaceChildren(el('h2', {}, 'Cannot draw the graph'), el('p', {}, `The graph from Netlens was refused: ${reason}. Edit the workspace or run "Netlens: Restart Server" to get a new one.`));
  }

  showNothing(): void {
    const graph = this.view.graph;
    const workloads = graph?.nodes.filter((n) => n.kind === 'workload') ?? [];
    this.root.replaceChildren(
      el('h2', {}, 'Reachability'),
      el('p', { class: 'muted' }, 'Click a workload or a flow, or pick one below. Solid arrows are decided by a policy rule at one end; dashed arrows are let through by the default allow at both ends (no policy has a say there, or every tier passes them on). A dashed border marks pods no policy isolates for ingress; "open to all ingress" and "egress anywhere" under a name stand for the flows of rules that admit every peer (draw them as edges with the flows menu). Keyboard: Tab to the canvas, arrows move between neighbours, Enter shows details, Escape clears.'),
    );
    const list = el('ul', { class: 'peers' });
    for (const n of workloads.slice(0, MAX_LIST)) list.append(el('li', {}, button(n.ref ?? n.label, () => this.actions.select(n.id), { class: 'link' })));
    this.root.append(el('section', {}, el('h3', {}, `Workloads (${workloads.length})`), list));
    if (workloads.length > MAX_LIST) this.root.append(el('p', { class: 'muted' }, `…and ${workloads.length - MAX_LIST} more: use the search box`));
  }

  showNode(n: GraphNodeData): void {
    const parts: Child[] = [el('h2', {}, n.kind === 'workload' ? (n.ref ?? n.label) : n.label)];
    if (n.kind === 'workload') {
      parts.push(el('p', { class: 'muted' }, `${n.workloadKind ?? 'Pod'} · ${n.replicas ?? 1} pod${n.replicas === 1 ? '' : 's'}${n.hostNetwork ? ' · host network (not subject to NetworkPolicy)' : ''}`));
      if (n.source) parts.push(button('Open YAML', () => this.actions.open(n.source!), { class: 'primary' }));
      if (n.labels && n.labels.length > 0) {
        const table = el('table', { class: 'labels' });
        for (const [k, v] of n.labels) table.append(el('tr', {}, el('th', {}, k), el('td', {}, v)));
        parts.push(el('section', {}, el('h3', {}, 'Labels'), table));
      }
      if (n.ports && n.ports.length > 0) parts.push(el('section', {}, el('h3', {}, 'Ports'), el('p', {}, n.ports.join(', '))));
      parts.push(
        el(
          'section',
          {},
          el('h3', {}, 'Isolation'),
          el('p', {}, n.isolatedIngress ? 'Ingress: isolated; only what a policy allows gets in.' : 'Ingress: not isolated; every source may connect.'),
          el('p', {}, n.isolatedEgress ? 'Egress: isolated; only what a policy allows gets out.' : 'Egress: not isolated; it may connect anywhere.'),
        ),
      );
      const badges = badgeLines(this.view.openEndsOf(n.id));
      if (badges.length > 0) parts.push(el('section', {}, el('h3', {}, 'Allow-all rules'), ...badges.map((b) => el('p', {}, b))));
      if (n.policies && n.policies.length > 0) parts.push(el('section', {}, el('h3', {}, 'Selected by'), el('p', {}, n.policies.join(', '))));
      if (n.services && n.services.length > 0) parts.push(el('section', {}, el('h3', {}, 'Backs Services'), el('p', {}, n.services.join(', '))));
    } else if (n.kind === 'namespace') {
      if (n.source) parts.push(button('Open YAML', () => this.actions.open(n.source!), { class: 'primary' }));
    } else {
      parts.push(el('p', { class: 'muted' }, n.kind === 'any' ? 'Every address: a rule with no from/to admits all peers.' : 'Addresses outside the cluster, named by an ipBlock.'));
    }
    if (n.kind === 'namespace') {
      parts.push(this.peerList('Flows in', this.view.incoming(n.id), (e) => e.source, (e) => e.target));
      parts.push(this.peerList('Flows out', this.view.outgoing(n.id), (e) => e.target, (e) => e.source));
    } else {
      parts.push(this.peerList('Reached by', this.view.incoming(n.id), (e) => e.source));
      parts.push(this.peerList('Reaches', this.view.outgoing(n.id), (e) => e.target));
    }
    this.root.replaceChildren(...parts.filter((p): p is Node | string => p !== undefined && p !== false));
  }

  showSummary(s: FlowSummary): void {
    this.root.replaceChildren(
      el('h2', {}, `${this.name(s.source)} → ${this.name(s.target)}`),
      el('p', {}, `${s.flows} flows between workloads of these two groups. Select a workload to draw its own flows.`),
    );
  }

  showEdge(e: GraphEdgeData): void {
    const parts: Node[] = [
      el('h2', {}, `${this.name(e.source)} → ${this.name(e.target)}`),
      el('section', {}, el('h3', {}, 'Ports'), el('p', {}, e.ports.join(', '))),
    ];
    if (e.aggregated) parts.push(el('p', {}, 'A namespace here stands for each of its workloads: every one of them is allowed this flow.'));
    const from = this.view.node(e.source);
    const to = this.view.node(e.target);
    if (from?.kind === 'workload' && to?.kind === 'workload' && from.ref !== undefined && to.ref !== undefined) {
      const [source, destination] = [from.ref, to.ref];
      parts.push(el('p', {}, button('Explain…', () => this.actions.explain(source, destination), { class: 'explain', title: 'Why this flow is allowed, rule by rule' })));
    }
    if (e.l7 !== undefined) parts.push(el('p', { class: 'l7' }, `L7-filtered (${e.l7.join(', ')}): decided here at L4; the CNI also filters the requests.`));
    if (!e.explicit) {
      parts.push(el('p', {}, 'Allowed by default: no policy decides it at either end (none has a say there, or every tier that has one passes it on).'));
    } else {
      const ends = e.byDefault ?? [];
      if (ends.length > 0) parts.push(el('p', { class: 'muted' }, `${ends.map((d) => (d === 'egress' ? 'Egress' : 'Ingress')).join(' and ')}: let through by the default allow (no policy has a say there, or every tier passed it on).`));
      const list = el('ul', { class: 'rules' });
      const table = this.view.graph?.rules ?? [];
      for (const r of e.rules.map((i) => table[i]!)) {
        // NetworkPolicy is the usual case and goes unsaid; a tier or a Calico place is named, since it is what decided.
        const place = r.decidesIn === 'the NetworkPolicy tier' ? undefined : el('div', { class: 'muted' }, `decided in ${r.decidesIn}`);
        list.append(
          el(
            'li',
            {},
            button(`${r.policy}, ${r.direction} rule ${r.rule + 1}`, () => this.actions.open(r.source), { class: 'link' }),
            el('div', { class: 'muted' }, r.text),
            place,
          ),
        );
      }
      parts.push(el('section', {}, el('h3', {}, `Allowed by (${e.rules.length})`), list));
    }
    this.root.replaceChildren(...parts);
  }
}
