#!/usr/bin/env bash
# Agent-token auth benchmarks (issue 4), printed as one table:
#   1. authenticate() time with 100,000 tokens stored, against 1 token (in process, through the
#      plugin's own store, live view and authenticator: bench_auth_token_lookup);
#   2. revocation-to-401 latency on a running proxy under a continuous call loop, median of 10
#      (the integration test RevocationTest.RevokedTokenIsRefusedWithinOneSecondUnderLoad, repeated);
#   3. tools/call throughput and p50 through mcpproxy (direct mode -> C++ echo server) with
#      token auth + policy + per-token limits on, against no auth (anonymous loopback), using
#      bench_mcp_load; plus "on" with the 100,000-token store. Target: <= 5 % throughput cost.
#      The three proxies take turns, round after round, and each cell reports the median of its
#      rounds: drift in the machine's load hits all three alike.
#
# Usage: bench/auth_bench.sh [--quick] [--no-build] [--tokens N] [--rounds N] [--passes N] [--upstream stdio|http] [--keep]
#   --quick     1 s per throughput cell, 2 passes and 3 revocation rounds (smoke use; noisy)
#   --passes N  alternating throughput rounds per variant (default 5)
#   --upstream  the echo server behind the proxy: stdio (default) or http (Streamable HTTP)
#   --no-build  use the binaries already built
#   --tokens N  tokens in the big store (default 100000)
#   --rounds N  revocation measurements (default 10)
#   --keep      keep the temporary folder (configs and logs)
# Environment: MCPPROXY_BENCH_BUILD_DIR to use that build folder instead of build/release.
# Everything talks over loopback only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=3
WARMUP=0.5
ROUNDS=10
PASSES=5
TOKENS=100000
CONCURRENCY=(1 8)
UPSTREAM=stdio
BUILD=1
KEEP=0

while (($#)); do
    case "$1" in
        --quick) DURATION=1 WARMUP=0.2 ROUNDS=3 PASSES=2 ;;
        --passes) PASSES=${2:?--passes needs a number}; shift ;;
        --no-build) BUILD=0 ;;
        --tokens) TOKENS=${2:?--tokens needs a number}; shift ;;
        --rounds) ROUNDS=${2:?--rounds needs a number}; shift ;;
        --upstream) UPSTREAM=${2:?--upstream needs stdio or http}; shift ;;
        --keep) KEEP=1 ;;
        -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "auth_bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "[auth-bench] $*" >&2; }
