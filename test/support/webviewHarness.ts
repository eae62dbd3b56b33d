/**
 * Loads the graph panel's real page (client/src/graphHtml.ts, the bundled
 * dist/webview/graph.js and media/graph.css), or the explain panel's
 * (/explain.html: explainHtml.ts, explain.js, explain.css), in Debian's headless Chromium,
 * the way VS Code would: served from one origin that stands in for
 * webview.cspSource, with acquireVsCodeApi provided and the workbench's
 * theme variables set on <html> and its theme class on <body>.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { explainHtml } from '../../client/src/explainHtml.js';
import { graphHtml, newNonce } from '../../client/src/graphHtml.js';
import { analyzeTexts, buildGraph, LineIndex } from '../../server/src/engine/index.js';
import { graphData } from '../../server/src/graph.js';
import type { GraphData } from '../../server/src/requests.js';
import { REPO_ROOT } from './paths.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Variables VS Code's Light Modern and Dark Modern themes give webviews (the ones the page uses). */
export const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#3b3b3b',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-red': '#e51400',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-sideBar-background': '#181818',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-focusBorder': '#f38518',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-red': '#f48771',
      '--vscode-sideBar-background': '#000000',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
    },
  },
} as const;

export type ThemeName = keyof typeof THEMES;

/** The graph the server would send for these files. */
export function graphOf(files: Array<{ file: string; text: string }>, version = 1): GraphData {
  const analysis = analyzeTexts(files);
  const indexes = new Map(files.map((f) => [f.file, new LineIndex(f.text)]));
  return graphData(buildGraph(analysis.reachability), version, (uri) => indexes.get(uri) ?? new LineIndex(''));
}

export function readTree(dir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(e.name)) out.push({ file: full, text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

/**
 * When run-tests measures coverage (NODE_V8_COVERAGE, which the node processes write to), the pages' script counts
 * go there too, in the same format, under the bundles' file URLs, so the webview's lines are counted like the rest.
 */
const COVERAGE_DIR = process.env['NODE_V8_COVERAGE'];
let coverageFiles = 0;

async function saveCoverage(page: Page, origin: string): Promise<void> {
  if (COVERAGE_DIR === undefined || page.isClosed()) return;
  const entries = await page.coverage.stopJSCoverage();
  const result = entries
    .filter((e) => e.url.startsWith(`${origin}/dist/webview/`))
    .map((e) => ({ url: pathToFileURL(path.join(REPO_ROOT, new URL(e.url).pathname)).href, functions: e.functions }));
  fs.mkdirSync(COVERAGE_DIR, { recursive: true });
  fs.writeFileSync(path.join(COVERAGE_DIR, `coverage-chromium-${process.pid}-${coverageFiles++}.json`), JSON.stringify({ result }));
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

export class WebviewHarness {
  private server!: http.Server;
  private origin = '';
  browser!: Browser;
  /** Extra markup to put before </body> of the next page (to test the CSP). */
  inject = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/index.html') {
        const nonce = newNonce();
        let html = graphHtml({ cspSource: this.origin, nonce, scriptUri: `${this.origin}/dist/webview/graph.js`, styleUri: `${this.origin}/media/graph.css` });
        html = html.replace('</body>', `${this.inject}</body>`);
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
        return;
      }
      if (url.pathname === '/explain.html') {
        const html = explainHtml({ cspSource: this.origin, nonce: newNonce(), scriptUri: `${this.origin}/dist/webview/explain.js`, styleUri: `${this.origin}/media/explain.css` });
        res.writeHead(200, { 'content-type': 'text/html' }).end(html.replace('</body>', `${this.inject}</body>`));
        return;
      }
      // Only the two folders VS Code's localResourceRoots allow.
      const rel = path.normalize(url.pathname).replace(/^\/+/, '');
      if (!rel.startsWith(`dist${path.sep}webview${path.sep}`) && !rel.startsWith(`media${path.sep}`)) {
        res.writeHead(404).end();
        return;
      }
      fs.readFile(path.join(REPO_ROOT, rel), (err, data) => {
        if (err) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': TYPES[path.extname(rel)] ?? 'application/octet-stream' }).end(data);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }

  async stop(): Promise<void> {
    for (const page of this.browser?.contexts().flatMap((c) => c.pages()) ?? []) await saveCoverage(page, this.origin).catch(() => undefined);
    await this.browser?.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Opens the panel page with a theme; page errors are collected in `errors`. */
  async open(theme: ThemeName = 'light', size = { width: 1400, height: 900 }, pagePath = '/index.html'): Promise<{ page: Page; errors: string[] }> {
    const page = await this.browser.newPage({ viewport: size });
    if (COVERAGE_DIR !== undefined) {
      await page.coverage.startJSCoverage({ resetOnNavigation: false });
      // Counts are read before the page goes, whoever closes it.
      const close = page.close.bind(page);
      page.close = async (options) => {
        await saveCoverage(page, this.origin).catch(() => undefined);
        return close(options);
      };
    }
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w['__posted'] = [];
      w['__violations'] = [];
      document.addEventListener('securitypolicyviolation', (e) => (w['__violations'] as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
      w['acquireVsCodeApi'] = () => ({ postMessage: (m: unknown) => (w['__posted'] as unknown[]).push(m), getState: () => undefined, setState: () => undefined });
    });
    await page.goto(`${this.origin}${pagePath}`);
    await setTheme(page, theme);
    return { page, errors };
  }
}

/** What the workbench does on a theme change: variables on <html>, a class on <body>. */
export async function setTheme(page: Page, theme: ThemeName): Promise<void> {
  const t = THEMES[theme];
  await page.evaluate(({ vars, bodyClass }) => {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(bodyClass);
  }, { vars: t.vars as Record<string, string>, bodyClass: t.bodyClass });
}

/** Posts a message as the extension host would (sent as one string: big graphs serialise much faster so). */
export async function postToPage(page: Page, message: unknown): Promise<void> {
  await page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
}

/** Where a graph element is on screen, in page coordinates. */
export async function screenPoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.evaluate((elementId) => {
    const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core } } }).netlens.view.cy;
    const el = cy.getElementById(elementId);
    const p = el.isNode() ? el.renderedPosition() : (el as import('cytoscape').EdgeSingular).renderedMidpoint();
    const box = document.getElementById('graph')!.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, id);
}

/** Waits until the page has laid out the graph it was last sent. */
export async function waitForLayout(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset['layout'] === 'done');
}

