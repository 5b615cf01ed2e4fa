#!/usr/bin/env bash
# Soak (issue 9): mcpproxy with agent-token auth in front of two stdio echo upstreams under mixed
# load for SOAK_SECONDS (default 600): rounds of bench_mcp_load (new sessions each round, opened
# and closed), a token created and revoked every round, an upstream restarted through the
# management API every minute. Prints RSS, open fds and threads of the proxy after the first
# round (warm-up) and at the end, and fails when they grew beyond the bounds.
#   bench/soak.sh [build-dir]          (default build/release; needs mcpproxy, auth-agent-token,
#                                       bench_mcp_load, bench_echo_mcp_stdio_server built there)
# Environment: SOAK_SECONDS (600), SOAK_ROUND (20 s), SOAK_SESSIONS (16), SOAK_MAX_RSS_PCT (10),
#              SOAK_MAX_FD_GROWTH (16), SOAK_MAX_THREAD_GROWTH (4).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$REPO_ROOT/build/release}" && pwd)"
SECONDS_TOTAL="${SOAK_SECONDS:-600}"
ROUND="${SOAK_ROUND:-20}"
SESSIONS="${SOAK_SESSIONS:-16}"
MAX_RSS_PCT="${SOAK_MAX_RSS_PCT:-10}"
MAX_FD_GROWTH="${SOAK_MAX_FD_GROWTH:-16}"
MAX_THREAD_GROWTH="${SOAK_MAX_THREAD_GROWTH:-4}"
BIN="$BUILD/bin"
for f in mcpproxy bench_mcp_load bench_echo_mcp_stdio_server; do
  [[ -x "$BIN/$f" ]] || { echo "soak: $BIN/$f not built" >&2; exit 2; }
done

WORK="$(mktemp -d /tmp/mcpproxy-soak-XXXXXX)"
PROXY_PID=""
cleanup() {
  [[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ADMIN_KEY="soak-admin-key-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat >"$WORK/config.json" <<EOF
{"listen": "127.0.0.1:0", "routing_mode": "direct", "api_key": "$ADMIN_KEY",
 "management": {"listen": "127.0.0.1:0"}, "log_level": "warn",
 "plugins": ["auth-agent-token"],
 "mcpServers": [
   {"name": "one", "command": "$BIN/bench_echo_mcp_stdio_server"},
   {"name": "two", "command": "$BIN/bench_echo_mcp_stdio_server"}]}
EOF
mkdir -p "$WORK/data"
cli() { "$BIN/mcpproxy" "$@" --data-dir "$WORK/data" --config "$WORK/config.json"; }
token_of() { sed -n 's/.*"token": *"\([^"]*\)".*/\1/p'; }
TOKEN="$(cli token create --name soak-agent -o json 2>/dev/null | token_of)"

"$BIN/mcpproxy" serve --config "$WORK/config.json" --data-dir "$WORK/data" \
  --port-file "$WORK/ports" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 100); do [[ -s "$WORK/ports" ]] && break; sleep 0.1; done
port_of() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["listeners"][sys.argv[2]])' \
    "$WORK/ports" "$1" | sed 's/.*://'
}
MAIN_PORT="$(port_of main)"
MGMT_PORT="$(port_of management)"
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$MAIN_PORT/healthz" >/dev/null && break
  sleep 0.1
done

sample() {  # rss_kib fds threads
  echo "$(awk '/^VmRSS/ {print $2}' "/proc/$PROXY_PID/status")" \
       "$(ls "/proc/$PROXY_PID/fd" | wc -l)" \
       "$(awk '/^Threads/ {print $2}' "/proc/$PROXY_PID/status")"
}

total_calls=0 total_errors=0 round=0 restarts=0 revoked=0 worst_p99=0
start=$(date +%s) last_restart=$start
run_round() {
  local out
  out="$("$BIN/bench_mcp_load" --url "http://127.0.0.1:$MAIN_PORT/mcp" -c "$SESSIONS" \
          -d "$ROUND" --tool one__echo --args '{"text":"soak"}' \
          -H "Authorization: Bearer $TOKEN" --format json 2>&1)" || true
  python3 - "$out" <<'PY'
import json, sys
try:
    r = json.loads(sys.argv[1].strip().splitlines()[-1])
except Exception:
    print("0 1 0"); sys.exit()
calls = r.get("ok", 0) + r.get("errors", 0); errors = r.get("errors", 0)
p99 = int(r.get("p99_us", 0))
print(calls, errors, p99)
PY
}

echo "soak: ${SECONDS_TOTAL}s, rounds of ${ROUND}s with $SESSIONS sessions; proxy pid $PROXY_PID"
read -r calls errors p99 < <(run_round)  # warm-up round
read -r rss0 fd0 thr0 < <(sample)
echo "soak: after warm-up ($calls calls, $errors errors): RSS ${rss0} KiB, ${fd0} fds, ${thr0} threads"
while (( $(date +%s) - start < SECONDS_TOTAL )); do
  round=$((round + 1))
  read -r calls errors p99 < <(run_round)
  total_calls=$((total_calls + calls)) total_errors=$((total_errors + errors))
  (( p99 > worst_p99 )) && worst_p99=$p99
  # A token created and revoked each round (the proxy's view refreshes under load).
  t="$(cli token create --name "soak-tmp-$round" -o json 2>/dev/null | token_of)"
  [[ -n "$t" ]] && cli token revoke "soak-tmp-$round" >/dev/null && revoked=$((revoked + 1))
  if (( $(date +%s) - last_restart >= 60 )); then
    curl -fs -X POST -H "Authorization: Bearer $ADMIN_KEY" \
      "http://127.0.0.1:$MGMT_PORT/api/v1/servers/two/restart" >/dev/null && restarts=$((restarts + 1))
    last_restart=$(date +%s)
  fi
  read -r rss fd thr < <(sample)
  printf 'soak: t=%4ds round %3d: %6d calls %4d errors p99 %6d us | RSS %6d KiB fds %3d threads %2d\n' \
    "$(( $(date +%s) - start ))" "$round" "$calls" "$errors" "$p99" "$rss" "$fd" "$thr"
done
read -r rss1 fd1 thr1 < <(sample)
growth_pct=$(( (rss1 - rss0) * 100 / rss0 ))
echo "soak: done: $round rounds, $total_calls calls, $total_errors errors, worst round p99 ${worst_p99} us," \
     "$revoked tokens revoked, $restarts upstream restarts"
echo "soak: RSS ${rss0} -> ${rss1} KiB (${growth_pct} %), fds ${fd0} -> ${fd1}, threads ${thr0} -> ${thr1}"
kill -0 "$PROXY_PID" || { echo "soak: FAIL: the proxy died" >&2; exit 1; }
fail=0
(( growth_pct > MAX_RSS_PCT )) && { echo "soak: FAIL: RSS grew more than ${MAX_RSS_PCT} %" >&2; fail=1; }
(( fd1 - fd0 > MAX_FD_GROWTH )) && { echo "soak: FAIL: fds grew by more than $MAX_FD_GROWTH" >&2; fail=1; }
(( thr1 - thr0 > MAX_THREAD_GROWTH )) && { echo "soak: FAIL: threads grew by more than $MAX_THREAD_GROWTH" >&2; fail=1; }
exit $fail
