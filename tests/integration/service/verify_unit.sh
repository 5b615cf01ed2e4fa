#!/usr/bin/env bash
# packaging/mcpproxy.service: `systemd-analyze verify` finds nothing to say (it prints, but exits 0,
# on unknown keys and bad values), and the hardening the deployment guide promises is there.
# Exits 77 (skipped) when systemd-analyze is not installed.
set -euo pipefail
unit="$1"
binary="$2"
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze not found (Debian package systemd); the unit was not verified"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The unit names the installed path; verify checks that ExecStart exists, so point it at the build.
sed "s#/usr/bin/mcpproxy#$binary#g" "$unit" >"$work/mcpproxy.service"
out="$(cd "$work" && systemd-analyze verify ./mcpproxy.service 2>&1)" || { echo "$out"; exit 1; }
if [[ -n "$out" ]]; then
  echo "systemd-analyze verify complained:"
  echo "$out"
  exit 1
fi
for line in Type=notify 'ExecReload=/bin/kill -HUP $MAINPID' NoNewPrivileges=yes ProtectSystem=strict \
  ProtectHome=yes PrivateTmp=yes StateDirectory=mcpproxy ReadWritePaths=/var/lib/mcpproxy User=mcpproxy; do
  grep -qxF "$line" "$unit" || { echo "the unit lacks: $line"; exit 1; }
done
if grep -Eq '^(User=root|ReadWritePaths=.*(/etc|/usr|/home))' "$unit"; then
  echo "the unit runs as root or writes outside its state directory"
  exit 1
fi
echo "systemd-analyze verify: clean"
