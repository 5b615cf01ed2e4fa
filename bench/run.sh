#!/usr/bin/env bash
# tools/call throughput and latency at 1, 8 and 32 concurrent MCP sessions, measured in one run:
#   - directly against a C++ Streamable-HTTP echo server,
#   - through mcpproxy (direct and retrieve_tools routing) in front of that server,
#   - through mcpproxy, supergateway and mcp-proxy (npm) in front of a C++ stdio echo server,
#   - through HAProxy (Debian's package) in front of the HTTP echo server, as a byte relay and as
#     an HTTP proxy: a reference for what any proxy hop costs on this machine,
# plus the peak RSS of mcpproxy and of each bridge. Prints one table.
#
# Usage: bench/run.sh [--quick] [--no-build] [--scenarios a,b,...] [--keep]
#   --quick       1 s per measurement instead of 5 (smoke use; figures are noisy)
#   --no-build    use the binaries and node_modules already there
#   --scenarios   run only these (names: direct, haproxy-tcp, haproxy-http, proxy-direct,
#                 proxy-retrieve, proxy-stdio, supergateway, mcp-proxy)
#   --keep        keep the temporary folder (configs and logs) for inspection
# Environment: MCPPROXY_BENCH_BUILD_DIR to build in that folder instead of the release preset's
# build/release (e.g. when a work-in-progress folder must be skipped with -DMCPPROXY_SKIP=...);
# MCPPROXY_BENCH_JOBS for the build's parallelism (default: the number of CPUs);
# MCPPROXY_BENCH_PROXY_THREADS to pass --threads N to mcpproxy (default: its own, one per core).
#
# Everything talks over loopback only. When user namespaces are available the measurements run
# in a private network namespace, so even servers that bind every interface (supergateway has no
# host option) are reachable from nowhere else.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
DURATION=5
WARMUP=0.5
CONCURRENCY=(1 8 32)
ALL_SCENARIOS=(direct haproxy-tcp haproxy-http proxy-direct proxy-retrieve proxy-stdio supergateway mcp-proxy)
SCENARIOS=("${ALL_SCENARIOS[@]}")
BUILD=1
KEEP=0
IN_NETNS=0
ORIGINAL_ARGS=("$@")

while (($#)); do
    case "$1" in
        --quick) DURATION=1 WARMUP=0.2 ;;
        --no-build) BUILD=0 ;;
        --keep) KEEP=1 ;;
        --scenarios) IFS=, read -r -a SCENARIOS <<<"${2:?--scenarios needs a list}"; shift ;;
        --in-netns) IN_NETNS=1 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "[bench] $*" >&2; }
for s in "${SCENARIOS[@]}"; do
    [[ " ${ALL_SCENARIOS[*]} " == *" $s "* ]] || { echo "run.sh: unknown scenario $s" >&2; exit 2; }
done
wants() { [[ " ${SCENARIOS[*]} " == *" $1 "* ]]; }

if [[ -n "${MCPPROXY_BENCH_BUILD_DIR:-}" ]]; then
    BUILD_DIR=$(realpath -m "$MCPPROXY_BENCH_BUILD_DIR")
else
    BUILD_DIR="$ROOT/build/release"
fi
BIN="$BUILD_DIR/bin"
JOBS=${MCPPROXY_BENCH_JOBS:-$(nproc)}
BENCH_TARGETS=(bench_echo_mcp_http_server bench_echo_mcp_stdio_server bench_mcp_load)
MCPPROXY_BUILD_PROBLEM=""
NODE_PROBLEM=""

