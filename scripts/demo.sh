#!/usr/bin/env bash
# The main job, on one machine: a private PostgreSQL, the ACS (acsd) and simulated Cisco 6800
# phones (cpe-agent) that register with it; then an operator's session with acsctl.
#
#   1. installs missing Debian packages (scripts/install-deps.sh) and builds acsd, acsctl and
#      cpe-agent into build/;
#   2. starts PostgreSQL in a temp dir (its own cluster, unix socket only, never the system's;
#      as the `postgres` user when run as root), `acsd migrate`, an admin API token,
#      `acsd serve` on loopback;
#   3. starts one phone with `cpe-agent run` and a fleet of N more with `cpe-agent fleet`,
#      waits until all registered;
#   4. shows `acsctl devices`, `get`, `set` and `reboot` on the first phone, and what happens;
#   5. stops everything it started (also on Ctrl-C), unless --keep-running.
#
# Usage: sudo bash scripts/demo.sh [options]
#   --phones N        phones in the fleet besides the single one (default 5)
#   --keep-running    leave everything up and print the URLs, the token file and how to stop
#   --skip-deps       do not run scripts/install-deps.sh
#   --skip-build      use the binaries already in the build dir
#   --build-dir DIR   build dir (default build)
#   -h, --help        this text
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

phones=5; keep=0; skip_deps=0; skip_build=0; build_dir=build
while [ $# -gt 0 ]; do
  case "$1" in
    --phones) phones=${2:?--phones needs a number}; shift ;;
    --keep-running) keep=1 ;;
    --skip-deps) skip_deps=1 ;;
    --skip-build) skip_build=1 ;;
    --build-dir) build_dir=${2:?--build-dir needs a directory}; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$phones" in ''|*[!0-9]*) echo "demo: --phones wants a number, not '$phones'" >&2; exit 2 ;; esac

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

[ $skip_deps -eq 1 ] || bash scripts/install-deps.sh
if [ $skip_build -eq 0 ]; then
  bold "Building acsd, acsctl and cpe-agent into $build_dir/"
  generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build_dir" --target acsd acsctl cpe-agent
