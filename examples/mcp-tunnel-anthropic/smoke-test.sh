#!/usr/bin/env bash
# Smoke test of this recipe: mcpproxy with tunnel-anthropic supervising cloudflared, which forwards
# to Anthropic's mcp-proxy (inner TLS with the operator CA), which routes mcpproxy.<domain> to
# mcpproxy's tunneled listener.
#
# Without a real cloudflared (CI) everything runs locally: tests/fakes/cloudflared plays the tunnel
# edge and tests/fakes/mcp-proxy plays Anthropic's proxy, with the certificates and mcp-proxy.yaml
# written by `mcpproxy tunnel anthropic init`.
#
# With a real cloudflared on PATH it checks your running stack: set TUNNEL_TOKEN,
# ANTHROPIC_TUNNEL_DOMAIN, and optionally ANTHROPIC_CERT_DIR (default /etc/mcpproxy/anthropic) and
# MCP_PROXY_PORT (default 8443); mcp-proxy must be running with that folder's mcp-proxy.yaml and
# mcpproxy's port 8080 free. Only Anthropic's backend can reach the tunnel itself (outer mTLS), so
# the HTTP checks then go to mcp-proxy directly, through the inner TLS, as Anthropic's would.
SMOKE_NAME=anthropic
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/recipes/lib/smoke.sh"
RECIPE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
use_daemon cloudflared

MANAGEMENT_PORT=$(free_port)
if [[ "$MODE" == fake ]]; then
  DOMAIN="t-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n').tunnels.example.com"
  CERT_DIR="$WORK/anthropic"
  LISTEN_PORT=$(free_port)
  PROXY_PORT=$(free_port)
  mcpproxy_init() {
    "$MCPPROXY_BIN" tunnel anthropic init --domain "$DOMAIN" --out "$CERT_DIR" \
      --upstream "http://127.0.0.1:$LISTEN_PORT" --listen-addr "127.0.0.1:$PROXY_PORT" \
      --config "$RECIPE_DIR/mcpproxy.json" --data-dir "$WORK/data"
  }
  mcpproxy_init >"$WORK/init.out" 2>&1 || fail "tunnel anthropic init failed: $(cat "$WORK/init.out")"
  grep -q "created the CA" "$WORK/init.out" || fail "init did not create a CA: $(cat "$WORK/init.out")"
  ok "tunnel anthropic init wrote ca.crt, server.crt/key (0600) and mcp-proxy.yaml"
  node "$FAKES_DIR/mcp-proxy" -config "$CERT_DIR/mcp-proxy.yaml" >"$WORK/mcp-proxy.log" 2>&1 &
  SMOKE_PIDS+=($!)
  TUNNEL_TOKEN="$(printf '{"a":"0123456789abcdef","t":"%s","s":"c2VjcmV0"}' "$(cat /proc/sys/kernel/random/uuid)" | base64 -w0)"
  export TUNNEL_TOKEN
  export FAKE_CLOUDFLARED_STATE="$WORK/cloudflared-state.json"
  export FAKE_CLOUDFLARED_HOSTNAME="mcpproxy.$DOMAIN"
else
  [[ -n "${TUNNEL_TOKEN:-}" && -n "${ANTHROPIC_TUNNEL_DOMAIN:-}" ]] ||
    fail "set TUNNEL_TOKEN and ANTHROPIC_TUNNEL_DOMAIN to test your stack (or SMOKE_FAKE=1)"
  DOMAIN="$ANTHROPIC_TUNNEL_DOMAIN"
  CERT_DIR="${ANTHROPIC_CERT_DIR:-/etc/mcpproxy/anthropic}"
  LISTEN_PORT=8080
  PROXY_PORT="${MCP_PROXY_PORT:-8443}"
fi
jq --arg d "$DOMAIN" --arg c "$CERT_DIR" --arg p "http://127.0.0.1:$PROXY_PORT" \
  '(.plugins[] | objects | select(.name == "tunnel-anthropic") | .config) += {domain: $d, cert_dir: $c, proxy_url: $p}' \
  "$RECIPE_DIR/mcpproxy.json" >"$WORK/mcpproxy.json"
