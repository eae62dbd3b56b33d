/**
 * `npm run test:vscode`: the end-to-end suite inside a real VS Code's
 * extension host (@vscode/test-electron + mocha), on a copy of examples/.
 *
 * VS Code comes from VSCODE_EXECUTABLE when set (a local install: the
 * `code` binary's real executable, e.g. /usr/share/code/code), otherwise
 * test-electron downloads it, which needs network access.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  let executable = process.env['VSCODE_EXECUTABLE'];
  if (executable !== undefined && !fs.existsSync(executable)) {
    console.error(`test:vscode: VSCODE_EXECUTABLE=${executable} does not exist.`);
    process.exit(1);
  }
  if (executable === undefined) {
    try {
      executable = await downloadAndUnzipVSCode({ version: process.env['VSCODE_VERSION'] ?? 'stable', timeout: 60_000 });
    } catch (err) {
      console.error(
        `test:vscode: cannot obtain VS Code (${err instanceof Error ? err.message : String(err)}).\n` +
          'test-electron downloads it from update.code.visualstudio.com, which needs network access.\n' +
          'Set VSCODE_EXECUTABLE to a local VS Code executable to run the suite offline.',
      );
      process.exit(1);
    }
  }
  // Work on a copy: the suite applies quick fixes.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-'));
  fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch((err) => {
  console.error(`test:vscode: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
