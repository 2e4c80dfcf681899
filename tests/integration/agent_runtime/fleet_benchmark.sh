#!/bin/bash
# Fleet benchmark: `cpe-agent fleet --count N` against a local acsd with a private PostgreSQL.
# Prints the time until every phone has registered (its BOOTSTRAP Inform accepted) and the
# fleet's RSS then. Usage (from the repository root, after building acsd and cpe-agent):
#   tests/integration/agent_runtime/fleet_benchmark.sh [N] [BOOT_SPREAD_SECONDS] [THREADS]
# Environment: BIN (default build/bin), PGBIN (default: newest /usr/lib/postgresql/*/bin),
# ACSD_EXTRA (extra acsd serve flags, e.g. "--no-discovery").
set -euo pipefail
N=${1:-10000}
SPREAD=${2:-60}
THREADS=${3:-8}
source "$(dirname "$0")/bench_acs_env.sh"
# Periodic informs off: the figure is the registered, idle fleet.
printf '<flat-profile><Periodic_Inform_Enable>No</Periodic_Inform_Enable></flat-profile>\n' > "$WORK/p.xml"
start=$(date +%s.%N)
"$BIN/cpe-agent" fleet --count "$N" --acs "http://127.0.0.1:$ACSPORT/" --state "$WORK/fleet" \
  --cr-listen 127.0.0.1 --boot-spread "$SPREAD" --threads "$THREADS" --summary-interval 2 \
  --profile "$WORK/p.xml" > "$WORK/fleet.out" 2> "$WORK/fleet.err" &
fleet=$!; pids+=($fleet)
while ! grep -q "registered=$N " "$WORK/fleet.out"; do
  if ! kill -0 "$fleet" 2>/dev/null; then echo "fleet exited"; tail "$WORK/fleet.err"; exit 1; fi
  sleep 1
done
end=$(date +%s.%N)
sleep 5  # settle: sessions that were still closing
echo "phones=$N boot_spread=${SPREAD}s threads=$THREADS registered_after=$(echo "$end - $start" | bc)s"
grep -E "VmRSS|VmHWM|Threads" /proc/$fleet/status
echo "fds=$(ls /proc/$fleet/fd | wc -l) acsd_rss=$(grep VmRSS /proc/$acsd/status | awk '{print $2 " " $3}')"
ps -o pid,pcpu,cputime,cmd -p "$fleet" | cut -c1-80
tail -1 "$WORK/fleet.out"
sleep 10
echo "idle 10 s later:"; ps -o cputime= -p "$fleet"; grep VmRSS /proc/$fleet/status
kill -TERM "$fleet"; wait "$fleet" && echo "fleet exit 0"
tail -2 "$WORK/fleet.out"
