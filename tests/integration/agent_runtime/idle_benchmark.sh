#!/bin/bash
# Idle benchmark: one `cpe-agent run` registered with a local acsd (private PostgreSQL), then
# left alone; prints RSS (and its shared/private split) and the CPU time used over IDLE seconds.
# Usage (from the repository root, after building acsd and cpe-agent):
#   tests/integration/agent_runtime/idle_benchmark.sh [IDLE_SECONDS] [PERIODIC_INTERVAL]
# PERIODIC_INTERVAL 0 (default) turns the periodic Inform off.
# Environment: BIN (default build/bin), PGBIN (default: newest /usr/lib/postgresql/*/bin),
# ACSD_EXTRA (extra acsd serve flags, e.g. "--no-discovery").
set -euo pipefail
IDLE=${1:-60}
PERIODIC=${2:-0}
BIN=$(realpath "${BIN:-build/bin}")
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
WORK=$(mktemp -d /tmp/fleet-bench-XXXXXX)
PGPORT=$(( 20000 + RANDOM % 10000 )); ACSPORT=$(( PGPORT + 1 )); NBIPORT=$(( PGPORT + 2 ))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

chmod 755 "$WORK"; mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
  --no-sync --no-instructions > "$WORK/initdb.log"
as_pg "$PGBIN/postgres" -D "$WORK/pg/data" -p "$PGPORT" -k "$WORK/pg" -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 \
  > "$WORK/pg.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q && break; sleep 0.2; done

"$BIN/acsd" serve --db "postgresql://postgres@127.0.0.1:$PGPORT/postgres" \
  --cwmp-listen "127.0.0.1:$ACSPORT" --nbi-listen "127.0.0.1:$NBIPORT" --cpe-auth none \
  --max-connections 4096 --log-level warn ${ACSD_EXTRA:-} > "$WORK/acsd.log" 2>&1 &
acsd=$!; pids+=($acsd)
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$ACSPORT") 2>/dev/null && break; sleep 0.2; done

if [ "$PERIODIC" = 0 ]; then
  printf '<flat-profile><Periodic_Inform_Enable>No</Periodic_Inform_Enable></flat-profile>\n' > "$WORK/p.xml"
else
  printf '<flat-profile><Periodic_Inform_Interval>%s</Periodic_Inform_Interval></flat-profile>\n' "$PERIODIC" > "$WORK/p.xml"
fi
"$BIN/cpe-agent" run --state "$WORK/phone" --mac 00:56:2B:01:02:03 --serial IDLE0001 \
  --model CP-6841-3PCC --acs "http://127.0.0.1:$ACSPORT/" --cr-listen 127.0.0.1:0 \
  --profile "$WORK/p.xml" > "$WORK/run.out" 2> "$WORK/run.err" &
agent=$!; pids+=($agent)
while ! grep -q "outcome=ok" "$WORK/run.err"; do
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
echo "sessions: $(grep -c 'outcome=ok' "$WORK/run.err")"
kill -TERM "$agent"; wait "$agent" && echo "agent exit 0"
