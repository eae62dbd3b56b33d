// `npm run demo`: opens Netlens in a real VS Code on a copy of examples/ in a
// temporary folder (outside any git repository, so VS Code asks nothing about
// the parent repository, and the demo's edits never touch the checkout). With
// VS Code installed (`code` on PATH) it starts it with the extension in
// development mode and waits for the window to close; otherwise it sets up
// code-server and serves VS Code on http://127.0.0.1:PORT (NETLENS_DEMO_PORT,
// default 8080), printed below, until Ctrl+C or SIGTERM. Either way the copy
// is removed at the end. `npm run demo:cli` is the headless alternative.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'netlens-demo-'));
const workspace = path.join(scratch, 'examples');
cpSync(path.join(root, 'examples'), workspace, { recursive: true });
const removeScratch = () => rmSync(scratch, { recursive: true, force: true });

const code = spawnSync('code', ['--version'], { encoding: 'utf8' });
if (code.status === 0 && !process.env.NETLENS_DEMO_CODE_SERVER) {
  console.log(`Opening VS Code ${code.stdout.split('\n')[0]} with Netlens (development mode) on a copy of examples/ in ${workspace}`);
  spawnSync('code', ['--wait', '--new-window', `--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
  removeScratch();
} else {
  const setup = spawnSync('sh', [path.join(root, 'scripts', 'setup-code-server.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) {
    removeScratch();
    process.exit(setup.status ?? 1);
  }
  const { codeServerMissing, packageVsix, startCodeServer } = require(path.join(root, 'out', 'test', 'support', 'codeServer.js'));
  const missing = codeServerMissing();
  if (missing) {
    console.error(`No VS Code here and ${missing}. The CLI report: npm run demo:cli`);
    removeScratch();
    process.exit(1);
  }
  const vsix = packageVsix(path.join(scratch, 'netlens.vsix'));
  const server = await startCodeServer(vsix, workspace, Number(process.env.NETLENS_DEMO_PORT ?? 8080));
  console.log(`\nNetlens is running in VS Code (code-server) on a copy of examples/:\n\n    ${server.url}\n\nOpen it in a browser; Ctrl+C (or SIGTERM) stops it and removes the copy.`);
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping code-server`);
    void server.stop().then(() => {
      removeScratch();
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
}