command -v jq >/dev/null || { echo "auth_bench.sh: jq is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "auth_bench.sh: curl is required" >&2; exit 1; }

BUILD_DIR=${MCPPROXY_BENCH_BUILD_DIR:-$ROOT/build/release}
BIN="$BUILD_DIR/bin"
CORE_TARGETS=(mcpproxy auth-agent-token bench_auth_token_lookup auth_integration_tests auth_test_upstream)
LOAD_TARGETS=(bench_echo_mcp_http_server bench_echo_mcp_stdio_server bench_mcp_load)
LOAD_PROBLEM=""

if ((BUILD)); then
    if [[ -n "${MCPPROXY_BENCH_BUILD_DIR:-}" ]]; then
        [[ -f "$BUILD_DIR/CMakeCache.txt" ]] ||
            cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
    else
        (cd "$ROOT" && cmake --preset release >&2)
    fi
    say "building ${CORE_TARGETS[*]}"
    cmake --build "$BUILD_DIR" --target "${CORE_TARGETS[@]}" >&2
    say "building ${LOAD_TARGETS[*]}"
    cmake --build "$BUILD_DIR" --target "${LOAD_TARGETS[@]}" >&2 || LOAD_PROBLEM="the load generator did not build"
fi
for t in mcpproxy bench_auth_token_lookup auth_integration_tests; do
    [[ -x "$BIN/$t" ]] || { echo "auth_bench.sh: $BIN/$t is missing (build it, or drop --no-build)" >&2; exit 1; }
done
for t in "${LOAD_TARGETS[@]}"; do
    [[ -z "$LOAD_PROBLEM" && ! -x "$BIN/$t" ]] && LOAD_PROBLEM="$BIN/$t is missing"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcpproxy-auth-bench.XXXXXX")
declare -a PIDS=()
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if ((KEEP)); then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a ROWS=()

# ---------------------------------------------------------------- 1. lookup with many tokens
say "token lookup: $TOKENS tokens"
BIG_STORE="$WORK/big-store"
LOOKUP=$("$BIN/bench_auth_token_lookup" --tokens "$TOKENS" --data-dir "$BIG_STORE" --format json)
BIG_TOKEN=$(jq -r '.sample_token' <<<"$LOOKUP")
while IFS=$'\t' read -r what p1 pn p99; do
    ROWS+=("authenticate(), $what|$(awk -v a="$p1" -v b="$pn" -v c="$p99" -v n="$TOKENS" \
        'BEGIN { printf "p50 %.2f us @1 token, %.2f us @%d tokens (p99 %.2f us)", a / 1000, b / 1000, n, c / 1000 }')")
done < <(jq -r '.rows[] | [.what, .p50_ns_1, .p50_ns_n, .p99_ns_n] | @tsv' <<<"$LOOKUP")
ROWS+=("store of $TOKENS tokens|insert $(jq -r '.insert_ms | floor' <<<"$LOOKUP") ms (one transaction), load into view $(jq -r '.load_ms | floor' <<<"$LOOKUP") ms")

# ---------------------------------------------------------------- 2. revocation-to-401
say "revocation-to-401: $ROUNDS rounds"
REVOKE_OUT=$(MCPPROXY_BIN="$BIN/mcpproxy" "$BIN/auth_integration_tests" \
    --gtest_filter=RevocationTest.RevokedTokenIsRefusedWithinOneSecondUnderLoad \
    --gtest_repeat="$ROUNDS" 2>&1) || say "the revocation test failed in some round (see below)"
mapfile -t LATENCIES < <(grep -o 'revocation_to_401_ms=[0-9.]*' <<<"$REVOKE_OUT" | cut -d= -f2 | sort -g)
if ((${#LATENCIES[@]} == 0)); then
    ROWS+=("revocation -> first 401|n/a: $(grep -m1 -E 'Failure|error' <<<"$REVOKE_OUT" | cut -c1-100)")
else
    n=${#LATENCIES[@]}
    median=$(printf '%s\n' "${LATENCIES[@]}" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    ROWS+=("revocation -> first 401 (n=$n)|median $(printf '%.0f' "$median") ms, min $(printf '%.0f' "${LATENCIES[0]}") ms, max $(printf '%.0f' "${LATENCIES[n - 1]}") ms")
fi

# ---------------------------------------------------------------- 3. throughput, auth on vs off
ECHO_PORT=""
UPSTREAM_JSON=""
start_echo() {
    if [[ "$UPSTREAM" == stdio ]]; then
        UPSTREAM_JSON=$(jq -nc --arg cmd "$BIN/bench_echo_mcp_stdio_server" '{name: "echo", command: $cmd}')
        return 0
    fi
    setsid "$BIN/bench_echo_mcp_http_server" 0 >"$WORK/echo.out" 2>"$WORK/echo.log" </dev/null &
    PIDS+=($!)
    for _ in $(seq 100); do
        ECHO_PORT=$(awk '/^LISTENING/ { print $2 }' "$WORK/echo.out")
        if [[ -n "$ECHO_PORT" ]]; then
            UPSTREAM_JSON=$(jq -nc --arg url "http://127.0.0.1:$ECHO_PORT/mcp" '{name: "echo", url: $url}')
            return 0
        fi
        sleep 0.05
    done
    LOAD_PROBLEM="the HTTP echo server did not start"
}

# start_proxy NAME DATA_DIR WITH_AUTH: sets PROXY_PID and PROXY_URL (empty on failure).
start_proxy() {
    local name=$1 data=$2 auth=$3 dir="$WORK/$1" address="" status=""
    mkdir -p "$dir" "$data"
    chmod 700 "$data"
    jq -n --arg data "$data" --argjson upstream "$UPSTREAM_JSON" --argjson auth "$auth" \
        '{listen: "127.0.0.1:0", data_dir: $data, routing_mode: "direct", log_level: "warn",
          mcpServers: [$upstream]}
         + (if $auth then {plugins: ["auth-agent-token"]} else {} end)' >"$dir/config.json"
    setsid "$BIN/mcpproxy" serve --config "$dir/config.json" --port-file "$dir/port.json" \
        >"$dir/out.log" 2>&1 </dev/null &
    PROXY_PID=$!
    PIDS+=("$PROXY_PID")
    PROXY_URL=""
    for _ in $(seq 200); do
        kill -0 "$PROXY_PID" 2>/dev/null || break
        [[ -f "$dir/port.json" ]] && address=$(jq -r '.listeners.main // empty' "$dir/port.json" 2>/dev/null)
        if [[ -n "$address" ]]; then
            status=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' "http://$address/readyz" || true)
            [[ "$status" == 200 ]] && { PROXY_URL="http://$address/mcp"; return 0; }
        fi
        sleep 0.1
    done
    say "$name did not become ready: $(tail -n 1 "$dir/out.log")"
}

load() {  # load URL CONNECTIONS [header]
    local args=(--url "$1" -c "$2" -d "$DURATION" --warmup "$WARMUP" --tool echo__echo
        --args '{"text":"hello"}' --format json)
    [[ -n "${3:-}" ]] && args+=(-H "$3")
    "$BIN/bench_mcp_load" "${args[@]}" || true
}

# CPU time (user + system) the process has used so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

declare -A RPS=() P50=() ERR=() CPU=()
measure_variant() {  # measure_variant LABEL PROXY_PID URL [header]
    local label=$1 pid=$2 url=$3 header=${4:-} c out before after
    for c in "${CONCURRENCY[@]}"; do
        say "$label: $c session(s), ${DURATION}s"
        before=$(cpu_ticks "$pid")
        out=$(load "$url" "$c" "$header")
        after=$(cpu_ticks "$pid")
        if [[ "$(jq -r '.ok // 0' <<<"$out" 2>/dev/null)" =~ ^(0|)$ ]]; then
            RPS["$label|$c"]="n/a"
            P50["$label|$c"]="$(jq -r '.first_error // empty' <<<"$out" 2>/dev/null | cut -c1-60)"
            continue
        fi
        RPS["$label|$c"]=$(jq -r '.rps' <<<"$out")
        P50["$label|$c"]=$(jq -r '.p50_us' <<<"$out")
        ERR["$label|$c"]=$(jq -r '.errors' <<<"$out")
        # The proxy's CPU per request is steadier than req/s on a busy machine. Warm-up requests
        # ran at about the measured rate, so they are counted at that rate.
        CPU["$label|$c"]=$(awk -v t=$((after - before)) -v hz="$TICKS_PER_SECOND" \
            -v rps="${RPS["$label|$c"]}" -v d="$DURATION" -v w="$WARMUP" \
            'BEGIN { n = rps * (d + w); if (n > 0) printf "%.1f", t / hz / n * 1e6; else print "n/a" }')
    done
}

VARIANTS=()
if [[ -z "$LOAD_PROBLEM" ]]; then start_echo; fi
if [[ -z "$LOAD_PROBLEM" ]]; then
    # Off: no auth bridge, anonymous on loopback (policy allows everything, limits unset).
    start_proxy off "$WORK/off-data" false
    OFF_PID=$PROXY_PID OFF_URL=$PROXY_URL
    # On: agent token + policy + per-token limits (high enough never to refuse).
    ON_DATA="$WORK/on-data"
    mkdir -p "$ON_DATA" && chmod 700 "$ON_DATA"
    ON_TOKEN=$("$BIN/mcpproxy" token create --name bench-agent --data-dir "$ON_DATA" -o json \
        --requests-per-second 1000000 --burst 1000000 2>/dev/null | jq -r '.token')
    start_proxy on "$ON_DATA" true
    ON_PID=$PROXY_PID ON_URL=$PROXY_URL
    # On, with the big store from step 1.
    start_proxy on-big "$BIG_STORE" true
    BIG_PID=$PROXY_PID BIG_URL=$PROXY_URL
    # The variants take turns so that drift in the machine's load hits all of them alike.
    for ((round = 1; round <= PASSES; round++)); do
        [[ -n "$OFF_URL" ]] && measure_variant "off#$round" "$OFF_PID" "$OFF_URL"
        [[ -n "$ON_URL" ]] && measure_variant "on#$round" "$ON_PID" "$ON_URL" "Authorization: Bearer $ON_TOKEN"
        [[ -n "$BIG_URL" ]] && measure_variant "on-big#$round" "$BIG_PID" "$BIG_URL" "Authorization: Bearer $BIG_TOKEN"
    done
    for pid in "$OFF_PID" "$ON_PID" "$BIG_PID"; do stop_pid "$pid"; done
fi

# Median of the rounds of a variant for one concurrency; "n/a" if any round failed.
median_of() {  # median_of VARIANT C MAP
    local variant=$1 c=$2 round v
    local -n values=$3
    local -a seen=()
    for ((round = 1; round <= PASSES; round++)); do
        v=${values["${variant}#$round|$c"]:-}
        [[ -z "$v" ]] && continue
        [[ "$v" == n/a || ! "$v" =~ ^[0-9.]+$ ]] && { echo n/a; return; }
        seen+=("$v")
    done
    ((${#seen[@]} == 0)) && { echo n/a; return; }
    printf '%s\n' "${seen[@]}" | sort -g |
        awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- the table
printf '\nAgent-token auth benchmark  (%s CPUs; load average before %s, after %s)\n\n' "$(nproc)" \
    "$LOAD_BEFORE" "$LOAD_AFTER"
printf '%-52s %s\n' measurement result
for row in "${ROWS[@]}"; do
    IFS='|' read -r what result <<<"$row"
    printf '%-52s %s\n' "$what" "$result"
done
echo
if [[ -n "$LOAD_PROBLEM" ]]; then
    echo "throughput with auth on vs off: skipped ($LOAD_PROBLEM)"
else
    printf 'tools/call through mcpproxy (direct mode -> %s echo server), %s s per cell, median of %s alternating rounds\n' \
        "$UPSTREAM" "$DURATION" "$PASSES"
    printf '%-44s %5s %10s %9s %12s %9s %12s   %s\n' variant sess "req/s" "p50 us" "vs off" \
        "CPU us" "CPU vs off" "req/s per round"
    for c in "${CONCURRENCY[@]}"; do
        off_rps=$(median_of off "$c" RPS)
        off_cpu=$(median_of off "$c" CPU)
        for variant in off on on-big; do
            case $variant in
                off) label="auth off (anonymous loopback)" ;;
                on) label="token auth + policy + limits" ;;
                on-big) label="token auth + policy, $TOKENS tokens stored" ;;
            esac
            rps=$(median_of "$variant" "$c" RPS)
            p50=$(median_of "$variant" "$c" P50)
            if [[ "$rps" == n/a ]]; then
                printf '%-44s %5s %s\n' "$label" "$c" "n/a ${P50["$variant#1|$c"]:-}"
                continue
            fi
            cpu=$(median_of "$variant" "$c" CPU)
            vs="-" cpu_vs="-"
            if [[ "$variant" != off && "$off_rps" != n/a ]]; then
                vs=$(awk -v a="$rps" -v b="$off_rps" 'BEGIN { printf "%+.1f %%", 100 * (a - b) / b }')
            fi
            if [[ "$variant" != off && "$off_cpu" != n/a && "$cpu" != n/a ]]; then
                cpu_vs=$(awk -v a="$cpu" -v b="$off_cpu" 'BEGIN { printf "%+.1f %%", 100 * (a - b) / b }')
            fi
            rounds=$(for ((round = 1; round <= PASSES; round++)); do printf '%s ' "${RPS["$variant#$round|$c"]:-}"; done |
                awk '{ for (i = 1; i <= NF; i++) printf "%s%.0f", (i > 1 ? " / " : ""), $i }')
            printf '%-44s %5s %10.0f %9.1f %12s %9s %12s   %s\n' "$label" "$c" "$rps" "$p50" "$vs" \
                "$cpu" "$cpu_vs" "$rounds"
        done
    done
    echo "CPU us: the proxy's own CPU time (user + system) per request, from /proc/PID/stat"
    echo "target: token auth + policy costs <= 5 % of throughput"
fi