export interface LayoutQuality {
  /** Pairs of workload/address nodes whose drawn boxes (labels included) intersect. */
  readonly nodeOverlaps: string[];
  /** Pairs of namespace boxes that intersect, and nodes drawn inside a namespace box they do not belong to. */
  readonly boxOverlaps: string[];
  /** Pairs of drawn flows whose lines cross (flows sharing an end do not count). */
  readonly crossings: number;
  /** Of those, the pairs where one flow or both are default-allow (no policy isolates either end). */
  readonly defaultCrossings: number;
  readonly layoutMs: number;
}

/**
 * Measures the layout on screen: cytoscape's rendered bounding boxes of
 * every visible node, and every visible flow as the straight segment
 * between the points where it leaves its source and meets its target (a
 * flow from a namespace starts at the box's border, not at its middle).
 * Boxes that only touch (within half a pixel) do not overlap.
 */
export function layoutQuality(page: Page): Promise<LayoutQuality> {
  return page.evaluate(() => {
    const cy = (window as unknown as { netlens: { view: { cy: import('cytoscape').Core; layoutMs: number } } }).netlens.view.cy;
    type Box = { id: string; x1: number; y1: number; x2: number; y2: number };
    const boxOf = (n: import('cytoscape').NodeSingular): Box => ({ id: n.id(), ...n.renderedBoundingBox({ includeLabels: true, includeOverlays: false }) });
    const meets = (a: Box, b: Box) => a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5;
    const visible = cy.nodes(':visible');
    const leaves = visible.filter((n) => !n.isParent()).map(boxOf);
    const parents = visible.filter((n) => n.isParent());
    const boxes = parents.map(boxOf);
    const nodeOverlaps: string[] = [];
    for (let i = 0; i < leaves.length; i++) for (let j = i + 1; j < leaves.length; j++) if (meets(leaves[i]!, leaves[j]!)) nodeOverlaps.push(`${leaves[i]!.id} × ${leaves[j]!.id}`);
    const boxOverlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (meets(boxes[i]!, boxes[j]!)) boxOverlaps.push(`${boxes[i]!.id} × ${boxes[j]!.id}`);
    visible.filter((n) => !n.isParent()).forEach((n) => {
      const own = n.data('parent') as string | undefined;
      const box = boxOf(n);
      for (const b of boxes) if (b.id !== own && meets(b, box)) boxOverlaps.push(`${n.id()} in ${b.id}`);
    });
    const segments = cy.edges(':visible').map((e) => ({ s: e.source().id(), t: e.target().id(), a: e.renderedSourceEndpoint(), b: e.renderedTargetEndpoint(), byDefault: e.data('explicit') !== true }));
    const side = (p: { x: number; y: number }, q: { x: number; y: number }, r: { x: number; y: number }) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
    let crossings = 0;
    let defaultCrossings = 0;
    for (let i = 0; i < segments.length; i++) {
      for (let j = i + 1; j < segments.length; j++) {
        const u = segments[i]!;
        const v = segments[j]!;
        if (u.s === v.s || u.s === v.t || u.t === v.s || u.t === v.t) continue;
        if (side(u.a, u.b, v.a) * side(u.a, u.b, v.b) < 0 && side(v.a, v.b, u.a) * side(v.a, v.b, u.b) < 0) {
          crossings++;
          if (u.byDefault || v.byDefault) defaultCrossings++;
        }
      }
    }
    return { nodeOverlaps, boxOverlaps, crossings, defaultCrossings, layoutMs: (window as unknown as { netlens: { view: { layoutMs: number } } }).netlens.view.layoutMs };
  });
}
