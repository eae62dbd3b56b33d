/**
 * The graph panel's page. It draws what the server computed and sends back
 * only three kinds of message: ready, open this source line, save this
 * export. Everything from the host is checked before use.
 */
import type { GraphFocus, HostToWebviewMessage, SourceLink, WebviewToHostMessage } from '../../server/src/requests.js';
import { Details } from './details.js';
import type { Filters } from './filters.js';
import { GraphView } from './graphView.js';
import { ARROW_KEYS, nextNode } from './keyboard.js';
import { graphMessageProblem, isHostMessage } from './messages.js';
import { graphToSvg } from './svgExport.js';
import { readTheme } from './theme.js';

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const graphEl = $<HTMLDivElement>('graph');
const status = $<HTMLElement>('status');
const search = $<HTMLInputElement>('search');
const namespaceSelect = $<HTMLSelectElement>('namespace');
const protocolSelect = $<HTMLSelectElement>('protocol');
const portInput = $<HTMLInputElement>('port');
const showDefault = $<HTMLInputElement>('show-default');
const flowsSelect = $<HTMLSelectElement>('flows');

let theme = readTheme();
const view = new GraphView(graphEl, theme, (selection) => {
  if (selection.node) details.showNode(selection.node);
  else if (selection.edge) details.showEdge(selection.edge);
  else if (selection.summary) details.showSummary(selection.summary);
  else details.showNothing();
});
const details = new Details($('details'), view, {
  open: (link: SourceLink) => vscode.postMessage({ type: 'open', uri: link.uri, line: link.line }),
  explain: (source, destination) => vscode.postMessage({ type: 'explain', source, destination }),
  select: (id) => view.reveal(id),
});
details.showNothing();

// For tests and debugging in the webview developer tools.
(window as unknown as { netlens: { view: GraphView } }).netlens = { view };

function currentFilters(): Filters {
  const port = Number.parseInt(portInput.value, 10);
  const flows = flowsSelect.value;
  return {
    flows: flows === 'edges' || flows === 'explicit' ? flows : 'badges',
    namespace: namespaceSelect.value,
    protocol: protocolSelect.value,
    port: Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined,
    showDefault: showDefault.checked,
    search: search.value,
  };
}

function refreshFilters(): void {
  view.applyFilters(currentFilters());
  updateStatus();
}

/** Why the latest graph from the host was not drawn; cleared by the next one drawn. */
let refused: string | undefined;

function updateStatus(): void {
  const graph = view.graph;
  status.classList.toggle('error', refused !== undefined);
  if (refused !== undefined) {
    status.textContent = `Cannot draw this graph: ${refused}.${graph === undefined ? '' : ' Showing the one before.'}`;
    return;
  }
  if (graph === undefined) {
    status.textContent = 'Waiting for the workspace…';
    return;
  }
  const workloads = graph.nodes.filter((n) => n.kind === 'workload').length;
  const visibleEdges = view.visibleEdgeCount();
  const shown = visibleEdges !== graph.edges.length ? ` (${visibleEdges} shown)` : '';
  const summarised = view.summarised ? ' · drawn per namespace: select a workload for its own flows' : '';
  status.textContent = `${workloads} workloads · ${graph.edges.length} flows${shown} · layout ${Math.round(view.layoutMs)} ms${summarised}`;
  document.body.dataset['layoutMs'] = String(Math.round(view.layoutMs));
}

function fillNamespaces(): void {
  const graph = view.graph;
  if (graph === undefined) return;
  const chosen = namespaceSelect.value;
  const names = graph.nodes.filter((n) => n.kind === 'namespace').map((n) => n.label).sort();
  const options = [new Option('All namespaces', '')];
  for (const name of names) options.push(new Option(name, name));
  namespaceSelect.replaceChildren(...options);
  namespaceSelect.value = names.includes(chosen) ? chosen : '';
}

function applyFocus(focus: GraphFocus): void {
  const graph = view.graph;
  if (graph === undefined) return;
  const kind = focus.kind ?? 'workload';
  if (kind === 'workload') {
    const node = graph.nodes.find((n) => n.kind === 'workload' && n.ref === focus.focus);
    if (node) view.reveal(node.id);
    return;
  }
  const ids = graph.nodes.filter((n) => (kind === 'policy' ? n.policies : n.services)?.includes(focus.focus)).map((n) => n.id);
  view.highlightNodes(ids);
  status.textContent = `${kind === 'policy' ? 'Policy' : 'Service'} ${focus.focus}: ${ids.length} workload${ids.length === 1 ? '' : 's'}`;
}

/** Counts layouts started, so that only the latest one marks the page laid out (body[data-layout="done"]). */
let layoutRun = 0;

function onHostMessage(message: HostToWebviewMessage): void {
  switch (message.type) {
    case 'graph': {
      try {
        view.setGraph(message.graph);
      } catch (err) {
        // Something the message checks missed and cytoscape refuses: still say so rather than go blank.
        refuseGraph(err instanceof Error ? err.message : String(err));
        return;
      }
      const run = ++layoutRun;
      document.body.dataset['layout'] = 'running';
      refused = undefined;
      delete document.body.dataset['refused'];
      fillNamespaces();
      refreshFilters();
      void view.layoutDone.then(() => {
        if (run !== layoutRun) return;
        updateStatus();
        if (message.focus) applyFocus(message.focus);
        document.body.dataset['layout'] = 'done';
      });
      break;
    }
    case 'focus':
      applyFocus(message.focus);
      break;
    case 'exported':
      status.textContent = `Saved ${message.format.toUpperCase()} to ${message.path}`;
      break;
  }
}

