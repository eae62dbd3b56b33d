// Packages the extension with vsce into the path given (default netlens.vsix).
// The marketplace README is README.md without its screenshots: they live in
// the repository, and a .vsix has no address to resolve relative images from.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'netlens.vsix'));
// vsce wants the readme inside the extension folder; dist/ is build output.
mkdirSync(path.join(root, 'dist'), { recursive: true });
const readme = path.join('dist', 'README.md');
writeFileSync(path.join(root, readme), readFileSync(path.join(root, 'README.md'), 'utf8').replace(/^!\[[^\]]*\]\(media\/screenshots\/[^)]*\)\n/gm, ''));
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--readme-path', readme, '--out', out], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
