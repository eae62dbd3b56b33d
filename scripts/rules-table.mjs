// Regenerates the rules table in README.md from the engine's rule table
// (run after `npm run build`; a test checks that README lists every rule).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { RULES } = require('../out/server/src/engine/rules.js');
const { RULE_GUIDANCE } = require('../out/server/src/engine/ruleGuidance.js');
const cell = (text) => text.replace(/\|/g, '\\|');
// An example is one or two lines of YAML: each line its own code span, so a table cell can hold it.
const example = (text) => text.split('\n').map((line) => `\`${cell(line)}\``).join(' ');
const rows = Object.entries(RULES).map(([code, r]) => {
  const g = RULE_GUIDANCE[code];
  return `| \`${code}\` | ${r.severity} | ${cell(r.doc)} | ${cell(g.next)} | ${example(g.wrong)} | ${example(g.right)} |`;
});
const table = ['| code | severity | meaning | what to do | mistake | fix |', '|---|---|---|---|---|---|', ...rows].join('\n');
const readme = readFileSync('README.md', 'utf8');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i === -1 || j === -1) throw new Error('README.md lacks the rules markers');
writeFileSync('README.md', readme.slice(0, i + start.length) + '\n' + table + '\n' + readme.slice(j));
console.log(`${rows.length} rules written to README.md`);