/**
 * A graph the page cannot draw: the reason goes in the status line (and the
 * details pane when nothing is drawn yet), the graph drawn before stays.
 */
function refuseGraph(reason: string): void {
  refused = reason;
  updateStatus();
  if (view.graph === undefined) details.showRefused(reason);
  document.body.dataset['refused'] = reason;
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) onHostMessage(event.data);
  else {
    const problem = graphMessageProblem(event.data);
    if (problem !== undefined) refuseGraph(problem);
    else console.warn('netlens: ignored a malformed message');
  }
});

// ---- toolbar and keyboard -------------------------------------------------

let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  // Typing is debounced; clearing the box (Escape, the clear button) is one act, applied at once.
  if (search.value === '') refreshFilters();
  else searchTimer = setTimeout(refreshFilters, 120);
});
search.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  // Enter searches now: a filter pass still pending would later overwrite the status of what comes next.
  clearTimeout(searchTimer);
  refreshFilters();
  const first = view.searchMatches(search.value)[0];
  if (first) view.reveal(first.id);
});
/** A filter the user changed: the canvas refits to what is left. */
function filtersChanged(): void {
  refreshFilters();
  view.fitVisible();
}
for (const input of [namespaceSelect, protocolSelect, showDefault]) input.addEventListener('change', filtersChanged);
portInput.addEventListener('input', filtersChanged);
// Badges or edges change what is drawn and how big the nodes are: lay out again.
flowsSelect.addEventListener('change', () => {
  refreshFilters();
  relayout();
});

$('fit').addEventListener('click', () => view.fitVisible());
$('zoom-in').addEventListener('click', () => view.cy.zoom({ level: view.cy.zoom() * 1.25, renderedPosition: { x: graphEl.clientWidth / 2, y: graphEl.clientHeight / 2 } }));
$('zoom-out').addEventListener('click', () => view.cy.zoom({ level: view.cy.zoom() / 1.25, renderedPosition: { x: graphEl.clientWidth / 2, y: graphEl.clientHeight / 2 } }));
function relayout(): void {
  const run = ++layoutRun;
  document.body.dataset['layout'] = 'running';
  void view.relayout().then(() => {
    if (run !== layoutRun) return;
    updateStatus();
    document.body.dataset['layout'] = 'done';
  });
}
$('relayout').addEventListener('click', relayout);
$('export-png').addEventListener('click', () => {
  const data = view.cy.png({ output: 'base64uri', full: true, scale: 2, bg: theme.background });
  vscode.postMessage({ type: 'export', format: 'png', data });
});
$('export-svg').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'svg', data: graphToSvg(view.cy, theme) }));

const detailsEl = $<HTMLElement>('details');

graphEl.addEventListener('keydown', (e) => {
  const direction = ARROW_KEYS[e.key];
  if (direction !== undefined) {
    e.preventDefault();
    const from = view.focused ?? view.selectedId;
    const next = from === undefined ? nextNode(view.cy, '', direction) : nextNode(view.cy, from, direction);
    if (next === undefined) return;
    view.focusNode(next.id());
    const data = view.node(next.id());
    const neighbours = view.neighbourhood(next.id()).nodes().filter((n) => !n.same(next) && !n.isParent()).length;
    status.textContent = `${data?.ref ?? data?.label ?? next.id()}: ${neighbours} neighbour${neighbours === 1 ? '' : 's'} · Enter for details`;
  } else if (e.key === 'Enter' && view.focused !== undefined) {
    e.preventDefault();
    view.reveal(view.focused);
    detailsEl.focus();
  }
});

document.addEventListener('keydown', (e) => {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
  if (e.key === 'Escape') {
    const inDetails = detailsEl.contains(document.activeElement);
    view.select(undefined);
    view.focusNode(undefined);
    if (inDetails) graphEl.focus();
    return;
  }
  if (typing) return;
  if (e.key === '/') {
    e.preventDefault();
    search.focus();
  } else if (e.key === '+' || e.key === '=') $('zoom-in').click();
  else if (e.key === '-') $('zoom-out').click();
  else if (e.key === '0') $('fit').click();
});

// The workbench flips body classes when the colour theme changes.
new MutationObserver(() => {
  theme = readTheme();
  view.setTheme(theme);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// The panel often opens narrow and then grows: follow its size, and keep the
// whole graph in view until the user zooms or pans.
let userMoved = false;
view.cy.on('viewport', (e) => {
  if (e.originalEvent !== undefined) userMoved = true;
});
new ResizeObserver(() => {
  view.cy.resize();
  if (!userMoved && view.graph !== undefined) view.cy.fit(undefined, 24);
}).observe(graphEl);

updateStatus();
vscode.postMessage({ type: 'ready' });
