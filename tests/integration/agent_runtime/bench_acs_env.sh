# Sourced by fleet_benchmark.sh and idle_benchmark.sh: starts a private PostgreSQL (fsync off)
# and `acsd serve --cpe-auth none` on free-ish loopback ports, and removes both on exit.
# Sets BIN, WORK, ACSPORT, NBIPORT, acsd (its pid) and pids (what the EXIT trap stops); the
# caller adds its own processes to pids.
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

