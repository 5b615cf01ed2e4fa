#!/usr/bin/env bash
# Soak (issue 9): mcpproxy with agent-token auth in front of two stdio echo upstreams (`one`, `two`)
# under mixed load. Each round: SOAK_ROUND seconds of bench_mcp_load from SOAK_SESSIONS new
# sessions cycling through tools/call of four tools on both upstreams, tools/list and ping; then
#   - a token created over the management API, used, revoked (it must then be refused with 401)
#     and deleted;
#   - every 60 s, upstream `two` restarted through the management API while a probe load of the
#     same mix runs: errors on two's tools inside that probe are the restart window, counted apart;
#   - every SOAK_RELOAD_EVERY rounds, the config file edited and reloaded with SIGHUP while a probe
#     load runs: a third upstream `three` is added, disabled, removed, in turn; once added it must
#     answer calls.
# The first SOAK_WARMUP seconds of rounds are warm-up; then RSS, fds and threads of the proxy are the
# baseline and SOAK_SECONDS more follow. One row per round; the run fails (exit 1) when
#   - RSS at the end exceeds the baseline by more than SOAK_MAX_RSS_PCT %,
#   - fds or threads at the end exceed the baseline (+ SOAK_MAX_FD_GROWTH / SOAK_MAX_THREAD_GROWTH),
#   - any error is not explained by a restart: every error counts except those on two's tools in
#     the restart probes (the main rounds, the reload probes, calls to `three` and the token checks
#     must be error-free), or a restart window reaches the end of its probe (two did not come back),
#   - the proxy died.
# Baseline and end are both sampled with `three` absent, one second after the load stopped.
#   bench/soak.sh [build-dir]          (default build/release; needs mcpproxy, auth-agent-token,
#                                       bench_mcp_load, bench_echo_mcp_stdio_server built there)
# Environment: SOAK_SECONDS (600, after warm-up), SOAK_WARMUP (120), SOAK_ROUND (20 s),
#   SOAK_SESSIONS (32), SOAK_RESTART_EVERY (60 s), SOAK_RELOAD_EVERY (2 rounds), SOAK_PROBE (5 s),
#   SOAK_MAX_RSS_PCT (5), SOAK_MAX_FD_GROWTH (0), SOAK_MAX_THREAD_GROWTH (0),
#   SOAK_PROXY_ENV (extra environment for the proxy, e.g. "MALLOC_ARENA_MAX=2"),
#   SOAK_PROXY_WRAPPER (a command the proxy runs under, e.g. "heaptrack -o /tmp/soak-heap"),
#   SOAK_TRIM (at the end, call malloc_trim(0) in the proxy through gdb and sample again: how much
#   of the RSS is freed memory glibc kept), SOAK_KEEP (keep the work folder with the proxy log).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$REPO_ROOT/build/release}" && pwd)"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
WARMUP="${SOAK_WARMUP:-120}"
ROUND="${SOAK_ROUND:-20}"
SESSIONS="${SOAK_SESSIONS:-32}"
RESTART_EVERY="${SOAK_RESTART_EVERY:-60}"
RELOAD_EVERY="${SOAK_RELOAD_EVERY:-2}"
PROBE="${SOAK_PROBE:-5}"
MAX_RSS_PCT="${SOAK_MAX_RSS_PCT:-5}"
MAX_FD_GROWTH="${SOAK_MAX_FD_GROWTH:-0}"
MAX_THREAD_GROWTH="${SOAK_MAX_THREAD_GROWTH:-0}"
BIN="$BUILD/bin"
for f in mcpproxy bench_mcp_load bench_echo_mcp_stdio_server; do
  [[ -x "$BIN/$f" ]] || { echo "soak: $BIN/$f not built" >&2; exit 2; }
done

