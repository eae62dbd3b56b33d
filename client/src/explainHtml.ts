/**
 * The explain panel's HTML, under the graph panel's CSP (scripts only with
 * this load's nonce, styles from media/, nothing remote). No `vscode`
 * import: the webview tests build the very same page.
 */
import { attr, contentSecurityPolicy } from './graphHtml.js';

export interface ExplainHtmlOptions {
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly nonce: string;
}

export function explainHtml(o: ExplainHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Netlens: Explain</title>
<link rel="stylesheet" href="${attr(o.styleUri)}">
</head>
<body>
<main id="explain" aria-live="polite"><p class="muted">Waiting for the explanation…</p></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