# ---------------------------------------------------------------- build and install (outside the
# network namespace: npm needs the registry)
build_everything() {
    cd "$ROOT"
    if [[ -n "${MCPPROXY_BENCH_BUILD_DIR:-}" ]]; then
        [[ -f "$BUILD_DIR/CMakeCache.txt" ]] ||
            cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
        build() { cmake --build "$BUILD_DIR" -j "$JOBS" --target "$@" >&2; }
    else
        cmake --preset release >&2
        build() { cmake --build --preset release -j "$JOBS" --target "$@" >&2; }
    fi
    say "building ${BENCH_TARGETS[*]}"
    build "${BENCH_TARGETS[@]}"
    say "building mcpproxy"
    if ! build mcpproxy; then
        MCPPROXY_BUILD_PROBLEM="mcpproxy did not build"
        say "$MCPPROXY_BUILD_PROBLEM; its scenarios will show n/a"
    fi
}

install_node_bridges() {
    local stamp="$BENCH/node_modules/.bench-lock.sha256"
    local want
    want=$(sha256sum "$BENCH/package-lock.json" | cut -d' ' -f1)
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return 0; fi
    say "installing supergateway and mcp-proxy (npm ci in bench/)"
    if (cd "$BENCH" && npm ci --no-audit --no-fund >&2); then
        echo "$want" >"$stamp"
    else
        NODE_PROBLEM="npm ci failed"
    fi
}

# The reference rows need HAProxy; as root on Debian it is installed, else those rows say n/a.
install_haproxy() {
    command -v haproxy >/dev/null && return 0
    [[ $EUID == 0 ]] && command -v apt-get >/dev/null || return 0
    say "installing haproxy (apt-get) for the reference rows"
    apt-get install -y --no-install-recommends haproxy >&2 ||
        { apt-get update >&2 && apt-get install -y --no-install-recommends haproxy >&2; } ||
        say "haproxy did not install; its rows will show n/a"
}

if ((!IN_NETNS)); then
    if ((BUILD)); then
        build_everything
        if wants supergateway || wants mcp-proxy; then install_node_bridges; fi
        if wants haproxy-tcp || wants haproxy-http; then install_haproxy; fi
    fi
    if [[ -z "${MCPPROXY_BENCH_NO_NETNS:-}" ]] && unshare -rn true 2>/dev/null; then
        export MCPPROXY_BENCH_BUILD_PROBLEM="$MCPPROXY_BUILD_PROBLEM" MCPPROXY_BENCH_NODE_PROBLEM="$NODE_PROBLEM"
        exec unshare -rn -- bash "$0" "${ORIGINAL_ARGS[@]}" --no-build --in-netns
    fi
    say "no private network namespace available: servers run in the shared one (loopback addresses only," \
        "except supergateway, which binds every interface)"
else
    MCPPROXY_BUILD_PROBLEM=${MCPPROXY_BENCH_BUILD_PROBLEM:-}
    NODE_PROBLEM=${MCPPROXY_BENCH_NODE_PROBLEM:-}
    ip link set lo up || { echo "run.sh: cannot bring up loopback in the private namespace" >&2; exit 1; }
fi

for tool in "${BENCH_TARGETS[@]}"; do
    [[ -x "$BIN/$tool" ]] || { echo "run.sh: $BIN/$tool is missing (build it, or drop --no-build)" >&2; exit 1; }