WORK="$(mktemp -d /tmp/mcpproxy-soak-XXXXXX)"
PROXY_PID=""
cleanup() {
  [[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null
  wait 2>/dev/null  # the proxy, or its wrapper (heaptrack finishing its file)
  [[ -n "${SOAK_KEEP:-}" ]] && { echo "soak: kept $WORK"; return; }
  rm -rf "$WORK"
}
trap cleanup EXIT

# The config, with `three` absent, present or disabled; rewritten whole (rename) before a reload.
ADMIN_KEY="soak-admin-key-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
write_config() {
  local three=""
  case "$1" in
    present) three=", {\"name\": \"three\", \"command\": \"$BIN/bench_echo_mcp_stdio_server\"}" ;;
    disabled) three=", {\"name\": \"three\", \"command\": \"$BIN/bench_echo_mcp_stdio_server\", \"enabled\": false}" ;;
  esac
  cat >"$WORK/config.json.new" <<EOF
{"listen": "127.0.0.1:0", "routing_mode": "direct", "api_key": "$ADMIN_KEY",
 "management": {"listen": "127.0.0.1:0"}, "log_level": "warn",
 "plugins": ["auth-agent-token"],
 "mcpServers": [
   {"name": "one", "command": "$BIN/bench_echo_mcp_stdio_server"},
   {"name": "two", "command": "$BIN/bench_echo_mcp_stdio_server"}$three]}
EOF
  mv "$WORK/config.json.new" "$WORK/config.json"
}
write_config absent
mkdir -p "$WORK/data"
TOKEN="$("$BIN/mcpproxy" token create --name soak-agent -o json --data-dir "$WORK/data" \
          --config "$WORK/config.json" 2>/dev/null | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')"
[[ -n "$TOKEN" ]] || { echo "soak: could not create the agent token" >&2; exit 2; }

# shellcheck disable=SC2086  # SOAK_PROXY_ENV and SOAK_PROXY_WRAPPER are lists of words
env ${SOAK_PROXY_ENV:-} ${SOAK_PROXY_WRAPPER:-} "$BIN/mcpproxy" serve --config "$WORK/config.json" \
  --data-dir "$WORK/data" --port-file "$WORK/ports" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 300); do [[ -s "$WORK/ports" ]] && break; sleep 0.1; done
if [[ -n "${SOAK_PROXY_WRAPPER:-}" ]]; then  # sample the proxy, not its wrapper
  PROXY_PID="$(pgrep -o -f "^$BIN/mcpproxy serve --config $WORK/")"  # -o: not its orphan guard
fi
port_of() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["listeners"][sys.argv[2]])' \
    "$WORK/ports" "$1" | sed 's/.*://'
}
MAIN_URL="http://127.0.0.1:$(port_of main)/mcp"
MGMT="http://127.0.0.1:$(port_of management)/api/v1"
for _ in $(seq 100); do
  curl -fs "${MAIN_URL%/mcp}/healthz" >/dev/null && break
  sleep 0.1
done
admin() {  # METHOD PATH [JSON body]: prints the body, fails on an HTTP error
  curl -fsS -X "$1" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$MGMT/$2"
}
server_state() {  # NAME: its state, or "absent"
  admin GET servers | python3 -c '
import json, sys
print(next((s["state"] for s in json.load(sys.stdin) if s["name"] == sys.argv[1]), "absent"))' "$1"
}
wait_state() {  # NAME STATE: waits up to 10 s
  for _ in $(seq 100); do
    [[ "$(server_state "$1")" == "$2" ]] && return 0
    sleep 0.1
  done
  return 1
}
wait_state one ready && wait_state two ready || { echo "soak: upstreams not ready" >&2; exit 2; }

MIX=(--mix one__echo --mix two__echo --mix 'one__repeat={"text":"soak-","times":200}'
     --mix 'two__repeat={"text":"soak","times":20}' --mix tools/list --mix ping)
