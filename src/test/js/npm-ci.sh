#!/bin/sh
# Installs the interop test peer's npm packages: run by the Maven build in target/js (a copy of
# src/test/js), before the tests. `npm ci` takes exactly package-lock.json; it runs again only
# when the lockfile or the Node.js version changed since the last install in this directory.
set -eu

need_node() {
	cat >&2 <<MSG
interop: $1

btcfed-node's interop tests run a js-libp2p test peer (src/test/js), so the build needs
Node.js 20 or newer and npm on the PATH. Install them with your system's package manager, e.g.
  Debian 13 or newer:  sudo apt-get install nodejs npm
  Fedora/RHEL:         sudo dnf install nodejs npm
  macOS:               brew install node
(Debian 12 and Ubuntu 24.04 ship Node.js 18, which js-libp2p 3 does not support.)
The interop tests need them: they are part of every ./mvnw -B verify.
MSG
	exit 1
}

command -v node >/dev/null 2>&1 || need_node "no 'node' on the PATH"
command -v npm >/dev/null 2>&1 || need_node "no 'npm' on the PATH"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || need_node "Node.js $(node --version) is too old"

stamp=node_modules/.btcfed-installed
current="$(node --version) $(cksum <package-lock.json)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$current" ]; then
	echo "interop: npm packages already installed for this package-lock.json and Node.js $(node --version)"
	exit 0
fi
npm ci --no-audit --no-fund
echo "$current" >"$stamp"
