// `npm run demo`: opens Netlens in a real VS Code on examples/. With VS Code
// installed (`code` on PATH) it starts it with the extension in development
// mode; otherwise it sets up code-server and serves VS Code on
// http://127.0.0.1:PORT (NETLENS_DEMO_PORT, default 8080), printed below.
// `npm run demo:cli` is the headless alternative: the CLI report.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const examples = path.join(root, 'examples');

const code = spawnSync('code', ['--version'], { encoding: 'utf8' });
if (code.status === 0 && !process.env.NETLENS_DEMO_CODE_SERVER) {
  console.log(`Opening VS Code ${code.stdout.split('\n')[0]} with Netlens (development mode) on examples/`);
  spawnSync('code', [`--extensionDevelopmentPath=${root}`, examples], { stdio: 'inherit' });
} else {
  const setup = spawnSync('sh', [path.join(root, 'scripts', 'setup-code-server.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
  const { codeServerMissing, packageVsix, startCodeServer } = require(path.join(root, 'out', 'test', 'support', 'codeServer.js'));
  const missing = codeServerMissing();
  if (missing) {
    console.error(`No VS Code here and ${missing}. The CLI report: npm run demo:cli`);
    process.exit(1);
  }
  const server = await startCodeServer(packageVsix(), examples, Number(process.env.NETLENS_DEMO_PORT ?? 8080));
  console.log(`\nNetlens is running in VS Code (code-server) on examples/:\n\n    ${server.url}\n\nOpen it in a browser; Ctrl+C stops it.`);
  process.on('SIGINT', () => void server.stop().then(() => process.exit(0)));
}
