// Packages the extension with vsce into the path given (default netlens.vsix).
// The marketplace README is README.md for extension users: without the
// blocks between `<!-- developers:start -->` and `<!-- developers:end -->`
// (setting up a checkout, tests, the CLI, layout, benchmarks), and without
// screenshots, which live in the repository (a .vsix has no address to
// resolve relative images from).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'netlens.vsix'));
// vsce wants the readme inside the extension folder; dist/ is build output.
mkdirSync(path.join(root, 'dist'), { recursive: true });
const readme = path.join('dist', 'README.md');
const marketplaceReadme = readFileSync(path.join(root, 'README.md'), 'utf8')
  .replace(/^<!-- developers:start.*?-->\n[\s\S]*?^<!-- developers:end -->\n/gm, '')
  .replace(/^!\[[^\]]*\]\(media\/screenshots\/[^)]*\)\n/gm, '')
  .replace(/\n{3,}/g, '\n\n');
if (/developers:(start|end)/.test(marketplaceReadme)) throw new Error('README.md: unbalanced <!-- developers:start/end --> markers');
writeFileSync(path.join(root, readme), marketplaceReadme);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--readme-path', readme, '--out', out], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
