/**
 * Settled typing, over LSP: an 18-line NetworkPolicy typed one character at a
 * time. With netlens.settleDelay no published finding quotes a half-typed
 * word; with 0 (everything at once) they do, which is what the setting fixes.
 * Either way the diagnostics once still equal those of a fresh open (the
 * policy ends with one real finding, a port name no pod declares).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LineIndex, RULE_GUIDANCE, RULES } from '../server/src/engine/index.js';
import { LspTestClient, uriOf } from './support/lspClient.js';
import { scratchWorkspace } from './support/scratch.js';

const APPS = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: web}]}
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
      ports:
        - {port: metrics, protocol: TCP}
`;

const summary = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${d.message}`).sort();
const finalWords = new Set(POLICY.split(/[^A-Za-z0-9.\-/]+/));

const isPartial = (w: string) => !finalWords.has(w) && [...finalWords].some((f) => f.startsWith(w));
/** The words the rule texts themselves use ("pod", "in"): a message holding one is not quoting the text being typed. */
const ruleWords = new Set(
  [...Object.values(RULES).map((r) => r.doc), ...Object.values(RULE_GUIDANCE).map((g) => g.next)].flatMap((t) => t.split(/[^A-Za-z0-9.\-/]+/)),
);

/**
 * A finding about a word still being typed: it quotes a strict prefix of a
 * word of the finished text, or names one unquoted ("namespace sho"), two
 * characters or more, that no rule text uses.
 */
function quotesPartialWord(d: Diagnostic): boolean {
  const message = String(d.message);
  if ([...message.matchAll(/"([^"]+)"/g)].some(([, q]) => isPartial(q!))) return true;
  return message
    .replace(/"[^"]*"/g, ' ')
    .split(/[^A-Za-z0-9\-/]+/)
    .some((w) => w.length >= 2 && !ruleWords.has(w) && isPartial(w));
}

async function typePolicy(t: TestContext, settleDelay: number): Promise<{ partial: string[]; transient: number; published: number }> {
  const dir = scratchWorkspace('settle', { 'apps.yaml': APPS });
  const client = await LspTestClient.start(dir, { settleDelay });
  try {
    const uri = uriOf(path.join(dir, 'policy.yaml'));
    await client.open(uri, '');
    const seen: Diagnostic[][] = [];
    void client.nextDiagnostics(uri, (ds) => {
      seen.push(ds);
      return false;
    });
    for (const ch of POLICY) {
      const text = client.texts.get(uri)!;
      const end = new LineIndex(text).positionAt(text.length);
      await client.edit(uri, { start: end, end }, ch);
      // A request after each keystroke, as an editor's hover or completion would: the server
      // handles the change (and may publish) before it answers.
      await client.hover(uri, end);
      // A fast typist's pace (25 keys a second): slower than the server's burst debounce
      // (30 ms of quiet), so each keystroke is analysed on its own, as in an editor.
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    // Once still, the typed document must show what a fresh open of the same text shows (its release publication).
    const freshUri = uriOf(path.join(dir, 'fresh.yaml'));
    await client.open(freshUri, POLICY);
    const fresh = summary(await client.waitForDiagnostics(freshUri, (ds) => ds.length > 0));
    const final = summary(await client.waitForDiagnostics(uri, (ds) => summary(ds).join('\n') === fresh.join('\n')));
    const finalSet = new Set(final.map((s) => s.replace(/^\d+:\d+ /, '')));
    const transient = new Set(seen.flat().filter((d) => d.code !== 'yaml-syntax').map((d) => `${String(d.code)} ${d.message}`).filter((m) => !finalSet.has(m)));
    const partial = [...new Set(seen.flat().filter(quotesPartialWord).map((d) => `${String(d.code)} ${d.message}`))];
    t.diagnostic(`settleDelay ${settleDelay}: ${seen.length} publications, ${transient.size} transient findings, ${partial.length} on half-typed words`);
    if (process.env['NETLENS_SHOW_TRANSIENT']) t.diagnostic([...transient].join('\n'));
    return { partial, transient: transient.size, published: seen.length };
  } finally {
    await client.stop();
  }
}

test('typing a policy with settleDelay: no finding on a half-typed word, the end state equals a fresh open', { timeout: 120_000 }, async (t) => {
  const r = await typePolicy(t, 1500);
  assert.deepEqual(r.partial, []);
});

test('typing the same policy with settleDelay 0: findings on half-typed words appear (what the delay holds back)', { timeout: 120_000 }, async (t) => {
  const r = await typePolicy(t, 0);
  assert.ok(r.partial.some((m) => m.startsWith('object-invalid Unknown policyType "')), r.partial.join('\n'));
});
