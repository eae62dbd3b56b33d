/**
 * SVG export of what is on screen: namespace boxes, nodes, straight flows
 * with arrowheads, and labels, all text XML-escaped. Cytoscape draws on a
 * canvas and has no SVG output of its own.
 */
import type { Core } from 'cytoscape';
import type { Theme } from './theme.js';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function text(x: number, y: number, lines: string[], attrs: string): string {
  const spans = lines.map((line, i) => `<tspan x="${x.toFixed(1)}" dy="${i === 0 ? 0 : 13}">${escapeXml(line)}</tspan>`).join('');
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${spans}</text>`;
}

export function graphToSvg(cy: Core, theme: Theme): string {
  const visible = cy.elements(':visible');
  const box = visible.boundingBox({});
  const pad = 20;
  const width = Math.max(1, box.w + 2 * pad);
  const height = Math.max(1, box.h + 2 * pad);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width.toFixed(0)}" height="${height.toFixed(0)}" viewBox="${(box.x1 - pad).toFixed(1)} ${(box.y1 - pad).toFixed(1)} ${width.toFixed(1)} ${height.toFixed(1)}" font-family="${escapeXml(theme.fontFamily)}" font-size="11">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${escapeXml(theme.allow)}"/></marker>`,
    `<marker id="arrow-default" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${escapeXml(theme.muted)}"/></marker></defs>`,
    `<rect x="${(box.x1 - pad).toFixed(1)}" y="${(box.y1 - pad).toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}" fill="${escapeXml(theme.background)}"/>`,
  ];
  for (const n of visible.nodes().filter((n) => n.isParent())) {
    const b = n.boundingBox({ includeLabels: false });
    out.push(`<rect x="${b.x1.toFixed(1)}" y="${b.y1.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" rx="6" fill="${escapeXml(theme.namespace)}" stroke="${escapeXml(theme.border)}"/>`);
    out.push(text(b.x1 + b.w / 2, b.y1 - 4, [String(n.data('display'))], `text-anchor="middle" font-weight="bold" fill="${escapeXml(theme.foreground)}"`));
  }
  for (const e of visible.edges()) {
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    const explicit = e.data('explicit') === true;
    const stroke = explicit ? theme.allow : theme.muted;
    out.push(
      `<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${t.x.toFixed(1)}" y2="${t.y.toFixed(1)}" stroke="${escapeXml(stroke)}" stroke-width="1.5"${explicit ? '' : ' stroke-dasharray="5 4"'} marker-end="url(#${explicit ? 'arrow' : 'arrow-default'})"><title>${escapeXml(String(e.data('display')))}</title></line>`,
    );
  }
  for (const n of visible.nodes().filter((n) => !n.isParent())) {
    const p = n.position();
    const w = n.width();
    const h = n.height();
    const kind = n.data('kind') as string;
    const stroke = kind === 'cidr' ? theme.external : kind === 'any' ? theme.anywhere : theme.nodeBorder;
    const dashed = n.data('openIngress') === true ? ' stroke-dasharray="4 3"' : '';
    out.push(`<rect x="${(p.x - w / 2).toFixed(1)}" y="${(p.y - h / 2).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" rx="${kind === 'any' ? (h / 2).toFixed(1) : '4'}" fill="${escapeXml(theme.nodeBackground)}" stroke="${escapeXml(stroke)}" stroke-width="1.5"${dashed}/>`);
    const lines = String(n.data('display')).split('\n');
    out.push(text(p.x, p.y - ((lines.length - 1) * 13) / 2 + 4, lines, `text-anchor="middle" fill="${escapeXml(theme.foreground)}"`));
  }
  out.push('</svg>');
  return out.join('\n');
}
