#!/usr/bin/env bash
# The one command that builds and runs every test (README "Run every test"; .ci/run calls it):
#   1. installs missing Debian packages (scripts/install-deps.sh),
#   2. builds with gcc into build/ and runs unit + integration tests and the fuzz-corpus replay,
#   3. builds with clang + ASan + UBSan + libFuzzer into build-asan/ and runs the tests again,
#      plus every fuzz target for CWMP_FUZZ_SECONDS (default 15) seconds.
# Options: --skip-deps, --no-asan, --fuzz-seconds N, -j N.
set -euo pipefail
cd "$(dirname "$0")/.."

skip_deps=0; asan=1; fuzz_seconds=${CWMP_FUZZ_SECONDS:-15}; jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-deps) skip_deps=1 ;;
    --no-asan) asan=0 ;;
    --fuzz-seconds) fuzz_seconds=$2; shift ;;
    -j) jobs=$2; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "test-all: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

[ $skip_deps -eq 1 ] || bash scripts/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths relative to the checkout, so clones in other folders (CI) share cached objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
export CTEST_OUTPUT_ON_FAILURE=1
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

section() { printf '\n==== %s ====\n' "$*"; }

section "gcc build (build/)"
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
section "tests (gcc)"
ctest --test-dir build -j "$jobs" --timeout 600

if [ $asan -eq 1 ]; then
  section "clang ASan+UBSan+libFuzzer build (build-asan/)"
  cmake -S . -B build-asan "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCWMP_SANITIZE=ON -DCWMP_FUZZ=ON -DCWMP_BENCH=OFF -DCWMP_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
  cmake --build build-asan -j "$jobs"
  section "tests under ASan+UBSan, and bounded fuzz runs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -j "$jobs" --timeout 900
fi
section "all test stages passed"
