#!/usr/bin/env bash
# Runs the official MCP conformance suite's server scenarios through mcpproxy (see README.md):
# installs the pinned npm packages when needed (npm ci; its postinstall applies the documented
# Node 20 patch), then runner.mjs. Exit code is the runner's: 1 when any scenario fails.
# MCPPROXY_BIN selects the binary under test (default: build/debug/bin/mcpproxy in the repo).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

exec node runner.mjs
