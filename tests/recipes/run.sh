#!/usr/bin/env bash
# Runs the smoke test of every examples/mcp-tunnel-*/ recipe offline (fake daemons from tests/fakes,
# even when a real one is installed; the four in parallel, each on its own ports and folders), then
# the zero-drop rotation check (bench/rotation.sh --quick). Takes $MCPPROXY_BIN. Each step is
# bounded by $RECIPE_STEP_SECONDS (default 75; CTest gives sanitized builds 240); the whole run
# stays under two minutes on 2 cores. Called by CTest
# (tests/integration/recipes, label "recipes").
set -uo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SMOKE_FAKE=1
STEP_SECONDS="${RECIPE_STEP_SECONDS:-75}"
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/mcpproxy-recipes.XXXXXX")"
trap 'rm -rf "$LOGS"' EXIT
failed=()
started=$(date +%s)
recipes=(cloudflared tailscale ngrok anthropic)
declare -A pids
for recipe in "${recipes[@]}"; do
  timeout --kill-after=5 "$STEP_SECONDS" "$REPO_ROOT/examples/mcp-tunnel-$recipe/smoke-test.sh" >"$LOGS/$recipe.log" 2>&1 &
  pids[$recipe]=$!
done
for recipe in "${recipes[@]}"; do
  wait "${pids[$recipe]}" || failed+=("$recipe")
  cat "$LOGS/$recipe.log"
done
if [[ "${RECIPES_SKIP_ROTATION:-0}" != 1 ]]; then
  timeout --kill-after=5 "$((STEP_SECONDS * 4 / 5))" "$REPO_ROOT/bench/rotation.sh" --quick || failed+=(rotation)
fi
echo "recipes: $(($(date +%s) - started)) s"
if ((${#failed[@]} > 0)); then
  echo "recipes: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "recipes: all passed"
