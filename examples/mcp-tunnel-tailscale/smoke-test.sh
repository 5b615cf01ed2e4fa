#!/usr/bin/env bash
# Smoke test of this recipe: mcpproxy with tunnel-tailscale, Funnel (mcpproxy.json) and Serve
# (mcpproxy-serve.json). With a real `tailscale` on PATH it uses the running, logged-in tailscaled
# (Funnel must be allowed for this node in the tailnet policy); without one (CI) it starts
# tests/fakes/tailscaled and uses tests/fakes/tailscale.
SMOKE_NAME=tailscale
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/recipes/lib/smoke.sh"
RECIPE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
use_daemon tailscale

TS_DIR="$WORK/tailscaled"
if [[ "$MODE" == fake ]]; then
  export FAKE_TAILSCALE_DIR="$TS_DIR"
  mkdir -p "$TS_DIR"
  node "$FAKES_DIR/tailscaled" >"$WORK/tailscaled.log" 2>&1 &
  SMOKE_PIDS+=($!)
  for _ in $(seq 50); do [[ -S "$TS_DIR/tailscaled.sock" ]] && break; sleep 0.1; done
fi
backend_running() { [[ "$(tailscale status --json | jq -r .BackendState)" == Running ]]; }
for _ in $(seq 25); do backend_running && break; sleep 0.2; done
backend_running || fail "tailscaled is not running and logged in (tailscale status: $(tailscale status 2>&1 | head -n 1))"
ok "tailscaled is up: $(tailscale status --json | jq -r .Self.DNSName)"

run_variant() {
  local mode url base key edge token
  mode="$(jq -r '.plugins[1].config.mode' "$1")"
  SMOKE_CONFIG="$1"
  if [[ "$MODE" == fake ]]; then
    jq --arg s "$TS_DIR/tailscaled.sock" '.plugins[1].config.socket = $s' "$1" >"$WORK/$mode.json"
    SMOKE_CONFIG="$WORK/$mode.json"
  fi
  rm -rf "$WORK/data"
  LISTEN_PORT=$(free_port)
  MANAGEMENT_PORT=$(free_port)
  SMOKE_TOKEN_NAME="smoke-$mode"
  token="$(smoke_token "$SMOKE_TOKEN_NAME")"
  [[ "$token" == mcp_agt_* ]] || fail "token create failed"
  start_mcpproxy
  wait_for "the tunnel to be ready" 30 tunnel_ready
  url="$(public_url)"
  [[ "$url" =~ ^https://[a-z0-9.-]+\.ts\.net$ ]] || fail "$mode: public URL is $url"
  ok "$mode: public URL discovered: $url"
  tailscale "$mode" status --json | jq -e --arg p "http://127.0.0.1:$LISTEN_PORT" \
    '[.Web[].Handlers[].Proxy] | index($p) != null' >/dev/null ||
    fail "tailscale $mode status does not proxy to mcpproxy: $(tailscale "$mode" status --json)"
  ok "$mode: tailscale $mode status proxies ${url#https://}:443 to 127.0.0.1:$LISTEN_PORT"
  if [[ "$MODE" == fake ]]; then
    key="${url#https://}:443"
    edge="$(jq -r --arg k "$key" '.[$k].port // empty' "$TS_DIR/edges.json")"
    [[ -n "$edge" ]] || fail "the fake tailscaled has no edge for $key: $(cat "$TS_DIR/edges.json")"
    [[ "$(jq -r --arg k "$key" '.[$k].funnel' "$TS_DIR/edges.json")" == "$([[ $mode == funnel ]] && echo true || echo false)" ]] ||
      fail "the $mode edge has the wrong exposure: $(cat "$TS_DIR/edges.json")"
    base="http://127.0.0.1:$edge"
  else
    base="$url"
  fi
  smoke_checks "$base" "$token"
  stop_mcpproxy
  if [[ "$(tailscale "$mode" status --json | jq -r --arg p "http://127.0.0.1:$LISTEN_PORT" '[(.Web // {})[].Handlers[].Proxy] | index($p)')" != null ]]; then
    fail "$mode is still on after mcpproxy stopped"
  fi
  ok "$mode: turned off when mcpproxy stopped"
}

run_variant "$RECIPE_DIR/mcpproxy.json"
run_variant "$RECIPE_DIR/mcpproxy-serve.json"
smoke_done
