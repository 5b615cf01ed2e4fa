# Shared steps of examples/mcp-tunnel-*/smoke-test.sh (sourced, bash). Each recipe's script picks
# the daemon (the real one when it is on PATH, else the fake from tests/fakes/), starts mcpproxy
# with the recipe's own config, finds the public URL and calls smoke_checks against it.
#
# Environment:
#   MCPPROXY_BIN   the mcpproxy binary (default: build/debug, then build/release, then PATH)
#   SMOKE_FAKE=1   use the fake daemon even when the real one is installed
#   SMOKE_KEEP=1   keep the work folder (logs, data) after the run
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
FAKES_DIR="$REPO_ROOT/tests/fakes"
SMOKE_NAME="${SMOKE_NAME:-smoke}"
SMOKE_STARTED=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcpproxy-$SMOKE_NAME.XXXXXX")"
SMOKE_PIDS=()
MCPPROXY_PID=""
CURL_EXTRA=()  # e.g. --resolve/--cacert when the URL is an origin behind a TLS proxy

say() { printf '%s: %s\n' "$SMOKE_NAME" "$*"; }
ok() { printf '%s: ok   %s\n' "$SMOKE_NAME" "$*"; }

smoke_logs() {
  local f
  for f in "$WORK"/*.log; do
    [[ -f "$f" ]] || continue
    printf -- '----- %s (last 40 lines)\n' "$(basename "$f")" >&2
    tail -n 40 "$f" >&2
  done
}

fail() {
  printf '%s: FAIL %s\n' "$SMOKE_NAME" "$*" >&2
  smoke_logs
  exit 1
}

# kill_leftovers DIR: daemons whose environment names DIR (our unique work folder). A daemon
# outlives an mcpproxy that crashed (it is reparented to init); this keeps a failed run from leaving
# fake tunnels behind.
kill_leftovers() {
  local dir="$1" env_file pid
  for env_file in /proc/[0-9]*/environ; do
    pid="${env_file#/proc/}"
    pid="${pid%/environ}"
    [[ "$pid" == "$$" ]] && continue
    if { tr '\0' '\n' <"$env_file"; } 2>/dev/null | grep -qF "$dir"; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
}