load() {  # OUT-FILE SECONDS SESSIONS TOKEN [bench_mcp_load options...]: one JSON line in OUT-FILE
  local out="$1" seconds="$2" sessions="$3" token="$4"
  shift 4
  "$BIN/bench_mcp_load" --url "$MAIN_URL" -c "$sessions" -d "$seconds" --warmup 0 --timeout 10 \
    -H "Authorization: Bearer $token" --format json "$@" >"$out" 2>&1 || true
}
# Fields of a load result, errors split by step: on steps named PREFIX* (the restart window) and
# elsewhere. Prints: calls ok errors rps p50_us p99_us prefix_errors other_errors from_s until_s
# first_other_error
fields() {
  python3 - "$1" "${2:-}" <<'PY'
import json, sys
try:
    r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
except Exception:
    print(0, 0, 1, 0, 0, 0, 0, 1, -1, -1, "no result: " + open(sys.argv[1]).read()[:200].replace("\n", " "))
    sys.exit()
prefix = sys.argv[2]
mine = [s for s in r["steps"] if prefix and s["step"].startswith(prefix)]
other = [s for s in r["steps"] if not (prefix and s["step"].startswith(prefix))]
pe = sum(s["errors"] for s in mine)
oe = sum(s["errors"] for s in other)
frm = min((s["errors_from_s"] for s in mine if s["errors"]), default=-1)
until = max((s["errors_until_s"] for s in mine if s["errors"]), default=-1)
first = next((s["step"] + ": " + s["first_error"] for s in other if s["errors"]), "-")
print(r["ok"] + r["errors"], r["ok"], r["errors"], round(r["rps"]), round(r["p50_us"]),
      round(r["p99_us"]), pe, oe, round(frm, 2), round(until, 2), first.replace("\n", " ")[:300])
PY
}
sample() {  # rss_kib fds threads anon_kib file_kib shmem_kib, after the proxy settled
  sleep 1
  local status="/proc/$PROXY_PID/status"
  echo "$(awk '/^VmRSS/ {print $2}' "$status")" "$(ls "/proc/$PROXY_PID/fd" | wc -l)" \
       "$(awk '/^Threads/ {print $2}' "$status")" "$(awk '/^RssAnon/ {print $2}' "$status")" \
       "$(awk '/^RssFile/ {print $2}' "$status")" "$(awk '/^RssShmem/ {print $2}' "$status")"
}
note_problem() { problems+=("t=$(( $(date +%s) - start ))s: $*"); }

# One token's life: created, used, revoked (then refused with 401), deleted.
token_cycle() {
  local name="soak-tmp-$1" secret status calls ok errors first
  secret="$(admin POST tokens "{\"name\": \"$name\"}" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')" ||
    true
  if [[ -z "$secret" ]]; then note_problem "token $name: create failed"; return; fi
  load "$WORK/token.json" 1 2 "$secret" --mix one__echo --mix two__echo
  read -r calls ok errors _ _ _ _ _ _ _ first < <(fields "$WORK/token.json")
  token_calls=$((token_calls + calls))
  (( errors == 0 && ok > 0 )) || note_problem "token $name: $errors errors before revocation ($first)"
  admin POST "tokens/$name/revoke" >/dev/null || note_problem "token $name: revoke failed"
  # One request, not a load: repeated 401s from one address would trip the auth-failure limit.
  status="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $secret" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    --data '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"soak","version":"1"}}}' \
    "$MAIN_URL")"
  if [[ "$status" == 401 ]]; then
    revoked=$((revoked + 1))
  else
    note_problem "token $name: HTTP $status after revocation, not 401"
  fi
  admin DELETE "tokens/$name" >/dev/null || note_problem "token $name: delete failed"
}

# Upstream `two` restarted 1 s into a probe of the whole mix; errors on two's tools are the window.
restart_two() {
  local probe calls win other from until first
  load "$WORK/restart.json" "$PROBE" "$SESSIONS" "$TOKEN" "${MIX[@]}" &
  probe=$!
  sleep 1
  admin POST servers/two/restart >/dev/null || note_problem "restart: the API refused"
  wait "$probe"
  restarts=$((restarts + 1))
  read -r calls _ _ _ _ _ win other from until first < <(fields "$WORK/restart.json" two__)
  probe_calls=$((probe_calls + calls)) window_errors=$((window_errors + win))
  other_errors=$((other_errors + other))
  (( other == 0 )) || note_problem "restart probe: $other errors off the restarted upstream ($first)"
  # A window that lasts to the end of the probe: two did not come back in time.
  if (( win > 0 )) && python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) - 0.5 else 1)' "$until" "$PROBE"; then
    note_problem "restart: two still failing at the end of the probe (errors until ${until} s)"
  fi
  events+="restart(${win} err"
  (( win > 0 )) && events+=" ${from}-${until}s"
  events+=") "
}

