/**
 * Hostile and broken input, each fed to the real language server: a clear
 * diagnostic or deliberate silence, and the server answers the next request
 * within a second, every time.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { CodeLensRequest, CodeLensResolveRequest } from 'vscode-languageserver-protocol';
import { LspTestClient, uriOf, within } from './support/lspClient.js';

const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: default}\nspec:\n  podSelector: {}\n';

describe('hostile input', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-hostile-'));
  const sentinel = uriOf(path.join(dir, 'sentinel.yaml'));
  let client: LspTestClient;
  let round = 0;
  before(async () => {
    client = await LspTestClient.start(dir);
    await client.open(sentinel, POLICY.replace('name: p', 'name: sentinel'));
    await client.waitForDiagnostics(sentinel, (d) => d.length > 0);
  });
  after(async () => {
    assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), [], 'no handler failed');
    await client.stop();
  });

  /**
   * Opens a document and returns what the server published for it once it has
   * caught up: a sentinel edit made after it must come back first, and the
   * server analyses all changes together, in order.
   */
  async function feed(name: string, text: string, languageId = 'yaml', whileOpen?: (uri: string) => Promise<void>): Promise<Diagnostic[]> {
    const uri = uriOf(path.join(dir, name));
    await client.open(uri, text, languageId);
    round++;
    const marker = `sentinel-${round}`;
    const done = client.nextDiagnostics(sentinel, (d) => d.some((x) => String(x.message).includes(marker)));
    await client.setText(sentinel, POLICY.replace('name: p', `name: ${marker}`));
    await within(30_000, `analysis after ${name}`, done);
    // And it still answers at once.
    await within(1000, `hover after ${name}`, client.hover(uri, { line: 0, character: 1 }));
    await within(1000, `code lens after ${name}`, client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }));
    const ds = client.diagnostics.get(uri) ?? [];
    await whileOpen?.(uri);
    await client.close(uri);
    return ds;
  }
  const codes = (ds: Diagnostic[]) => ds.map((d) => `${String(d.code)}: ${String(d.message)}`);

  test('an alias bomb is read without expanding it', async () => {
    const levels = ['&a [*s,*s,*s,*s,*s,*s,*s,*s,*s]', ...'bcdefgh'.split('').map((l, i) => `&${l} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)];
    const text = POLICY.replace('podSelector: {}', `podSelector: &s {}\n  x: ${levels.map((l, i) => `\n  x${i}: ${l}`).join('')}\n  ingress: *h`);
    const ds = await feed('bomb.yaml', text);
    assert.ok(ds.some((d) => d.code === 'schema-invalid'), codes(ds).join('\n'));
  });

  test('a 10 MB single line is silent (a ConfigMap has no network meaning) and cheap', async () => {
    assert.deepEqual(await feed('big-line.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: "${'x'.repeat(10_000_000)}"}\n`), []);
  });

  test('binary bytes with a .yaml name, and non-UTF-8 bytes, are silent', async () => {
    const binary = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919 + 13) % 256)).toString('latin1');
    assert.deepEqual(await feed('binary.yaml', binary), []);
    assert.deepEqual(await feed('latin1.yaml', Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).toString('utf8')), []);
  });

  test('deeply nested sequences give one clear syntax error', async () => {
    const ds = await feed('nested.yaml', `${POLICY}  ingress: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    assert.deepEqual(codes(ds), ['yaml-syntax: This document is nested too deeply to read. Flatten the nesting; until then the document is ignored.']);
  });

  test('duplicate keys and tab indentation are syntax errors where they are', async () => {
    const dup = await feed('dup.yaml', `${POLICY}  podSelector: {matchLabels: {a: b}}\n`);
    assert.deepEqual(codes(dup), ['yaml-syntax: Map keys must be unique. Fix the syntax at the marked place; until then the document is ignored.']);
    assert.equal(dup[0]!.range.start.line, 5);
    const tabs = await feed('tabs.yaml', `${POLICY}  ingress:\n\t- from: []\n`);
    assert.deepEqual(codes(tabs), ['yaml-syntax: Tabs are not allowed as indentation. Fix the syntax at the marked place; until then the document is ignored.']);
    assert.equal(tabs[0]!.range.start.line, 6);
  });

  test('JSON with comments or trailing commas in a .conflist is named as such', async () => {
    const comments = await feed('10-c.conflist', '{\n  "cniVersion": "1.0.0",\n  // first the bridge\n  "name": "n", "plugins": [{"type": "bridge"}]\n}\n', 'conflist');
    assert.deepEqual(codes(comments), ['yaml-syntax: Not valid JSON, which CNI runtimes require: comments are not allowed in JSON. Fix the syntax at the marked place; until then the document is ignored.']);
    assert.deepEqual(comments[0]!.range.start, { line: 2, character: 2 });
    const commas = await feed('10-t.conflist', '{"cniVersion": "1.0.0", "name": "n", "plugins": [{"type": "bridge"},]}\n', 'conflist');
    assert.deepEqual(codes(commas), ['yaml-syntax: Not valid JSON, which CNI runtimes require: trailing comma before the closing bracket. Fix the syntax at the marked place; until then the document is ignored.']);
  });

  test('Helm templates, bare scalars and non-Kubernetes YAML are silent', async () => {
    assert.deepEqual(await feed('helm.yaml', `${POLICY.replace('name: p', 'name: {{ .Release.Name }}')}  ingress: {{- toYaml .Values.ingress | nindent 4 }}\n`), []);
    assert.deepEqual(await feed('scalar.yaml', 'just a string\n---\n42\n---\n'), []);
    assert.deepEqual(await feed('workflow.yaml', 'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: "echo {{ x"}]\n'), []);
  });

  test('CRLF line endings: positions still exact', async () => {
    const text = `${POLICY}  ingress:\n    - from: [{ipBlock: {cidr: 10.1.2.3/8}}]\n`.replace(/\n/g, '\r\n');
    const ds = await feed('crlf.yaml', text);
    const d = ds.find((x) => x.code === 'cidr-not-canonical')!;
    assert.deepEqual(d.range, { start: { line: 6, character: 30 }, end: { line: 6, character: 40 } });
  });

  test('a 100,000-line file is analysed and the server stays responsive', async () => {
    const pods = Array.from({ length: 25_000 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: big, labels: {app: a${i % 50}}}\nspec: {containers: [{name: c, image: i}]}`).join('\n---\n');
    assert.ok(pods.split('\n').length >= 100_000);
    const ds = await feed('huge.yaml', pods, 'yaml', async (uri) => {
      // 50,000 lenses: the answer holds their places only, and a lens the editor shows is resolved on its own.
      const places = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
      assert.equal(places.length, 50_000);
      assert.ok(places.every((l) => l.command === undefined));
      assert.deepEqual(places[2]!.range.start, { line: 5, character: 0 });
      const third = await within(1000, 'a lens resolved', client.connection.sendRequest(CodeLensResolveRequest.type, places[2]!));
      // No policy selects big's pods: each reaches and is reached by every other, and by any address.
      assert.equal(third.command?.title, 'reachable from 24999 other pods · any address · can reach 24999 other pods');
      assert.equal(third.command?.command, 'netlens.showGraph');
      assert.deepEqual(third.command?.arguments, [{ focus: 'big/p1' }]);
    });
    // The sentinel policy (a default-deny of namespace default, renamed each round) is the workspace's example.
    assert.equal(ds.length, 1);
    assert.match(
      codes(ds)[0]!,
      /^namespace-without-default-deny: Namespace big has no default-deny policy, unlike namespace default \(policy sentinel-\d+\), and no policy selects Pod p0, so its pods accept traffic from everywhere\. Add a NetworkPolicy with podSelector: \{\} and no rules, then allow what the pods need\.$/,
    );
  });
});