smoke_cleanup() {
  local pid
  if [[ -n "$MCPPROXY_PID" ]] && kill -0 "$MCPPROXY_PID" 2>/dev/null; then
    kill -TERM "$MCPPROXY_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$MCPPROXY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$MCPPROXY_PID" 2>/dev/null || true
  fi
  for pid in "${SMOKE_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  kill_leftovers "$WORK"
  if [[ "${SMOKE_KEEP:-0}" == 1 ]]; then
    say "work folder kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap smoke_cleanup EXIT

find_mcpproxy() {
  local candidate
  for candidate in "${MCPPROXY_BIN:-}" "$REPO_ROOT/build/debug/bin/mcpproxy" \
    "$REPO_ROOT/build/release/bin/mcpproxy" "$(command -v mcpproxy || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      MCPPROXY_BIN="$candidate"
      return 0
    fi
  done
  fail "no mcpproxy binary: build it (./scripts/dev run) or set MCPPROXY_BIN"
}
find_mcpproxy

# The upstream of every recipe is the repo's demo server (installed by npm into tests/e2e).
[[ -f "$REPO_ROOT/tests/e2e/node_modules/@modelcontextprotocol/server-everything/dist/index.js" ]] ||
  fail "the demo upstream is missing: run (cd tests/e2e && npm ci)"

# use_daemon NAME: MODE=real when NAME is on PATH (and SMOKE_FAKE is not 1), else MODE=fake with
# tests/fakes first on PATH.
use_daemon() {
  if [[ "${SMOKE_FAKE:-0}" != 1 ]] && command -v "$1" >/dev/null 2>&1; then
    MODE=real
    say "using the real $1 at $(command -v "$1")"
  else
    MODE=fake
    export PATH="$FAKES_DIR:$PATH"
    say "no $1 on PATH (or SMOKE_FAKE=1): using the fake daemon from tests/fakes/"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mcpproxy_cli() {
  "$MCPPROXY_BIN" "$@" --config "$SMOKE_CONFIG" --data-dir "$WORK/data"
}

# smoke_token NAME: creates an agent token (read-only, every server) and prints its secret.
smoke_token() {
  mcpproxy_cli token create --name "$1" -o json 2>/dev/null | jq -r .token
}

# start_mcpproxy: serves $SMOKE_CONFIG from the repo root (the demo upstream's path is relative to
# it) on $LISTEN_PORT, with the management listener on $MANAGEMENT_PORT.
start_mcpproxy() {
  (cd "$REPO_ROOT" && exec "$MCPPROXY_BIN" serve --config "$SMOKE_CONFIG" --data-dir "$WORK/data" \
    --listen "127.0.0.1:$LISTEN_PORT" --management-listen "127.0.0.1:$MANAGEMENT_PORT" \
    --log-level debug) >"$WORK/mcpproxy.log" 2>&1 &
  MCPPROXY_PID=$!
}

# wait_for DESCRIPTION SECONDS COMMAND...: retries COMMAND every 0.2 s.
wait_for() {
  local what="$1" seconds="$2" i
  shift 2
  for ((i = 0; i < seconds * 5; i++)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$MCPPROXY_PID" 2>/dev/null || fail "mcpproxy exited while waiting for $what"
    sleep 0.2
  done
  fail "timed out after ${seconds}s waiting for $what"
}

tunnel_json() { mcpproxy_cli tunnel status -o json 2>/dev/null; }
tunnel_ready() { [[ "$(tunnel_json | jq -r '.tunnels[0].state')" == ready ]]; }
public_url() { tunnel_json | jq -r '.tunnels[0].public_url // empty'; }

# daemon_child PATTERN: the pid of mcpproxy's child whose command line matches PATTERN.
daemon_child() {
  ps --ppid "$MCPPROXY_PID" -o pid=,args= | awk -v p="$1" '$0 ~ p {print $1; exit}'
}

http_status() {  # http_status METHOD URL [curl args...]
  local method="$1" url="$2"
  shift 2
  curl -sS -o /dev/null -w '%{http_code}' -X "$method" "${CURL_EXTRA[@]}" "$@" "$url"
}

INIT_BODY='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"recipe-smoke","version":"1"}}}'
MCP_HEADERS=(-H 'content-type: application/json' -H 'accept: application/json, text/event-stream'
  -H 'mcp-protocol-version: 2025-06-18')

# mcp_post BASE TOKEN SESSION BODY: prints the JSON-RPC answer (from JSON or SSE), headers to $WORK/h.
mcp_post() {
  local base="$1" token="$2" session="$3" body="$4" out
  local args=("${MCP_HEADERS[@]}" -H "authorization: Bearer $token")
  [[ -n "$session" ]] && args+=(-H "mcp-session-id: $session")
  out="$(curl -sS --max-time 15 -D "$WORK/h" "${CURL_EXTRA[@]}" "${args[@]}" -d "$body" "$base/mcp")"
  if grep -qi '^content-type: text/event-stream' "$WORK/h"; then
    printf '%s\n' "$out" | sed -n 's/^data: \{0,1\}//p' | jq -c 'select(.id != null)' | tail -n 1
  else
    printf '%s\n' "$out"
  fi
}

# smoke_checks BASE TOKEN: the checks every recipe shares, through the public URL (or the fake edge).
smoke_checks() {
  local base="$1" token="$2" code session answer name call_with text
  edge_healthy() { [[ "$(http_status GET "$base/healthz")" == 200 ]]; }
  wait_for "/healthz through the tunnel to answer 200 (tunnel and upstreams ready)" 30 edge_healthy
  ok "/healthz through the tunnel -> 200"
  code="$(http_status POST "$base/mcp" "${MCP_HEADERS[@]}" -d "$INIT_BODY")"
  [[ "$code" == 401 ]] || fail "unauthenticated POST /mcp answered $code, expected 401"
  ok "unauthenticated /mcp -> 401"
  code="$(http_status GET "$base/ui/")"
  [[ "$code" == 404 ]] || fail "GET /ui/ through the tunnel answered $code, expected 404"
  code="$(http_status GET "$base/api/v1/status")"
  [[ "$code" == 404 ]] || fail "GET /api/v1/status through the tunnel answered $code, expected 404"
  ok "/ui/ and /api/v1/status -> 404 (the management listener is not tunneled)"

  mcp_post "$base" "$token" "" "$INIT_BODY" | jq -e '.result.serverInfo' >/dev/null ||
    fail "initialize with the token failed"
  session="$(awk 'tolower($1) == "mcp-session-id:" {print $2}' "$WORK/h" | tr -d '\r')"
  [[ -n "$session" ]] || fail "no Mcp-Session-Id in the initialize answer"
  mcp_post "$base" "$token" "$session" '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
  # The catalog can trail readiness by a moment (the upstream's lists are refreshed after connect).
  for _ in $(seq 50); do
    answer="$(mcp_post "$base" "$token" "$session" \
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"retrieve_tools","arguments":{"query":"echo a message"}}}')"
    name="$(jq -r '.result.structuredContent.tools[]? | select(.tool == "echo") | .name' <<<"$answer" | head -n 1)"
    [[ -n "$name" ]] && break
    sleep 0.2
  done
  call_with="$(jq -r '.result.structuredContent.tools[] | select(.tool == "echo") | .call_with' <<<"$answer" | head -n 1)"
  [[ -n "$name" && "$call_with" == call_tool_read ]] || fail "retrieve_tools did not offer echo: $answer"
  ok "retrieve_tools found $name ($call_with)"
  answer="$(mcp_post "$base" "$token" "$session" \
    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"call_tool_read\",\"arguments\":{\"name\":\"$name\",\"args\":{\"message\":\"through the tunnel\"}}}}")"
  text="$(jq -r '.result.content[0].text // empty' <<<"$answer")"
  [[ "$text" == *"through the tunnel"* ]] || fail "call_tool_read answered: $answer"
  ok "call_tool_read answered \"$text\""

  mcpproxy_cli token revoke "$SMOKE_TOKEN_NAME" >/dev/null 2>&1 || fail "token revoke failed"
  revoked_401() {
    [[ "$(http_status POST "$base/mcp" "${MCP_HEADERS[@]}" -H "authorization: Bearer $token" \
      -H "mcp-session-id: $session" -d '{"jsonrpc":"2.0","id":4,"method":"tools/list"}')" == 401 ]]
  }
  wait_for "the revoked token to be refused" 5 revoked_401
  tunnel_ready || fail "the tunnel is not ready after the revocation: $(tunnel_json)"
  ok "token revoked -> 401 while the tunnel stays up ($(tunnel_json | jq -r '.tunnels[0].state'))"
}

# stop_mcpproxy: SIGTERM, then mcpproxy must stop on its own within 10 s with exit code 0.
stop_mcpproxy() {
  local rc=0
  kill -TERM "$MCPPROXY_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$MCPPROXY_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$MCPPROXY_PID" 2>/dev/null && fail "mcpproxy did not stop within 10 s of SIGTERM"
  wait "$MCPPROXY_PID" 2>/dev/null || rc=$?
  MCPPROXY_PID=""
  [[ "$rc" == 0 ]] || fail "mcpproxy exited with code $rc after SIGTERM (139: it crashed while shutting down)"
  ok "mcpproxy stopped cleanly on SIGTERM"
}

smoke_done() {
  say "PASS ($MODE daemon, $(($(date +%s) - SMOKE_STARTED)) s)"
}
