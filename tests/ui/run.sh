#!/usr/bin/env bash
# Runs the web UI test in a real headless Chromium (Debian's `chromium` package, driven by the
# pinned playwright-core) against the real mcpproxy binary.
# - npm ci only when node_modules is missing or package-lock.json changed since the last install;
# - the upstream (server-everything) comes from tests/e2e: installed there the same way if missing;
# - Chromium is installed with apt-get when missing and we are root; the test is skipped (exit 0,
#   with a clear message) only when it cannot be installed on this machine.
# MCPPROXY_BIN selects the binary (default build/debug/bin/mcpproxy); UI_ARTIFACTS the screenshot
# folder (default build/ui-artifacts).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
chromium_bin="${CHROMIUM_BIN:-/usr/bin/chromium}"

if [[ ! -x "$chromium_bin" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "ui: installing Debian's chromium" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 || true
  fi
  if [[ ! -x "$chromium_bin" ]]; then
    echo "ui: SKIPPED: $chromium_bin is missing and cannot be installed here (apt-get install chromium)" >&2
    exit 0
  fi
fi

install_if_needed() {
  if [[ ! -f "$1/node_modules/.package-lock.json" || "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]]; then
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
install_if_needed .
install_if_needed ../e2e

exec node --test --test-concurrency=1 tests/
