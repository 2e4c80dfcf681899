#!/bin/bash
# Boot storm (issue #6): N phones of ONE `cpe-agent fleet` process boot at the same moment and
# each resyncs its profile from a real nginx (Resync_On_Reset=Yes), spread by
# Resync_Random_Delay. Prints: phones resynced per second (mean and the best 1-second window),
# time until every phone resynced, nginx's peak request rate (requests in the busiest second of
# its access log), and the fleet's RSS.
#
# Usage (repository root, after `cmake --build build --target cpe-agent`):
#   tests/bench/boot_storm/boot_storm.sh [N] [RESYNC_RANDOM_DELAY_SECONDS] [THREADS]
# Environment: BIN (default build/bin), NGINX (default: nginx on PATH or /usr/sbin/nginx).
#
# The phones' ACS URL points at a closed loopback port: the ACS is not part of this benchmark
# (their sessions fail fast and back off), every phone runs the resync, upgrade and custom CA
# engines exactly as `cpe-agent run` does.
set -euo pipefail
N=${1:-1000}
DELAY=${2:-30}
THREADS=${3:-8}
BIN=$(realpath "${BIN:-build/bin}")
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
WORK=$(mktemp -d /tmp/boot-storm-XXXXXX)
PORT=$(( 30000 + RANDOM % 10000 ))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A profile of 30 parameters, as a provisioning server would serve it.
chmod 755 "$WORK"; mkdir -p "$WORK/www" "$WORK/nginx"; chmod 755 "$WORK/www"
{
  echo '<flat-profile>'
  for c in A B C D E F G H I J K L M N O P; do echo "  <GPP_$c>value-$c-0123456789abcdef</GPP_$c>"; done
  for i in 1 2 3 4; do
    echo "  <Display_Name_${i}_>Line $i</Display_Name_${i}_>"
    echo "  <User_ID_${i}_>10$i</User_ID_${i}_>"
    echo "  <Proxy_${i}_>sip.example.com</Proxy_${i}_>"
  done
  echo '  <Station_Display_Name>Storm phone</Station_Display_Name>'
  echo '  <Resync_Periodic>3600</Resync_Periodic>'
  echo '</flat-profile>'
} > "$WORK/www/storm.xml"
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  log_format t '\$msec \$status \$request_uri';
  access_log $WORK/nginx/access.log t;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$PORT;
    root $WORK/www;
  }
}
EOF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" > "$WORK/nginx/stdout.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

printf '<flat-profile><Profile_Rule>http://127.0.0.1:%s/storm.xml</Profile_Rule><Resync_On_Reset>Yes</Resync_On_Reset><Resync_Random_Delay>%s</Resync_Random_Delay><Periodic_Inform_Enable>No</Periodic_Inform_Enable></flat-profile>\n' \
  "$PORT" "$DELAY" > "$WORK/first.xml"
start=$(date +%s.%N)
chmod 644 "$WORK/www/storm.xml"
"$BIN/cpe-agent" fleet --count "$N" --acs "http://127.0.0.1:9/acs" --state "$WORK/fleet" \
  --cr-listen 127.0.0.1 --boot-spread 0 --threads "$THREADS" --summary-interval 1 \
  --profile "$WORK/first.xml" > "$WORK/fleet.out" 2> "$WORK/fleet.err" &
fleet=$!; pids+=($fleet)
while ! grep -qs "resynced=$N " "$WORK/fleet.out"; do
  if ! kill -0 "$fleet" 2>/dev/null; then echo "fleet exited"; tail "$WORK/fleet.err"; exit 1; fi
  if (( $(echo "$(date +%s.%N) - $start > $DELAY + 120" | bc) )); then
    echo "timeout"; tail -2 "$WORK/fleet.out"; break
  fi
  if grep -qs "resynced=0 .*resyncs_failed=$N " "$WORK/fleet.out"; then
    echo "every resync failed"; tail -3 "$WORK/fleet.err"; exit 1
  fi
  sleep 0.2
done
end=$(date +%s.%N)
total=$(echo "$end - $start" | bc)
echo "phones=$N resync_random_delay=${DELAY}s threads=$THREADS"
echo "all_resynced_after=${total}s mean_resynced_per_s=$(echo "scale=1; $N / $total" | bc)"
# Best 1-second window of the fleet's own counter (summary lines once a second).
grep -o 'resynced=[0-9]*' "$WORK/fleet.out" | cut -d= -f2 |
  awk 'NR>1 { d=$1-p; if (d>m) m=d } { p=$1 } END { print "peak_resynced_per_s=" m+0 }'
awk '$3 == "/storm.xml" { s=int($1); c[s]++; n++; if ($2 != 200) bad++ }
     END { for (k in c) if (c[k] > m) m = c[k];
           print "nginx_requests=" n+0 " non_200=" bad+0 " nginx_peak_requests_per_s=" m+0 }' \
  "$WORK/nginx/access.log"
grep -E "VmRSS|VmHWM|Threads" /proc/$fleet/status | tr -s ' \t' ' '
echo "fds=$(ls /proc/$fleet/fd | wc -l)"
ps -o cputime= -p "$fleet" | sed 's/^/fleet_cpu_time=/'
tail -1 "$WORK/fleet.out"
grep -c 'resync failed' "$WORK/fleet.err" | sed 's/^/resync_failed_log_lines=/' || true
