/**
 * The explain panel's page: draws an ExplainReport the host computed, or the
 * what-if list of flows opened and closed, with every text set as text (names
 * and labels can hold anything). It sends back only: ready, open this source
 * line, apply the fix of this near miss, explain this flow change (by
 * position: the host holds the edits and the flows).
 */
import type { ExplainReport, ExplainToHostMessage, FlowChangeInfo, HostToExplainMessage, ReportDirection, ReportLink, ReportRule, WhatIfResult } from '../../server/src/requests.js';
import { isExplainHostMessage } from './explainMessages.js';

interface VsCodeApi {
  postMessage(message: ExplainToHostMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('explain')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

function link(text: string, at: ReportLink): HTMLAnchorElement {
  const a = el('a', text);
  a.href = '#';
  a.title = `${at.uri}:${at.line + 1}`;
  a.addEventListener('click', (ev) => {
    ev.preventDefault();
    vscode.postMessage({ type: 'open', uri: at.uri, line: at.line });
  });
  return a;
}

function verdict(allowed: boolean): HTMLSpanElement {
  return el('span', allowed ? 'ALLOWED' : 'DENIED', `verdict ${allowed ? 'allowed' : 'denied'}`);
}

function ruleItem(rule: ReportRule): HTMLLIElement {
  const li = el('li');
  li.append(link(`${rule.policy} ${rule.direction} rule ${rule.rule + 1}`, rule.at), el('span', `: ${rule.text} — ${rule.ignored ? 'ignored (policyTypes leaves it out)' : rule.matches ? 'matches' : 'does not match'}`));
  const checks = el('ul');
  for (const c of rule.checks) checks.append(el('li', `${c.ok ? '✓' : '✗'} ${c.text}`, c.ok ? 'check-ok' : 'check-fail'));
  li.append(checks);
  return li;
}

function directionSection(d: ReportDirection, port: number): HTMLElement {
  const section = el('section');
  section.dataset['direction'] = d.direction;
  const h = el('h3');
  h.append(el('span', `${d.direction === 'egress' ? 'Egress' : 'Ingress'} of ${d.subject}: `), verdict(d.allowed));
  section.append(h, el('p', d.summary, 'summary'));
  const rules = el('ul');
  for (const p of d.policies) {
    if (p.rules.length === 0) {
      const li = el('li');
      li.append(link(p.policy, p.at), el('span', ` has no ${d.direction} rules: it admits nothing.`));
      rules.append(li);
    }
    for (const r of p.rules) rules.append(ruleItem(r));
  }
  for (const r of d.ignored) rules.append(ruleItem(r));
  if (rules.childElementCount > 0) section.append(rules);
  if (d.nearMisses.length > 0) section.append(el('h3', 'Closest misses'));
  d.nearMisses.forEach((m, miss) => {
    const box = el('div', undefined, 'miss');
    const head = el('p');
    head.append(link(`${m.policy} ${m.direction} rule ${m.rule + 1}`, m.at), el('span', `, ${m.text}, would admit it if:`));
    const changes = el('ul');
    m.changes.forEach((c, change) => {
      const li = el('li');
      li.append(link(c.text, c.at));
      if (c.fix) {
        const b = el('button', c.fix.title);
        b.type = 'button';
        b.addEventListener('click', () => vscode.postMessage({ type: 'fix', port, direction: d.direction, miss, change }));
        li.append(b);
      }
      changes.append(li);
    });
    box.append(head, changes);
    section.append(box);
  });
  return section;
}

function render(report: ExplainReport): void {
  const h1 = el('h1');
  h1.append(el('span', `${report.source} → ${report.destination}: `), verdict(report.allowed));
  const parts: HTMLElement[] = [h1];
  report.ports.forEach((p, i) => {
    const article = el('article');
    article.dataset['port'] = String(p.port);
    const h2 = el('h2');
    h2.append(el('span', `${p.protocol} ${p.port}${p.portName ? ` (${p.portName})` : ''}: `), verdict(p.allowed));
    article.append(h2, directionSection(p.egress, i), directionSection(p.ingress, i));
    parts.push(article);
  });
  root.replaceChildren(...parts);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function flowItem(c: FlowChangeInfo, index: number): HTMLLIElement {
  const li = el('li');
  li.dataset['change'] = c.change;
  const head = el('p');
  const b = el('button', 'Explain');
  b.type = 'button';
  b.title = `Explain ${c.source} → ${c.destination} on ${c.protocol} ${c.port} as the workspace is now`;
  b.addEventListener('click', () => vscode.postMessage({ type: 'explainFlow', index }));
  head.append(el('strong', `${c.source} → ${c.destination}`), el('span', ` ${c.protocol} ${c.port}`), b);
  li.append(head, el('p', c.why, 'muted'));
  return li;
}

function renderWhatIf(result: WhatIfResult): void {
  if (result.error !== undefined) {
    root.replaceChildren(el('h1', `What this change does (against ${result.base})`), el('p', result.error, 'muted'));
    return;
  }
  const parts: HTMLElement[] = [el('h1', `Against ${result.base}: this change opens ${plural(result.opened, 'flow')}, closes ${plural(result.closed, 'flow')}`)];
  if (result.changes.length === 0) parts.push(el('p', `Reachability is the same as at ${result.base}.`, 'muted'));
  for (const change of ['opened', 'closed'] as const) {
    const indices = result.changes.flatMap((c, i) => (c.change === change ? [i] : []));
    if (indices.length === 0) continue;
    const section = el('section');
    section.dataset['change'] = change;
    section.append(el('h2', `${change === 'opened' ? 'Opened' : 'Closed'} (${indices.length})`));
    const list = el('ul', undefined, 'flows');
    for (const i of indices) list.append(flowItem(result.changes[i]!, i));
    section.append(list);
    parts.push(section);
  }
  root.replaceChildren(...parts);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isExplainHostMessage(message)) return;
  const m: HostToExplainMessage = message;
  if (m.type === 'explain') render(m.report);
  else if (m.type === 'whatIf') renderWhatIf(m.result);
  else root.replaceChildren(el('p', m.message, 'denied'));
});

vscode.postMessage({ type: 'ready' });
