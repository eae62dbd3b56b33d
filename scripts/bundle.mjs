// Bundles the CLI (and later the server, client and webview) with esbuild.
import * as esbuild from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' });
await esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' });
// The client runs in VS Code's extension host, which provides the `vscode` module.
await esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] });
