// Writes schemas/*.json from the engine's schema modules (run after the build;
// a test checks the committed files are current).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SCHEMAS } = require('../out/server/src/engine/schemas/index.js');
mkdirSync('schemas', { recursive: true });
for (const [name, schema] of Object.entries(SCHEMAS)) writeFileSync(`schemas/${name}`, JSON.stringify(schema, null, 2) + '\n');
console.log(`wrote ${Object.keys(SCHEMAS).length} schema(s) to schemas/`);
