/**
 * The graph panel's HTML. No `vscode` import: the webview tests build the
 * very same page. Scripts run only with this load's nonce; styles come from
 * the extension's media folder (or carry the nonce); nothing else loads.
 */
import { randomBytes } from 'node:crypto';

export interface GraphHtmlOptions {
  /** webview.cspSource: where the extension's own files are served from. */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** A fresh one per load; see newNonce. */
  readonly nonce: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Text safe inside a double-quoted HTML attribute. */
export function attr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function contentSecurityPolicy(o: Pick<GraphHtmlOptions, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource} data: blob:`,
    `font-src ${o.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function graphHtml(o: GraphHtmlOptions): string {
  const nonce = attr(o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Netlens: Reachability Graph</title>
<link rel="stylesheet" href="${attr(o.styleUri)}">
<!-- cytoscape adds this rule itself unless the element already exists; given here so it carries the nonce. -->
<style nonce="${nonce}" id="__________cytoscape_stylesheet">.__________cytoscape_container { position: relative; }</style>
</head>
<body>
<header class="toolbar" role="toolbar" aria-label="Graph tools">
  <input id="search" type="search" placeholder="Search workloads, labels, CIDRs ( / )" aria-label="Search workloads">
  <select id="namespace" aria-label="Namespace"><option value="">All namespaces</option></select>
  <select id="protocol" aria-label="Protocol">
    <option value="">Any protocol</option><option>TCP</option><option>UDP</option><option>SCTP</option>
  </select>
  <input id="port" type="number" min="1" max="65535" placeholder="Port" aria-label="Port">
  <select id="flows" aria-label="Which flows to draw">
    <option value="badges" selected>Allow-all as badges</option><option value="edges">Allow-all as edges</option><option value="explicit">Explicit flows only</option>
  </select>
  <label class="check"><input id="show-default" type="checkbox" checked> Default-allow flows</label>
  <span class="spacer"></span>
  <button id="fit" type="button" title="Fit to window (0)">Fit</button>
  <button id="zoom-in" type="button" title="Zoom in (+)" aria-label="Zoom in">+</button>
  <button id="zoom-out" type="button" title="Zoom out (-)" aria-label="Zoom out">&minus;</button>
  <button id="relayout" type="button" title="Lay out again">Re-layout</button>
  <button id="export-png" type="button" title="Save as PNG">PNG</button>
  <button id="export-svg" type="button" title="Save as SVG">SVG</button>
</header>
<main>
  <div id="graph" tabindex="0" role="application" aria-roledescription="reachability graph" aria-label="Reachability graph: arrow keys move between neighbouring workloads, Enter shows details, Escape clears" aria-describedby="status"></div>
  <aside id="details" role="region" aria-label="Details" aria-live="polite" tabindex="-1"></aside>
</main>
<footer id="status" role="status"></footer>
<script nonce="${nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
