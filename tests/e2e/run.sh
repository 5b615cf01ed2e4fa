#!/usr/bin/env bash
# Runs the end-to-end tests: installs the pinned npm packages when needed, then `npm test`.
# Installs with `npm ci` only when node_modules is missing or package-lock.json changed since the
# last install (npm writes node_modules/.package-lock.json on every install). Exit code is npm test's.
# MCPPROXY_BIN selects the binary under test (default: build/debug/bin/mcpproxy in the repo).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

exec npm test --silent
