// `npm run demo:cli`: the headless demo. Prints every finding on examples/
// (`netlens check`), then the reachability matrix (`netlens matrix`), and
// exits as `check` does: 1, because the examples plant errors on purpose.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const netlens = (...args) => spawnSync(process.execPath, [path.join(root, 'bin', 'netlens.js'), ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;

const check = netlens('check', 'examples/');
console.log('');
const matrix = netlens('matrix', 'examples/');
if (matrix !== 0) process.exit(matrix);
if (check === 1) console.log('\n`netlens check` exited 1: the examples hold planted errors, one of every kind Netlens finds, so this demo exits 1 too.');
process.exit(check);
