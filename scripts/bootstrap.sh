#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need and is missing: Debian packages (when root), npm
# dependencies (Node 24 comes with them, from the `node` devDependency) and the Go-built Kubernetes
# toolchain (cached outside the repository). Safe to run again: each step checks first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { echo "capstan setup: $*" >&2; }

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
  else
    say "missing ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and try again"
    exit 1
  fi
fi

# npm ci when node_modules is absent or older than the lockfile.
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
node_major=$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 24 ] || { say "node_modules/.bin/node is Node $node_major; Capstan needs Node 24 (npm ci installs it)"; exit 1; }

if ! command -v go >/dev/null 2>&1; then
  say "Go (>= 1.26) is needed to build the local Kubernetes toolchain: install it from https://go.dev/dl or 'apt-get install golang'"
  exit 1
fi
bash tools/testcluster/build.sh >/dev/null