# The config edited and reloaded (SIGHUP) 1 s into a probe of the whole mix: three cycles through
# present, disabled, absent. None of it may cost a call.
three_state=absent
reload_config() {
  local next probe calls errors first want
  case "$three_state" in absent) next=present ;; present) next=disabled ;; *) next=absent ;; esac
  load "$WORK/reload.json" "$PROBE" "$SESSIONS" "$TOKEN" "${MIX[@]}" &
  probe=$!
  sleep 1
  write_config "$next"
  kill -HUP "$PROXY_PID"
  wait "$probe"
  reloads=$((reloads + 1))
  read -r calls _ errors _ _ _ _ _ _ _ first < <(fields "$WORK/reload.json")
  probe_calls=$((probe_calls + calls)) other_errors=$((other_errors + errors))
  (( errors == 0 )) || note_problem "reload probe: $errors errors ($first)"
  want="$next"
  [[ "$next" == present ]] && want=ready
  wait_state three "$want" || note_problem "reload: three is $(server_state three), not $want"
  three_state="$next"
  events+="reload(three $next) "
  if [[ "$next" == present ]]; then
    load "$WORK/three.json" 1 4 "$TOKEN" --mix three__echo --mix 'three__repeat={"text":"3","times":3}'
    read -r calls _ errors _ _ _ _ _ _ _ first < <(fields "$WORK/three.json")
    probe_calls=$((probe_calls + calls)) other_errors=$((other_errors + errors))
    (( errors == 0 && calls > 0 )) || note_problem "three after reload: $errors errors ($first)"
  fi
}

problems=()
main_calls=0 main_errors=0 probe_calls=0 window_errors=0 other_errors=0 token_calls=0
round=0 restarts=0 reloads=0 revoked=0 worst_p99=0
rss0="" rss_peak=0
read -r rss_start fd_start thr_start anon_start file_start shm_start < <(sample)
start=$(date +%s) last_restart=$start
echo "soak: ${WARMUP}s warm-up + ${SOAK_SECONDS}s, rounds of ${ROUND}s with $SESSIONS sessions;" \
     "proxy pid $PROXY_PID; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "soak: at start (idle, before any call): RSS ${rss_start} KiB (anon ${anon_start}, file" \
     "${file_start}, shmem ${shm_start}), ${fd_start} fds, ${thr_start} threads"
printf '%6s %5s %9s %6s %7s %7s %7s %9s %8s %4s %4s %5s  %s\n' \
  t round requests errors req/s p50_ms p99_ms RSS_KiB anon_KiB fds thr load events
