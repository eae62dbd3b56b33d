/**
 * package.json contributes exactly the settings the server reads, with the
 * same defaults, and a severity entry for every rule code.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../server/src/engine/index.js';
import { DEFAULT_SETTINGS, readSettings } from '../server/src/settings.js';
import { REPO_ROOT } from './support/paths.js';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const props: Record<string, { default: unknown; description?: string; propertyNames?: { enum: string[] } }> = pkg.contributes.configuration.properties;

test('every server setting is contributed with its default and a description', () => {
  const contributed = Object.keys(props).filter((k) => k !== 'netlens.trace.server').map((k) => k.replace(/^netlens\./, '')).sort();
  assert.deepEqual(contributed, Object.keys(DEFAULT_SETTINGS).sort());
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    assert.deepEqual(props[`netlens.${key}`]!.default, value, key);
    assert.ok((props[`netlens.${key}`]!.description ?? '').length > 20, `${key} needs a description`);
  }
});

test('the severity setting knows every rule code', () => {
  assert.deepEqual([...props['netlens.severity']!.propertyNames!.enum].sort(), Object.keys(RULES).sort());
});

test('the server reads the contributed defaults back unchanged', () => {
  const raw = Object.fromEntries(Object.entries(props).map(([k, v]) => [k.replace(/^netlens\./, ''), v.default]));
  assert.deepEqual(readSettings(raw), DEFAULT_SETTINGS);
  // Malformed values fall back to defaults instead of breaking the server.
  assert.deepEqual(readSettings({ podCIDR: 42, severity: { 'cidr-invalid': 'loud', 'no-such-rule': 'off' }, cni: 'x' }), DEFAULT_SETTINGS);
});

test('every contributed command is one the client registers', () => {
  const client = ['commands.ts', 'graphCommands.ts'].map((f) => fs.readFileSync(path.join(REPO_ROOT, 'client', 'src', f), 'utf8')).join('\n');
  for (const c of pkg.contributes.commands as Array<{ command: string }>) assert.ok(client.includes(`'${c.command}'`), c.command);
});
