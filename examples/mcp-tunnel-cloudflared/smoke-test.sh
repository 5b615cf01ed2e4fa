#!/usr/bin/env bash
# Smoke test of this recipe: mcpproxy with tunnel-cloudflared, named tunnel (mcpproxy.json) and
# quick tunnel (mcpproxy-quick.json). With a real `cloudflared` on PATH it uses it: the quick tunnel
# always, the named one when TUNNEL_TOKEN is set (and MCP_HOSTNAME names the hostname you routed to
# http://127.0.0.1:8080). Without one (CI) it runs against tests/fakes/cloudflared.
SMOKE_NAME=cloudflared
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/recipes/lib/smoke.sh"
RECIPE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
use_daemon cloudflared

# run_variant CONFIG: one mcpproxy + cloudflared, every check, then stop.
run_variant() {
  SMOKE_CONFIG="$1"
  local mode base url edge token
  mode="$(jq -r '.plugins[] | objects | select(.name == "tunnel-cloudflared") | .config.mode' "$SMOKE_CONFIG")"
  rm -rf "$WORK/data"
  LISTEN_PORT=$(free_port)
  MANAGEMENT_PORT=$(free_port)
  if [[ "$MODE" == real && "$mode" == named ]]; then
    LISTEN_PORT=8080  # the port your dashboard route points at
    if [[ -n "${MCP_HOSTNAME:-}" ]]; then
      jq --arg h "$MCP_HOSTNAME" '(.plugins[] | objects | select(.name == "tunnel-cloudflared") | .config.hostname) = $h' \
        "$1" >"$WORK/named.json"
      SMOKE_CONFIG="$WORK/named.json"
    fi
  fi
  if [[ "$MODE" == fake ]]; then
    export FAKE_CLOUDFLARED_STATE="$WORK/cloudflared-state.json"
    rm -f "$FAKE_CLOUDFLARED_STATE"
    if [[ "$mode" == named ]]; then
      # A well-formed token (base64 of {"a","t","s"}) and what the dashboard route would say.
      TUNNEL_TOKEN="$(printf '{"a":"0123456789abcdef","t":"%s","s":"c2VjcmV0"}' "$(cat /proc/sys/kernel/random/uuid)" | base64 -w0)"
      export TUNNEL_TOKEN
      export FAKE_CLOUDFLARED_HOSTNAME="$(jq -r '.plugins[1].config.hostname' "$SMOKE_CONFIG")"
      export FAKE_CLOUDFLARED_ORIGIN="http://127.0.0.1:$LISTEN_PORT"
    fi
  fi

  SMOKE_TOKEN_NAME="smoke-$mode"
  token="$(smoke_token "$SMOKE_TOKEN_NAME")"
  [[ "$token" == mcp_agt_* ]] || fail "token create failed"
  start_mcpproxy
  wait_for "cloudflared to start" 20 daemon_child cloudflared
  ok "$mode tunnel: cloudflared is up (pid $(daemon_child cloudflared), a child of mcpproxy)"
  wait_for "the tunnel to be ready" 30 tunnel_ready
  url="$(public_url)"
  if [[ "$mode" == quick ]]; then
    [[ "$url" =~ ^https://[a-z0-9-]+\.trycloudflare\.com$ ]] || fail "quick tunnel URL is $url"
  else
    [[ "$url" == "https://$(jq -r '.plugins[1].config.hostname' "$SMOKE_CONFIG")" ]] || fail "named tunnel URL is $url"
  fi
  ok "public URL discovered: $url"

  if [[ "$MODE" == fake ]]; then
    edge="$(jq -r .edge_port "$FAKE_CLOUDFLARED_STATE")"
    [[ "$(jq -r .url "$FAKE_CLOUDFLARED_STATE")" == "$url" ]] || fail "mcpproxy reports $url, the daemon serves $(jq -r .url "$FAKE_CLOUDFLARED_STATE")"
    base="http://127.0.0.1:$edge"  # the fake edge stands for $url
  else
    base="$url"
    wait_for "$url to answer (DNS)" 60 curl -sS -o /dev/null "$url/healthz"
  fi
  smoke_checks "$base" "$token"
  stop_mcpproxy
}

run_variant "$RECIPE_DIR/mcpproxy-quick.json"
if [[ "$MODE" == fake || -n "${TUNNEL_TOKEN:-}" ]]; then
  run_variant "$RECIPE_DIR/mcpproxy.json"
else
  say "named tunnel skipped: set TUNNEL_TOKEN (and MCP_HOSTNAME) to test it against Cloudflare"
fi
smoke_done