while true; do
  elapsed=$(( $(date +%s) - start ))
  if [[ -z "$rss0" ]]; then
    (( elapsed >= WARMUP )) && [[ "$three_state" == absent ]] && {
      read -r rss0 fd0 thr0 anon0 file0 shm0 < <(sample)
      baseline_at=$elapsed
      echo "soak: baseline after warm-up (t=${elapsed}s): RSS ${rss0} KiB, ${fd0} fds, ${thr0} threads"
    }
  elif (( elapsed >= baseline_at + SOAK_SECONDS )); then
    break
  fi
  round=$((round + 1)) events=""
  load "$WORK/main.json" "$ROUND" "$SESSIONS" "$TOKEN" "${MIX[@]}"
  read -r calls _ errors rps p50 p99 _ _ _ _ first < <(fields "$WORK/main.json")
  main_calls=$((main_calls + calls)) main_errors=$((main_errors + errors))
  (( errors == 0 )) || note_problem "round $round: $errors errors ($first)"
  [[ -n "$rss0" ]] && (( p99 > worst_p99 )) && worst_p99=$p99
  token_cycle "$round"
  events+="token "
  if (( $(date +%s) - last_restart >= RESTART_EVERY )); then
    restart_two
    last_restart=$(date +%s)
  fi
  (( round % RELOAD_EVERY == 0 )) && reload_config
  read -r rss fd thr anon _ _ < <(sample)
  [[ -n "$rss0" ]] && (( rss > rss_peak )) && rss_peak=$rss
  printf '%6d %5d %9d %6d %7d %7.2f %7.2f %9d %8d %4d %4d %5s  %s\n' \
    "$(( $(date +%s) - start ))" "$round" "$calls" "$errors" "$rps" \
    "$(awk "BEGIN {print $p50 / 1000}")" "$(awk "BEGIN {print $p99 / 1000}")" \
    "$rss" "$anon" "$fd" "$thr" "$(cut -d' ' -f1 /proc/loadavg)" "$events"
  kill -0 "$PROXY_PID" 2>/dev/null || break
done
if ! kill -0 "$PROXY_PID" 2>/dev/null; then
  echo "soak: FAIL: the proxy died; its log:" >&2
  tail -20 "$WORK/proxy.log" >&2
  exit 1
fi
while [[ "$three_state" != absent ]]; do reload_config; done  # end sampled like the baseline
read -r rss1 fd1 thr1 anon1 file1 shm1 < <(sample)
growth="$(awk "BEGIN {printf \"%.1f\", ($rss1 - $rss0) * 100 / $rss0}")"
total=$((main_calls + probe_calls + token_calls))
echo "soak: done at t=$(( $(date +%s) - start ))s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "soak: $round rounds, $total requests ($main_calls in rounds, $probe_calls in restart/reload" \
     "probes, $token_calls with temporary tokens); worst round p99 after warm-up" \
     "$(awk "BEGIN {print $worst_p99 / 1000}") ms"
echo "soak: errors: $main_errors in rounds, $window_errors in restart windows (allowed)," \
     "$other_errors elsewhere in probes; $restarts restarts of two, $reloads config reloads," \
     "$revoked tokens revoked and refused"
echo "soak: RSS after warm-up ${rss0} KiB -> end ${rss1} KiB (${growth} %, peak ${rss_peak} KiB);" \
     "fds ${fd0} -> ${fd1}; threads ${thr0} -> ${thr1}"
echo "soak: of that RSS: anon ${anon0} -> ${anon1} KiB, file-backed ${file0} -> ${file1} KiB," \
     "shmem ${shm0} -> ${shm1} KiB"
if [[ -n "${SOAK_TRIM:-}" ]]; then  # diagnosis: how much of the RSS is memory malloc only keeps
  timeout 60 gdb -p "$PROXY_PID" -batch -ex 'call (int) malloc_trim(0)' >"$WORK/trim.log" 2>&1 ||
    echo "soak: malloc_trim through gdb failed (see $WORK/trim.log)"
  read -r rss2 _ _ anon2 file2 _ < <(sample)
  echo "soak: after malloc_trim(0) in the proxy: RSS ${rss2} KiB (anon ${anon2}, file-backed" \
       "${file2}); not used for the verdict"
fi
fail=0
for p in "${problems[@]}"; do echo "soak: FAIL: $p" >&2; fail=1; done
awk "BEGIN {exit !($growth > $MAX_RSS_PCT)}" &&
  { echo "soak: FAIL: RSS grew ${growth} % after warm-up (limit ${MAX_RSS_PCT} %)" >&2; fail=1; }
(( fd1 - fd0 > MAX_FD_GROWTH )) &&
  { echo "soak: FAIL: fds grew from $fd0 to $fd1" >&2; fail=1; }
(( thr1 - thr0 > MAX_THREAD_GROWTH )) &&
  { echo "soak: FAIL: threads grew from $thr0 to $thr1" >&2; fail=1; }
(( fail == 0 )) && echo "soak: PASS"
exit $fail
