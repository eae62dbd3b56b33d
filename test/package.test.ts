/**
 * The .vsix: bundles, schemas, grammars, media, README, CHANGELOG, LICENSE;
 * no sources, no node_modules, no tests, no source maps, no screenshots.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { REPO_ROOT } from './support/paths.js';

interface ZipEntry {
  readonly name: string;
  /** The entry's bytes, uncompressed (stored or deflated). */
  readonly content: () => Buffer;
}

/** The entries of a zip file, from its central directory. */
function zipEntries(file: string): ZipEntry[] {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const content = () => {
      assert.equal(buf.readUInt32LE(local), 0x04034b50);
      const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(dataAt, dataAt + compressedSize);
      assert.ok(method === 0 || method === 8, `compression method ${method}`);
      return method === 8 ? zlib.inflateRawSync(data) : data;
    };
    entries.push({ name, content });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

test('npm run package makes a .vsix with what the extension runs, and nothing else', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-vsix-')), 'netlens.vsix');
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), out], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const entries = zipEntries(out);
  const files = entries.map((e) => e.name).filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length)).sort();
  assert.deepEqual(files, [
    'LICENSE.txt',
    'changelog.md',
    'dist/client.js',
    'dist/parseWorker.js',
    'dist/server.js',
    'dist/webview/explain.js',
    'dist/webview/graph.js',
    'media/explain.css',
    'media/graph.css',
    'media/icon.png',
    'package.json',
    'readme.md',
    'schemas/adminnetworkpolicy.schema.json',
    'schemas/baselineadminnetworkpolicy.schema.json',
    'schemas/calico-globalnetworkpolicy.schema.json',
    'schemas/calico-networkpolicy.schema.json',
    'schemas/cilium-clusterwidenetworkpolicy.schema.json',
    'schemas/cilium-networkpolicy.schema.json',
    'schemas/clusternetworkpolicy.schema.json',
    'schemas/cni.schema.json',
    'schemas/networkpolicy.schema.json',
    'schemas/service.schema.json',
    'syntaxes/conflist.language-configuration.json',
    'syntaxes/conflist.tmLanguage.json',
  ]);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  // Every file package.json points at is shipped.
  for (const rel of [pkg.main, pkg.icon, ...pkg.contributes.grammars.map((g: { path: string }) => g.path), ...pkg.contributes.jsonValidation.map((j: { url: string }) => j.url), ...pkg.contributes.languages.map((l: { configuration: string }) => l.configuration)]) {
    assert.ok(files.includes(path.normalize(rel).replace(/^\.\//, '')), rel);
  }
  // The marketplace README is for extension users: what the extension does, its
  // commands and settings; not how to set up a checkout, run tests or the CLI.
  const readme = entries.find((e) => e.name === 'extension/readme.md')!.content().toString('utf8');
  const headings = readme.split('\n').filter((l) => /^#{1,3} /.test(l));
  for (const wanted of ['# Netlens', '## In the editor', '### The reachability graph', '### Commands', '### Settings', '## What Netlens checks']) assert.ok(headings.includes(wanted), `${wanted} in ${headings.join(' | ')}`);
  for (const unwanted of ['## Try it', '## Test it', '## The CLI', '## Layout', '## Performance']) assert.ok(!headings.includes(unwanted), `${unwanted} left out`);
  assert.doesNotMatch(readme, /npm (ci|test|run)|developers:|media\/screenshots/);
  assert.match(readme, /\| `netlens\.defaultNamespace` \|/);
});

test('the conflist grammar is a valid TextMate grammar whose patterns compile', () => {
  const grammar = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'syntaxes', 'conflist.tmLanguage.json'), 'utf8'));
  assert.equal(grammar.scopeName, 'source.json.conflist');
  const patterns: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'match' || k === 'begin' || k === 'end') && typeof x === 'string') patterns.push(x);
        else walk(x);
      }
    }
  };
  walk(grammar);
  assert.ok(patterns.length > 10);
  for (const p of patterns) assert.doesNotThrow(() => new RegExp(p), p);
  // Includes point at rules the repository defines.
  const includes = JSON.stringify(grammar).match(/"include":"#([a-z]+)"/g) ?? [];
  for (const inc of includes) assert.ok(inc.slice(12, -1) in grammar.repository, inc);
});
