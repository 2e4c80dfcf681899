#!/bin/bash
# Idle benchmark: one `cpe-agent run` registered with a local acsd (private PostgreSQL), then
# left alone; prints RSS (and its shared/private split), the RSS per mapped file (smaps_table.sh)
# and the CPU time used over IDLE seconds.
# Usage (from the repository root, after building acsd and cpe-agent):
#   tests/integration/agent_runtime/idle_benchmark.sh [IDLE_SECONDS] [PERIODIC_INTERVAL]
# PERIODIC_INTERVAL 0 (default) turns the periodic Inform off.
# Environment: BIN (default build/bin), PGBIN (default: newest /usr/lib/postgresql/*/bin),
# ACSD_EXTRA (extra acsd serve flags, e.g. "--no-discovery"), PROFILE_EXTRA (more flat-profile
# elements for the phone, e.g. a Profile_Rule so that it resyncs).
set -euo pipefail
IDLE=${1:-60}
PERIODIC=${2:-0}
source "$(dirname "$0")/bench_acs_env.sh"
if [ "$PERIODIC" = 0 ]; then
  printf '<flat-profile><Periodic_Inform_Enable>No</Periodic_Inform_Enable>%s</flat-profile>\n' \
    "${PROFILE_EXTRA:-}" > "$WORK/p.xml"
else
  printf '<flat-profile><Periodic_Inform_Interval>%s</Periodic_Inform_Interval>%s</flat-profile>\n' \
    "$PERIODIC" "${PROFILE_EXTRA:-}" > "$WORK/p.xml"
fi
"$BIN/cpe-agent" run --state "$WORK/phone" --mac 00:56:2B:01:02:03 --serial IDLE0001 \
  --model CP-6841-3PCC --acs "http://127.0.0.1:$ACSPORT/" --cr-listen 127.0.0.1:0 \
  --profile "$WORK/p.xml" > "$WORK/run.out" 2> "$WORK/run.err" &
agent=$!; pids+=($agent)
while ! grep -q "outcome=ok" "$WORK/run.err" 2>/dev/null; do
  if ! kill -0 "$agent" 2>/dev/null; then echo "agent exited"; cat "$WORK/run.err"; exit 1; fi
  sleep 0.5
done
sleep 5  # discovery by the ACS and the like
ticks() { awk '{print $14 + $15}' /proc/$agent/stat; }
t0=$(ticks)
sleep "$IDLE"
t1=$(ticks)
hz=$(getconf CLK_TCK)
echo "idle ${IDLE}s, periodic=${PERIODIC}: cpu=$(echo "scale=3; ($t1 - $t0) / $hz" | bc)s ($(echo "scale=4; 100 * ($t1 - $t0) / $hz / $IDLE" | bc)% of a core)"
grep -E "VmRSS|VmHWM|Threads" /proc/$agent/status
grep -E "^(Rss|Pss|Shared_Clean|Private_Clean|Private_Dirty):" /proc/$agent/smaps_rollup
echo "per mapping (KiB; anonymous mappings grouped as [anon]):"
"$(dirname "$0")/smaps_table.sh" "$agent"
echo "sessions: $(grep -c 'outcome=ok' "$WORK/run.err")"
kill -TERM "$agent"; wait "$agent" && echo "agent exit 0"
