// Bundles the CLI, the server, the client and the graph webview with esbuild.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * yaml's Node build reads `process.env.LOG_TOKENS` for every token it parses (and `LOG_STREAM` for every document),
 * and each read of process.env is a call into the C++ environment: about 0.3 µs, 0.3–0.4 s of a 10,000-document
 * workspace's first analysis. The package's own browser build is the same code without those debugging hooks (it warns
 * through console.warn instead of process.emitWarning, and reads !!binary with atob, which no Kubernetes manifest
 * uses), so the bundles take it.
 */
function yamlWithoutEnvLookups() {
  const browserBuild = path.join(path.dirname(createRequire(import.meta.url).resolve('yaml/package.json')), 'browser', 'index.js');
  return { name: 'yaml-browser-build', setup: (build) => build.onResolve({ filter: /^yaml$/ }, () => ({ path: browserBuild })) };
}

// Source maps without the sources' text: stack traces and coverage need only the mappings, and every node process
// that measures coverage loads its bundle's map and writes it back out.
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, sourcesContent: false, logLevel: 'warning', plugins: [yamlWithoutEnvLookups()] };

await esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' });
await esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' });
// The start-up parse's worker threads (server/src/parsePool.ts), loaded from beside the server.
await esbuild.build({ ...common, entryPoints: ['server/src/parseWorker.ts'], outfile: 'dist/parseWorker.js' });
// The client runs in VS Code's extension host, which provides the `vscode` module.
await esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] });
// The graph page runs in a browser sandbox: one self-contained script, cytoscape included. Its source map sits beside
// it with no link from the script (the page never loads it, the .vsix leaves it out); coverage reads it.
await esbuild.build({ bundle: true, platform: 'browser', target: 'es2020', format: 'iife', minify: true, sourcemap: 'external', sourcesContent: false, logLevel: 'warning', entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview/graph.js' });
// The explain page: plain DOM, no libraries.
await esbuild.build({ bundle: true, platform: 'browser', target: 'es2020', format: 'iife', minify: true, sourcemap: 'external', sourcesContent: false, logLevel: 'warning', entryPoints: ['webview/src/explain.ts'], outfile: 'dist/webview/explain.js' });
