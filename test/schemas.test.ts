/**
 * schemas/*.json are generated from the engine's schema modules; editors and
 * users read the files, the engine the modules. They must not drift apart.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { SCHEMAS } from '../server/src/engine/schemas/index.js';
import { REPO_ROOT } from './support/paths.js';

test('schemas/ holds exactly what the engine validates with (run `node scripts/write-schemas.mjs`)', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const file = path.join(REPO_ROOT, 'schemas', name);
    assert.ok(fs.existsSync(file), `${name} is missing`);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), schema, name);
  }
});
