#!/bin/sh
# Installs the Debian packages that Netlens's setup and tests need and a bare
# machine with only Node.js and npm lacks:
#   build-essential, python3  node-gyp's toolchain for code-server's native
#                             modules (node-pty, @vscode/sqlite3, spdlog, ...)
#   libkrb5-dev               gssapi/gssapi.h and libgssapi_krb5.so for
#                             code-server's `kerberos` module
#   chromium                  the browser the webview and code-server tests drive
# With arguments, only those packages are checked (setup-code-server.sh asks
# for the first three). A package counts as present when what we need from it
# is there, so the check also holds on machines without dpkg.
# As root it installs whatever is missing with one apt-get call; as any other
# user it prints the command to run and fails, rather than failing later in
# the middle of a native build.
set -eu

[ "$#" -gt 0 ] || set -- build-essential python3 libkrb5-dev chromium

has() {
  case "$1" in
    build-essential) command -v cc >/dev/null 2>&1 && command -v c++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 ;;
    python3) command -v python3 >/dev/null 2>&1 ;;
    libkrb5-dev) [ -f /usr/include/gssapi/gssapi.h ] && command -v krb5-config >/dev/null 2>&1 ;;
    chromium) [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] ;;
    *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
  esac
}

missing=""
for pkg in "$@"; do
  has "$pkg" || missing="$missing $pkg"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Netlens needs these system packages, which are missing:$missing" >&2
  echo "Install them (Debian or Ubuntu) with:  sudo apt-get install -y$missing" >&2
  exit 1
fi

echo "Installing system packages:$missing (apt-get, usually under a minute)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # one word per package
apt-get install -y -qq$missing >/dev/null
for pkg in $missing; do
  has "$pkg" || { echo "apt-get installed $pkg, but what Netlens needs from it is still missing" >&2; exit 1; }
done
