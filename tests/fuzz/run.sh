#!/usr/bin/env bash
# Builds the libFuzzer targets (the "fuzz" preset, clang) and runs each for the given number of
# seconds (default 20) on its seed corpus in tests/fuzz/corpus/<target>. New inputs go to a work
# corpus under the build folder, not into the repo. Exits non-zero if a target crashes, leaks,
# hangs or fails to build; the crashing input is left in <build>/fuzz-artifacts/.
#   tests/fuzz/run.sh [--build-only | --no-build] [seconds] [target...]
# Environment: FUZZ_BUILD_DIR (default build/fuzz), FUZZ_JOBS (build parallelism, default 2).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"
MODE=all
case "${1:-}" in
  --build-only) MODE=build; shift ;;
  --no-build) MODE=run; shift ;;
esac
SECONDS_EACH="${1:-20}"
shift || true
BUILD_DIR="${FUZZ_BUILD_DIR:-build/fuzz}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$REPO_ROOT}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

say() { printf 'fuzz: %s\n' "$*" >&2; }

command -v clang++-14 >/dev/null || { say "clang++-14 not installed (apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake --preset fuzz -B "$BUILD_DIR" >/dev/null
fi
targets=("$@")
if [[ "$MODE" != run ]]; then
  if ((${#targets[@]} > 0)); then
    cmake --build "$BUILD_DIR" --target "${targets[@]}" -j"${FUZZ_JOBS:-2}"
  else
    cmake --build "$BUILD_DIR" --target fuzzers -j"${FUZZ_JOBS:-2}"
  fi
fi
[[ "$MODE" == build ]] && exit 0
if ((${#targets[@]} == 0)); then
  for t in "$BUILD_DIR"/fuzz/fuzz_*; do targets+=("$(basename "$t")"); done
fi

failed=()
mkdir -p "$BUILD_DIR/fuzz-artifacts"
for target in "${targets[@]}"; do
  name="${target#fuzz_}"
  seeds="tests/fuzz/corpus/$name"
  work="$BUILD_DIR/fuzz-work/$name"
  mkdir -p "$work" "$seeds"
  log="$BUILD_DIR/fuzz-artifacts/$name.log"
  say "$target: ${SECONDS_EACH}s"
  # -timeout: one input taking longer than 10 s is a hang; rss limit keeps a leak from the host.
  if "$BUILD_DIR/fuzz/$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$BUILD_DIR/fuzz-artifacts/$name-" \
      "$work" "$seeds" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|new_units_added)|^#[0-9]+[[:space:]]+DONE' "$log" | tr '\n' ' ' >&2
    echo >&2
  else
    say "$target FAILED; log: $log"
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" >&2 || tail -20 "$log" >&2
    failed+=("$target")
  fi
done
if ((${#failed[@]} > 0)); then
  say "failed: ${failed[*]}"
  exit 1
fi
say "all fuzz targets ran clean"
