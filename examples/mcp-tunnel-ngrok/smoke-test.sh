#!/usr/bin/env bash
# Smoke test of this recipe: mcpproxy with tunnel-ngrok (mcpproxy.json). With a real `ngrok` on
# PATH and NGROK_AUTHTOKEN set it uses ngrok's edge; without one (CI) it runs against
# tests/fakes/ngrok.
SMOKE_NAME=ngrok
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/recipes/lib/smoke.sh"
RECIPE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
use_daemon ngrok
if [[ "$MODE" == real && -z "${NGROK_AUTHTOKEN:-}" ]]; then
  fail "set NGROK_AUTHTOKEN (https://dashboard.ngrok.com/get-started/your-authtoken), or SMOKE_FAKE=1"
fi
if [[ "$MODE" == fake ]]; then
  export NGROK_AUTHTOKEN="2fakeAuthtoken_0123456789abcdefghijkl"
  export FAKE_NGROK_DIR="$WORK/ngrok"
fi

SMOKE_CONFIG="$RECIPE_DIR/mcpproxy.json"
LISTEN_PORT=$(free_port)
MANAGEMENT_PORT=$(free_port)
SMOKE_TOKEN_NAME=smoke
token="$(smoke_token "$SMOKE_TOKEN_NAME")"
[[ "$token" == mcp_agt_* ]] || fail "token create failed"
start_mcpproxy
wait_for "ngrok to start" 20 daemon_child ngrok
ok "ngrok is up (pid $(daemon_child ngrok), a child of mcpproxy)"
wait_for "the tunnel to be ready" 30 tunnel_ready
url="$(public_url)"
[[ "$url" =~ ^https://[a-z0-9.-]+$ ]] || fail "public URL is $url"
ok "public URL discovered: $url"
policy="$WORK/data/tunnel-ngrok/traffic-policy.yml"
[[ -f "$policy" ]] && grep -q "Bearer mcp_agt_" "$policy" || fail "no traffic policy checking the bearer at $policy"
[[ "$(ps --ppid "$MCPPROXY_PID" -o args= | grep ngrok)" == *"--traffic-policy-file $policy"* ]] ||
  fail "ngrok does not run with the traffic policy: $(ps --ppid "$MCPPROXY_PID" -o args=)"
ok "ngrok runs with the edge traffic policy ($policy)"
if [[ "$MODE" == fake ]]; then
  [[ "$(jq -r .url "$FAKE_NGROK_DIR/edge.json")" == "$url" ]] || fail "mcpproxy reports $url, ngrok serves $(jq -r .url "$FAKE_NGROK_DIR/edge.json")"
  base="http://127.0.0.1:$(jq -r .port "$FAKE_NGROK_DIR/edge.json")"
else
  base="$url"
fi
smoke_checks "$base" "$token"
stop_mcpproxy
smoke_done