fi
case "$build_dir" in /*) ;; *) build_dir=$repo/$build_dir ;; esac
ACSD=$build_dir/bin/acsd ACSCTL=$build_dir/bin/acsctl AGENT=$build_dir/bin/cpe-agent
for b in "$ACSD" "$ACSCTL" "$AGENT"; do [ -x "$b" ] || die "$b is missing (build first, or drop --skip-build)"; done

pgbin=${CWMP_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[ -x "$pgbin/initdb" ] || die "PostgreSQL server binaries not found (install the postgresql package or set CWMP_PG_BINDIR)"

# --- everything lives in one temp dir; cleanup stops what was started ------------------------
work=$(mktemp -d /tmp/tr069-demo-XXXXXX)
chmod 755 "$work"
pids=()
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  trap '' PIPE  # a closed stdout (| head) must not stop the clean-up half-way
  [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true
  for p in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  if [ -f "$work/pg/data/postmaster.pid" ]; then
    as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ $code -ne 0 ]; then
    echo "demo: failed (exit $code); the last lines of the logs:" >&2
    for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  fi
  rm -rf "$work"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL: a private cluster listening only on a socket in $work/pg ---------------------
bold "Starting a private PostgreSQL in $work/pg (socket only, not the system cluster)"
mkdir -p "$work/pg"
[ "$(id -u)" -ne 0 ] || { id postgres >/dev/null 2>&1 || die "running as root needs the postgres system user (postgresql package)"; chown postgres: "$work/pg"; }
as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
  --no-sync >"$work/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$work/initdb.log")"
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $work/pg -p 5432 -c fsync=off" start >/dev/null \
  || die "PostgreSQL did not start: $(tail -n 5 "$work/pg/server.log" 2>/dev/null)"
as_pg "$pgbin/createdb" -h "$work/pg" -U postgres acs
export ACSD_DATABASE_URL="host=$work/pg port=5432 dbname=acs user=postgres"

# --- the ACS ----------------------------------------------------------------------------------
step "acsd migrate"
"$ACSD" migrate
step "acsd token create --scope admin --description demo | tail -n1 > $work/admin.token"
"$ACSD" token create --scope admin --description demo | tail -n1 > "$work/admin.token"
chmod 600 "$work/admin.token"
# Passwords travel in the environment, never on a command line.
cpe_password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
cr_password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$cpe_password" > "$work/cpe.password"; chmod 600 "$work/cpe.password"
printf '%s\n' "$cr_password" > "$work/cr.password"; chmod 600 "$work/cr.password"
bold "Starting acsd serve (CWMP and REST API on 127.0.0.1, Digest for the phones)"
ACSD_CPE_PASSWORD=$cpe_password \
  "$ACSD" serve --cwmp-listen 127.0.0.1:0 --nbi-listen 127.0.0.1:0 --cpe-username phone \
  --cr-username acs --cr-password-file "$work/cr.password" --log-format json >"$work/acsd.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q '"listening"' "$work/acsd.log" && break; kill -0 "${pids[0]}" || break; sleep 0.1; done
listening=$(grep -m1 '"listening"' "$work/acsd.log") || die "acsd serve did not start"
cwmp_url="http://$(sed -E 's/.*"cwmp":"([^"]+)".*/\1/' <<<"$listening")/"
api_url="http://$(sed -E 's/.*"nbi":"([^"]+)".*/\1/' <<<"$listening")"
echo "CWMP endpoint $cwmp_url   REST API $api_url"
export ACSCTL_URL=$api_url
ctl() { "$ACSCTL" --token-file "$work/admin.token" "$@"; }

# --- the phones -------------------------------------------------------------------------------
cat >"$work/phone-profile.xml" <<XML
<flat-profile>
<ACS_Username>phone</ACS_Username>
<ACS_Password>$cpe_password</ACS_Password>
<Connection_Request_Username>acs</Connection_Request_Username>
<Connection_Request_Password>$cr_password</Connection_Request_Password>
<Periodic_Inform_Interval>3600</Periodic_Inform_Interval>
<Station_Name>demo desk phone</Station_Name>
</flat-profile>
XML
chmod 600 "$work/phone-profile.xml"
step "cpe-agent run --state $work/phone1 --mac 00:0E:08:DE:00:01 --serial DEMO0001 --model CP-6841-3PCC --acs $cwmp_url --profile phone-profile.xml --cr-listen 127.0.0.1:0"
"$AGENT" run --state "$work/phone1" --mac 00:0E:08:DE:00:01 --serial DEMO0001 \
  --model CP-6841-3PCC --swver sip68xx.12-0-1MPP-0001 --acs "$cwmp_url" \
  --profile "$work/phone-profile.xml" --cr-listen 127.0.0.1:0 --cr-host 127.0.0.1 \
  >"$work/phone1.log" 2>&1 &
pids+=($!)
if [ "$phones" -gt 0 ]; then
  step "cpe-agent fleet --count $phones --acs $cwmp_url --state $work/fleet --serial-prefix FLEET --model CP-6851-3PCC --profile phone-profile.xml"
  "$AGENT" fleet --count "$phones" --acs "$cwmp_url" --state "$work/fleet" \
    --base-mac 00:0E:08:DF:00:00 --serial-prefix FLEET --model CP-6851-3PCC \
    --profile "$work/phone-profile.xml" --cr-listen 127.0.0.1 --boot-spread 2 \
    >"$work/fleet.log" 2>&1 &
  pids+=($!)
fi
total=$((phones + 1))
bold "Waiting for $total phones to register (0 BOOTSTRAP + 1 BOOT Informs)"
registered=0
for _ in $(seq 120); do
  registered=$(ctl devices --limit 1000 2>/dev/null | grep -c 'last inform' || true)
  [ "$registered" -ge "$total" ] && break
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || die "a process ended early (see the logs below)"; done
  sleep 0.5
done
[ "$registered" -ge "$total" ] || die "only $registered of $total phones registered within 60 s"
echo "$registered phones registered"

# --- an operator's session --------------------------------------------------------------------
step "acsctl devices"
ctl devices
id=$(ctl devices --limit 1000 | awk '/-DEMO0001 /{print $1}')
[ -n "$id" ] || die "the phone DEMO0001 is not listed"
step "acsctl get $id Device.DeviceInfo. Device.ManagementServer.PeriodicInformInterval"
ctl get "$id" Device.DeviceInfo. Device.ManagementServer.PeriodicInformInterval
step "acsctl set $id Device.ManagementServer.PeriodicInformInterval=600:xsd:unsignedInt Device.X_TR069PHONE_Phone.Station_Name=reception"
echo "(acsd queues a SetParameterValues task, sends the phone a Digest connection request, the phone opens a session and answers)"
ctl set "$id" Device.ManagementServer.PeriodicInformInterval=600:xsd:unsignedInt \
  Device.X_TR069PHONE_Phone.Station_Name=reception
step "acsctl get $id Device.ManagementServer.PeriodicInformInterval Device.X_TR069PHONE_Phone.Station_Name"
ctl get "$id" Device.ManagementServer.PeriodicInformInterval Device.X_TR069PHONE_Phone.Station_Name
last_boot() { ctl get "$id" | awk '$1=="lastBoot"{print $2}'; }
boot_before=$(last_boot)
step "acsctl reboot $id --command-key demo-reboot"
ctl reboot "$id" --command-key demo-reboot
echo "(the phone reboots when the session ends and informs again with 'M Reboot' + '1 BOOT')"
for _ in $(seq 60); do [ "$(last_boot)" != "$boot_before" ] && break; sleep 0.5; done
[ "$(last_boot)" != "$boot_before" ] || die "the phone did not come back after the reboot"
step "curl -s -H 'Authorization: Bearer ...' $api_url/devices/$id/events?limit=1"
curl -s -H "Authorization: Bearer $(cat "$work/admin.token")" "$api_url/devices/$id/events?limit=1"
echo
grep -q 'M Reboot' < <(curl -s -H "Authorization: Bearer $(cat "$work/admin.token")" \
  "$api_url/devices/$id/events?limit=1") || die "the Inform after the reboot has no M Reboot"
step "curl -s -X POST ... '$api_url/devices/$id/tasks?connection_request&timeout=10000' -d '{\"name\":\"getParameterValues\",...}'   # read from the phone itself"
gpv=$(curl -s -X POST -H "Authorization: Bearer $(cat "$work/admin.token")" \
  -H "Content-Type: application/json" "$api_url/devices/$id/tasks?connection_request&timeout=10000" \
  -d '{"name":"getParameterValues","parameterNames":["Device.ManagementServer.PeriodicInformInterval","Device.X_TR069PHONE_Phone.Station_Name"]}')
echo "$gpv"
grep -q '"Device.ManagementServer.PeriodicInformInterval","600"' <<<"$gpv" \
  || die "the phone lost the value set before the reboot"
echo "(the values set before the reboot are still on the phone)"

if [ $keep -eq 1 ]; then
  cat >"$work/stop.sh" <<STOP
#!/usr/bin/env bash
# Stops what scripts/demo.sh --keep-running started and removes $work.
kill -TERM ${pids[*]} 2>/dev/null; sleep 2; kill -KILL ${pids[*]} 2>/dev/null
$( [ "$(id -u)" -eq 0 ] && echo "runuser -u postgres -- " )"$pgbin/pg_ctl" -D "$work/pg/data" -m fast -w stop
rm -rf "$work"
STOP
  chmod 755 "$work/stop.sh"
  trap - EXIT INT TERM
  bold "Everything keeps running:"
  cat <<INFO
  CWMP endpoint (phones)   $cwmp_url   (Digest user 'phone', password in $work/cpe.password)
  REST API                 $api_url   (docs/openapi.yaml)
  admin API token file     $work/admin.token
  database                 $ACSD_DATABASE_URL
  logs                     $work/*.log
  try:  $ACSCTL --url $api_url --token-file $work/admin.token devices
        $ACSCTL --url $api_url --token-file $work/admin.token reboot $id
  stop: bash $work/stop.sh
INFO
  exit 0
fi
bold "demo: done; stopping everything"
