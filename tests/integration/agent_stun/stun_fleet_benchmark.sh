#!/bin/bash
# STUN keep-alive cost in a fleet: `cpe-agent fleet --count N --udp-connection-requests` against
# a local acsd (private PostgreSQL, tests/integration/agent_runtime/bench_acs_env.sh), run twice:
# without STUN, then with `--stun-server` pointing at coturn (`turnserver --stun-only`). Each
# run waits until every phone registered (and, with STUN, learnt its mapping), lets it settle,
# then measures over WINDOW seconds of the idle fleet: CPU time (utime+stime from /proc), user
# instructions (perf stat, when available) and RSS. The difference is the keep-alive's cost;
# the default keep-alive period is 30 s, so WINDOW seconds carry N*WINDOW/30 Binding Requests.
# Usage (from the repository root, after building acsd and cpe-agent):
#   tests/integration/agent_stun/stun_fleet_benchmark.sh [N] [WINDOW_SECONDS] [THREADS]
# Environment: BIN (default build/bin), PGBIN, ACSD_EXTRA (as for fleet_benchmark.sh).
set -euo pipefail
N=${1:-1000}
WINDOW=${2:-120}
THREADS=${3:-8}
source "$(dirname "$0")/../agent_runtime/bench_acs_env.sh"
STUNPORT=$(( ACSPORT + 3 ))
/usr/bin/turnserver -n --stun-only -L 127.0.0.1 -p "$STUNPORT" --no-cli --no-tls --no-dtls --no-tcp \
  --userdb "$WORK/turndb" --pidfile "$WORK/turn.pid" --log-file "$WORK/turn.log" \
  --simple-log --no-stdout-log &
pids+=($!)
printf '<flat-profile><Periodic_Inform_Enable>No</Periodic_Inform_Enable><Resync_On_Reset>No</Resync_On_Reset></flat-profile>\n' > "$WORK/p.xml"
hz=$(getconf CLK_TCK)

measure() {  # $1: label, $2...: extra fleet flags
  local label=$1; shift
  local dir="$WORK/$label"
  mkdir -p "$dir"
  "$BIN/cpe-agent" fleet --count "$N" --acs "http://127.0.0.1:$ACSPORT/" --state "$dir/fleet" \
    --cr-listen 127.0.0.1 --boot-spread 30 --threads "$THREADS" --summary-interval 2 \
    --udp-connection-requests "$@" --profile "$WORK/p.xml" > "$dir/out" 2> "$dir/err" &
  local fleet=$!; pids+=($fleet)
  local want="registered=$N "
  while ! grep -q "$want" "$dir/out"; do
    if ! kill -0 "$fleet" 2>/dev/null; then echo "fleet exited"; tail "$dir/err"; exit 1; fi
    sleep 1
  done
  if [ $# -gt 0 ]; then
    while ! tail -1 "$dir/out" | grep -q "stun_mappings=$N\$"; do sleep 1; done
  fi
  sleep 15  # settle: sessions still closing, first keep-alives spread
  local t0 t1 instr=""
  t0=$(awk '{print $14 + $15}' /proc/$fleet/stat)
  if command -v perf > /dev/null && perf stat -e instructions:u -p "$fleet" -x, -o "$dir/perf" \
       -- sleep "$WINDOW" 2>/dev/null; then
    instr=$(awk -F, '/instructions/ && $1 ~ /^[0-9]+$/ {print $1}' "$dir/perf")  # or none
  else
    sleep "$WINDOW"
  fi
  t1=$(awk '{print $14 + $15}' /proc/$fleet/stat)
  local rss
  rss=$(awk '/VmRSS/ {print $2}' /proc/$fleet/status)
  echo "$label: phones=$N window=${WINDOW}s cpu=$(echo "scale=3; ($t1 - $t0) / $hz" | bc)s" \
       "instructions_u=${instr:-n/a} rss_kib=$rss fds=$(ls /proc/$fleet/fd | wc -l)" \
       "threads=$(awk '/Threads/ {print $2}' /proc/$fleet/status)"
  echo "$label: $(tail -1 "$dir/out")"
  kill -TERM "$fleet"; wait "$fleet" || true
}

echo "load: $(uptime)"
measure no-stun
measure stun --stun-server "127.0.0.1:$STUNPORT"
echo "load: $(uptime)"