done
[[ -z "$MCPPROXY_BUILD_PROBLEM" && ! -x "$BIN/mcpproxy" ]] && MCPPROXY_BUILD_PROBLEM="no mcpproxy binary in $BIN"
command -v jq >/dev/null || { echo "run.sh: jq is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "run.sh: curl is required" >&2; exit 1; }

# ---------------------------------------------------------------- processes
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcpproxy-bench.XXXXXX")
declare -a SERVICES=()

# Process ids of every descendant of $1.
descendants() {
    ps -e -o pid=,ppid= 2>/dev/null | awk -v root="$1" '
        { parent[$1] = $2 }
        END { for (p in parent) for (q = parent[p]; q > 1; q = parent[q]) if (q == root) { print p; break } }'
}

# TERM to the service's process group, KILL after 5 s; then KILL whatever it started in other
# groups and left behind (bridges detach their stdio servers).
stop_service() {
    local pid=$1 left
    left=$(descendants "$pid")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # shellcheck disable=SC2086 # a list of ids
    [[ -n "$left" ]] && kill -KILL $left 2>/dev/null || true
    return 0
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    local pid
    for pid in "${SERVICES[@]}"; do stop_service "$pid"; done
    SERVICES=()
    if ((KEEP)); then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a command in its own session (so its whole process group can be stopped) and sets
# STARTED_PID. Output goes to $WORK/<name>.log.
start_service() {
    local name=$1
    shift
    setsid "$@" >"$WORK/$name.out" 2>"$WORK/$name.log" </dev/null &
    STARTED_PID=$!
    SERVICES+=("$STARTED_PID")
}

stop_started() {
    local pid=$1 kept=() p
    stop_service "$pid"
    for p in "${SERVICES[@]}"; do [[ "$p" != "$pid" ]] && kept+=("$p"); done
    SERVICES=("${kept[@]}")
}

# A port no one listens on, below the ephemeral range so no outgoing connection holds it either.
free_port() {
    local low port
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    while :; do
        port=$((10000 + RANDOM % (low - 10000)))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

# "N process(es), X MB": every descendant of the target (stdio servers and any shell in between),
# sampled while the load runs.
children_snapshot() {
    local pids
    pids=$(descendants "$1" | paste -sd, -)
    [[ -z "$pids" ]] && { echo "0 process(es), 0 MB RSS"; return; }
    ps -o rss= -p "$pids" | awk '{ n++; kb += $1 } END { printf "%d process(es), %d MB RSS", n, kb / 1024 }'
}

peak_rss_mb() {
    awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}

# The first error a log mentions, else its last line.
log_problem() {
    local line
    line=$(grep -m1 -E 'Error|error' "$1" 2>/dev/null | cut -c1-160)
    echo "${line:-$(last_log_line "$1")}"
}

last_log_line() {
    grep -v '^\s*$' "$1" 2>/dev/null | tail -n 1 | cut -c1-160
}

# ---------------------------------------------------------------- targets
# Each start_* function sets TARGET_URL, TARGET_PID (the process whose memory is reported, or
# empty), TOOL, ARGS, or sets TARGET_PROBLEM when the target could not be started.

HTTP_ECHO_PORT=""
start_http_echo() {
    start_service http-echo "$BIN/bench_echo_mcp_http_server" 0
    for _ in $(seq 100); do
        HTTP_ECHO_PORT=$(awk '/^LISTENING/ { print $2 }' "$WORK/http-echo.out")
        [[ -n "$HTTP_ECHO_PORT" ]] && return 0
        sleep 0.05
    done
    echo "run.sh: the HTTP echo server did not start: $(last_log_line "$WORK/http-echo.log")" >&2
    exit 1
}

# Probes the target with one call until it answers or the time runs out. Sets PROBE_ERROR.
probe() {
    local deadline=$((SECONDS + $1)) out
    PROBE_ERROR=""
    while :; do
        out=$("$BIN/bench_mcp_load" --url "$TARGET_URL" -c 1 -n 1 -d 10 --warmup 0 --timeout 5 \
            --tool "$TOOL" --args "$ARGS" --format json 2>&1) || true
        if [[ "$(jq -r '.ok // 0' <<<"$out" 2>/dev/null)" == 1 ]]; then return 0; fi
        PROBE_ERROR=$(jq -r '.first_error // empty' <<<"$out" 2>/dev/null || echo "$out")
        [[ -n "$TARGET_PID" ]] && ! kill -0 "$TARGET_PID" 2>/dev/null && PROBE_ERROR="process exited"
        ((SECONDS >= deadline)) && return 1
        [[ "$PROBE_ERROR" == "process exited" ]] && return 1
        sleep 0.2
    done
}

# mcpproxy with one upstream; $1 routing mode, $2 the upstream's JSON.
start_mcpproxy() {
    local name=$1 mode=$2 upstream=$3 dir="$WORK/$1"
    mkdir -p "$dir/data"
    jq -n --arg mode "$mode" --arg data "$dir/data" --argjson upstream "$upstream" \
        '{listen: "127.0.0.1:0", data_dir: $data, routing_mode: $mode, mcpServers: [$upstream]}' \
        >"$dir/config.json"
    local extra=()
    [[ -n "${MCPPROXY_BENCH_PROXY_THREADS:-}" ]] && extra=(--threads "$MCPPROXY_BENCH_PROXY_THREADS")
    start_service "$name" "$BIN/mcpproxy" serve --config "$dir/config.json" --port-file "$dir/port.json" "${extra[@]}"
    TARGET_PID=$STARTED_PID
    local address="" status=""
    for _ in $(seq 200); do
        kill -0 "$TARGET_PID" 2>/dev/null || break
        [[ -f "$dir/port.json" ]] && address=$(jq -r '.listeners.main // empty' "$dir/port.json" 2>/dev/null)
        if [[ -n "$address" ]]; then
            status=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' "http://$address/healthz" || true)
            [[ "$status" == 200 ]] && break
        fi
        sleep 0.1
    done
    if [[ "$status" != 200 ]]; then
        TARGET_PROBLEM="mcpproxy not healthy: $(last_log_line "$WORK/$name.log")"
        return 0
    fi
    TARGET_URL="http://$address/mcp"
}

# Why mcpproxy could not call its upstream, from its log.
upstream_failure() {
    local log=$1 server=$2 line
    line=$(grep -i "$server" "$log" | grep -iE 'fail|error|not available|unavailable' | tail -n 1 |
        sed 's/^[^]]*\] //' | cut -c1-160)
    echo "${line:-$PROBE_ERROR}"
}

# ---------------------------------------------------------------- measurement
declare -A DIRECT_RPS=() DIRECT_P50=() RESULT=() CHILD_NOTES=()
declare -a ROWS=()
MCPPROXY_RSS_MAX=0

add_na_row() {
    ROWS+=("$1|n/a (${2//|//})")
}

measure() {
    local label=$1 c out rps p50 p99 errors rss
    for c in "${CONCURRENCY[@]}"; do
        say "$label: $c session(s), ${DURATION}s"
        "$BIN/bench_mcp_load" --url "$TARGET_URL" -c "$c" -d "$DURATION" --warmup "$WARMUP" \
            --tool "$TOOL" --args "$ARGS" --format json >"$WORK/load.json" &
        local load_pid=$!
        if [[ -n "$TARGET_PID" ]]; then
            sleep "$(awk -v d="$DURATION" 'BEGIN { print d / 2 }')"
            CHILD_NOTES["$label|$c"]=$(children_snapshot "$TARGET_PID")
        fi
        wait "$load_pid" || true
        out=$(cat "$WORK/load.json")
        rps=$(jq -r '.rps' <<<"$out")
        p50=$(jq -r '.p50_us' <<<"$out")
        p99=$(jq -r '.p99_us' <<<"$out")
        errors=$(jq -r '.errors' <<<"$out")
        rss="-"
        [[ -n "$TARGET_PID" ]] && rss=$(peak_rss_mb "$TARGET_PID")
        if [[ "$(jq -r '.ok // 0' <<<"$out" 2>/dev/null)" =~ ^(0|)$ ]]; then
            add_na_row "$label|$c" "no call succeeded: $( (jq -r '.first_error' <<<"$out" 2>/dev/null || echo "$out") | cut -c1-100)"
            continue
        fi
        if [[ "$label" == "direct HTTP echo" ]]; then
            DIRECT_RPS[$c]=$rps
            DIRECT_P50[$c]=$p50
        fi
        RESULT["$label|$c"]="$rps $p50"
        ROWS+=("$label|$c|$rps|$p50|$p99|$errors|$rss")
    done
}

run_target() {
    local label=$1
    if [[ -n "$TARGET_PROBLEM" ]]; then
        add_na_row "$label|all" "$TARGET_PROBLEM"
        return
    fi
    measure "$label"
}

reset_target() { TARGET_URL="" TARGET_PID="" TARGET_PROBLEM="" TOOL="echo" ARGS='{"text":"hello"}'; }

scenario_direct() {
    reset_target
    TARGET_URL="http://127.0.0.1:$HTTP_ECHO_PORT/mcp"
    probe 10 || TARGET_PROBLEM="echo server: $PROBE_ERROR"
    run_target "direct HTTP echo"
}

scenario_proxy_http() {
    local mode=$1 label=$2
    reset_target
    if [[ -n "$MCPPROXY_BUILD_PROBLEM" ]]; then TARGET_PROBLEM=$MCPPROXY_BUILD_PROBLEM; run_target "$label"; return; fi
    start_mcpproxy "proxy-$mode-http" "$mode" "{\"name\":\"echohttp\",\"url\":\"http://127.0.0.1:$HTTP_ECHO_PORT/mcp\"}"
    if [[ "$mode" == direct ]]; then
        TOOL="echohttp__echo"
    else
        TOOL="call_tool_read" ARGS='{"name":"echohttp:echo","args":{"text":"hello"}}'
    fi
    if [[ -z "$TARGET_PROBLEM" ]] && ! probe 10; then
        TARGET_PROBLEM="upstream failed: $(upstream_failure "$WORK/proxy-$mode-http.log" echohttp)"
    fi
    run_target "$label"
    if [[ -n "$TARGET_PID" ]]; then
        note_proxy_rss "$TARGET_PID"
        stop_started "$TARGET_PID"
    fi
}

scenario_proxy_stdio() {
    local label="mcpproxy direct -> stdio echo"
    reset_target
    if [[ -n "$MCPPROXY_BUILD_PROBLEM" ]]; then TARGET_PROBLEM=$MCPPROXY_BUILD_PROBLEM; run_target "$label"; return; fi
    start_mcpproxy proxy-stdio direct "{\"name\":\"echostdio\",\"command\":\"$BIN/bench_echo_mcp_stdio_server\"}"
    TOOL="echostdio__echo"
    if [[ -z "$TARGET_PROBLEM" ]] && ! probe 10; then
        TARGET_PROBLEM="upstream failed: $(upstream_failure "$WORK/proxy-stdio.log" echostdio)"
    fi
    run_target "$label"
    if [[ -n "$TARGET_PID" ]]; then
        note_proxy_rss "$TARGET_PID"
        stop_started "$TARGET_PID"
    fi
}

note_proxy_rss() {
    local rss
    rss=$(peak_rss_mb "$1")
    [[ "$rss" != "?" ]] && MCPPROXY_RSS_MAX=$(awk -v a="$MCPPROXY_RSS_MAX" -v b="$rss" 'BEGIN { print (b > a ? b : a) }')
    return 0
}

# HAProxy in front of the HTTP echo server; $1 its mode: tcp (a byte relay, no HTTP parsing) or
# http (parses both sides, keeps server connections alive and shares them). One thread per CPU,
# as mcpproxy. What it adds over the direct path is the floor of any proxy hop on this machine.
scenario_haproxy() {
    local mode=$1 label="haproxy ($1) -> HTTP echo" port dir="$WORK/haproxy-$1" reuse=""
    reset_target
    if ! command -v haproxy >/dev/null; then
        TARGET_PROBLEM="haproxy not installed (apt-get install haproxy)"
        run_target "$label"
        return
    fi
    mkdir -p "$dir"
    port=$(free_port)
    [[ "$mode" == http ]] && reuse="http-reuse always"
    cat >"$dir/haproxy.cfg" <<CONFIG
global
    nbthread $(nproc)
defaults
    mode $mode
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend bench
    bind 127.0.0.1:$port
    default_backend echo
backend echo
    $reuse
    server echo 127.0.0.1:$HTTP_ECHO_PORT
CONFIG
    start_service "haproxy-$mode" haproxy -db -f "$dir/haproxy.cfg"
    TARGET_PID=$STARTED_PID
    TARGET_URL="http://127.0.0.1:$port/mcp"
    probe 10 || TARGET_PROBLEM="haproxy did not answer: $PROBE_ERROR: $(log_problem "$WORK/haproxy-$mode.log")"
    run_target "$label"
    stop_started "$TARGET_PID"
}

# A Node bridge in front of the stdio echo server; $2 the bridge's command line ({PORT} replaced).
scenario_bridge() {
    local name=$1 label="$1 -> stdio echo" port attempt
    shift
    reset_target
    if [[ -n "$NODE_PROBLEM" ]] || [[ ! -x "$BENCH/node_modules/.bin/$name" ]]; then
        TARGET_PROBLEM=${NODE_PROBLEM:-"bench/node_modules/.bin/$name missing (npm ci in bench/)"}
        run_target "$label"
        return
    fi
    for attempt in 1 2 3; do
        port=$(free_port)
        start_service "$name" "${@//\{PORT\}/$port}"
        TARGET_PID=$STARTED_PID
        TARGET_URL="http://127.0.0.1:$port/mcp"
        probe 30 && break
        TARGET_PROBLEM="$name did not answer: $PROBE_ERROR: $(log_problem "$WORK/$name.log")"
        say "$TARGET_PROBLEM (attempt $attempt)"
        stop_started "$TARGET_PID"
        TARGET_PID=""
    done
    [[ -n "$TARGET_PID" ]] && TARGET_PROBLEM=""
    run_target "$label"
    [[ -n "$TARGET_PID" ]] || return 0
    stop_started "$TARGET_PID"
}

# ---------------------------------------------------------------- the run
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average before: $LOAD_BEFORE ($(nproc) CPUs); ${DURATION}s per measurement"
start_http_echo

wants direct && scenario_direct
wants haproxy-tcp && scenario_haproxy tcp
wants haproxy-http && scenario_haproxy http
wants proxy-direct && scenario_proxy_http direct "mcpproxy direct -> HTTP echo"
wants proxy-retrieve && scenario_proxy_http retrieve_tools "mcpproxy retrieve_tools -> HTTP echo"
wants proxy-stdio && scenario_proxy_stdio
wants supergateway && scenario_bridge supergateway "$BENCH/node_modules/.bin/supergateway" \
    --stdio "$BIN/bench_echo_mcp_stdio_server" --outputTransport streamableHttp --stateful \
    --port "{PORT}" --logLevel none
wants mcp-proxy && scenario_bridge mcp-proxy "$BENCH/node_modules/.bin/mcp-proxy" \
    --host 127.0.0.1 --port "{PORT}" --server stream -- "$BIN/bench_echo_mcp_stdio_server"

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- the table
printf '\nMCP tools/call benchmark  (%s s per cell, %s s warm-up; %s CPUs; load average before %s, after %s)\n' \
    "$DURATION" "$WARMUP" "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER"
printf '%-38s %5s %10s %9s %9s %7s %9s %9s %9s\n' scenario sess "req/s" "p50 us" "p99 us" errors \
    "% direct" "+p50 us" "RSS MB"
for row in "${ROWS[@]}"; do
    IFS='|' read -r label c rps p50 p99 errors rss <<<"$row"
    if [[ "$rps" == n/a* ]]; then
        printf '%-38s %5s %s\n' "$label" "$c" "$rps"
        continue
    fi
    ratio="-" added="-"
    if [[ -n "${DIRECT_RPS[$c]:-}" && "$label" != "direct HTTP echo" ]]; then
        ratio=$(awk -v a="$rps" -v b="${DIRECT_RPS[$c]}" 'BEGIN { printf "%.0f %%", 100 * a / b }')
        added=$(awk -v a="$p50" -v b="${DIRECT_P50[$c]}" 'BEGIN { printf "%+.1f", a - b }')
    fi
    printf '%-38s %5s %10.0f %9.1f %9.1f %7s %9s %9s %9s\n' "$label" "$c" "$rps" "$p50" "$p99" "$errors" \
        "$ratio" "$added" "$rss"
done

# Against the targets of issue 3, where the cells exist.
cell() { awk '{ print $'"$2"' }' <<<"${RESULT[$1]:-}"; }
echo
echo "Targets (issue 3):"
for mode in direct retrieve_tools; do
    label="mcpproxy $mode -> HTTP echo"
    if [[ -n "${RESULT[$label|32]:-}" && -n "${DIRECT_RPS[32]:-}" ]]; then
        awk -v a="$(cell "$label|32" 1)" -v b="${DIRECT_RPS[32]}" -v m="mcpproxy $mode mode" \
            'BEGIN { printf "  %-29s throughput at 32 sessions: %.0f %% of direct (target >= 70 %%)\n", m, 100 * a / b }'
    fi
    if [[ -n "${RESULT[$label|1]:-}" && -n "${DIRECT_P50[1]:-}" ]]; then
        awk -v a="$(cell "$label|1" 2)" -v b="${DIRECT_P50[1]}" -v m="mcpproxy $mode mode" \
            'BEGIN { printf "  %-29s added p50 at 1 session: %.1f us (target <= 30 us)\n", m, a - b }'
    fi
done
for mode in tcp http; do
    label="haproxy ($mode) -> HTTP echo"
    [[ -n "${RESULT[$label|1]:-}" && -n "${RESULT[$label|32]:-}" && -n "${DIRECT_RPS[32]:-}" ]] || continue
    awk -v a1="$(cell "$label|1" 2)" -v b1="${DIRECT_P50[1]}" -v a32="$(cell "$label|32" 1)" \
        -v b32="${DIRECT_RPS[32]}" -v m="$mode" \
        'BEGIN { printf "  reference, haproxy (%s): adds %.1f us p50 at 1 session; %.0f %% of direct at 32 sessions\n", m, a1 - b1, 100 * a32 / b32 }'
done
stdio="mcpproxy direct -> stdio echo"
if [[ -n "${RESULT[$stdio|32]:-}" ]]; then
    for bridge in supergateway mcp-proxy; do
        [[ -n "${RESULT[$bridge -> stdio echo|32]:-}" ]] || continue
        awk -v a="$(cell "$stdio|32" 1)" -v b="$(cell "$bridge -> stdio echo|32" 1)" -v n="$bridge" \
            'BEGIN { printf "  stdio: mcpproxy vs %-12s at 32 sessions: %.1fx the throughput (target >= 10x)\n", n, a / b }'
    done
fi
if [[ -n "${RESULT[$stdio|1]:-}" ]]; then
    awk -v a="$(cell "$stdio|1" 2)" 'BEGIN { printf "  stdio: mcpproxy p50 at 1 session: %.0f us (target <= 150 us)\n", a }'
fi
[[ "$MCPPROXY_RSS_MAX" != 0 ]] && echo "  mcpproxy peak RSS over its scenarios: $MCPPROXY_RSS_MAX MB (target <= 30 MB)"
echo
echo "Processes started by each front (sampled mid-run; not in its RSS column):"
for label in "mcpproxy direct -> stdio echo" "supergateway -> stdio echo" "mcp-proxy -> stdio echo"; do
    for c in "${CONCURRENCY[@]}"; do
        [[ -n "${CHILD_NOTES[$label|$c]:-}" ]] && printf '  %-32s %2s sessions: %s\n' "$label" "$c" "${CHILD_NOTES[$label|$c]}"
    done
done
exit 0