SMOKE_CONFIG="$WORK/mcpproxy.json"

SMOKE_TOKEN_NAME=managed-agent
token="$(smoke_token "$SMOKE_TOKEN_NAME")"
[[ "$token" == mcp_agt_* ]] || fail "token create failed"
start_mcpproxy
wait_for "cloudflared to start" 20 daemon_child cloudflared
ok "cloudflared is up (pid $(daemon_child cloudflared), a child of mcpproxy)"
wait_for "the tunnel to be ready" 30 tunnel_ready
url="$(public_url)"
[[ "$url" == "https://mcpproxy.$DOMAIN" ]] || fail "public URL is $url, expected https://mcpproxy.$DOMAIN"
ok "public URL discovered: $url"

# The inner TLS: mcp-proxy presents a certificate for *.<domain> that chains to the operator CA.
inner=(--resolve "mcpproxy.$DOMAIN:$PROXY_PORT:127.0.0.1" --cacert "$CERT_DIR/ca.crt")
curl -sS -o /dev/null "${inner[@]}" "https://mcpproxy.$DOMAIN:$PROXY_PORT/healthz" || fail "no TLS to mcp-proxy with ca.crt"
inner_healthy() {
  [[ "$(curl -sS -o /dev/null -w '%{http_code}' "${inner[@]}" "https://mcpproxy.$DOMAIN:$PROXY_PORT/healthz")" == 200 ]]
}
wait_for "/healthz through mcp-proxy's TLS to answer 200" 30 inner_healthy
code="$(curl -sS -o /dev/null -w '%{http_code}' "${inner[@]}" -H "Host: other.$DOMAIN" "https://mcpproxy.$DOMAIN:$PROXY_PORT/healthz")"
[[ "$code" == 404 ]] || fail "mcp-proxy routed other.$DOMAIN ($code); only mcpproxy.$DOMAIN has a route"
ok "inner TLS: mcp-proxy's certificate verifies against ca.crt; it routes only mcpproxy.$DOMAIN"

if [[ "$MODE" == fake ]]; then
  base="http://127.0.0.1:$(jq -r .edge_port "$FAKE_CLOUDFLARED_STATE")"  # the fake edge for $url
else
  base="https://mcpproxy.$DOMAIN:$PROXY_PORT"
  CURL_EXTRA=("${inner[@]}")
fi
smoke_checks "$base" "$token"

if [[ "$MODE" == fake ]]; then
  # The path a real run takes (Anthropic's edge cannot be reached from here): straight to
  # mcp-proxy through the inner TLS, with a second token.
  say "again, through mcp-proxy's inner TLS (what a run against your real stack checks)"
  SMOKE_TOKEN_NAME=managed-agent-2
  token="$(smoke_token "$SMOKE_TOKEN_NAME")"
  CURL_EXTRA=("${inner[@]}")
  smoke_checks "https://mcpproxy.$DOMAIN:$PROXY_PORT" "$token"
  CURL_EXTRA=()

  # Renewal (what the timer runs): same CA, new server certificate, mcpproxy keeps running.
  before="$(sha256sum <"$CERT_DIR/server.crt")"
  "$MCPPROXY_BIN" tunnel anthropic init --renew --out "$CERT_DIR" \
    --config "$RECIPE_DIR/mcpproxy.json" --data-dir "$WORK/data" >"$WORK/renew.out" 2>&1 ||
    fail "renewal failed: $(cat "$WORK/renew.out")"
  grep -q "kept the existing CA" "$WORK/renew.out" || fail "renewal replaced the CA: $(cat "$WORK/renew.out")"
  [[ "$(sha256sum <"$CERT_DIR/server.crt")" != "$before" ]] || fail "renewal kept the old server certificate"
  tunnel_ready || fail "the tunnel is not ready after the renewal"
  ok "renewal: CA kept, new server certificate, mcpproxy not restarted"
fi
stop_mcpproxy
smoke_done
