#!/usr/bin/env bash
# Runs every Google Benchmark program and the openssl|gunzip comparison that docs/benchmarks.md
# records, on an otherwise idle machine. Builds build/ (RelWithDebInfo) first.
# Usage: scripts/run-benchmarks.sh [--repetitions N]   (default 3; medians are reported)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=3
[ "${1:-}" = "--repetitions" ] && reps=$2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build >/dev/null
echo "# $(date -u +%F) $(uname -m), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
for b in build/bench/bench_*; do
  echo "## $(basename "$b")"
  "$b" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true 2>/dev/null |
    grep -E '_median' || true
done
if command -v hyperfine >/dev/null; then
  dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
  build/bench/bench_content --write-fixture "$dir" >/dev/null
  hyperfine -N --warmup 20 --runs 300 --export-markdown "$dir/h.md" \
    "bash -c 'openssl enc -d -aes-256-cbc -md sha256 -k SecretPhrase1234 -in $dir/profile.cfg 2>/dev/null | gunzip > /dev/null'" \
    "build/bench/content_decode_file SecretPhrase1234 $dir/profile.cfg" >/dev/null
  cat "$dir/h.md"
fi
