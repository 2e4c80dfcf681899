#!/usr/bin/env bash
# End-to-end tests of `cpe-agent dhcp-event` with the environment ISC dhclient and busybox
# udhcpc give their hook scripts, and of the shipped hook scripts themselves.
# Usage: dhcp_event_test.sh PATH/TO/cpe-agent SCRIPTS_DIR
set -u
AGENT=$(realpath "$1")
SCRIPTS=$(realpath "$2")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
STATE=$WORK/state
mkdir -p "$STATE"

passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; shift; for l in "$@"; do echo "    $l"; done; }

# run NAME EXPECTED_EXIT CMD...: runs CMD with a clean DHCP environment plus what the caller
# exported for it; keeps stdout/stderr in out/err.
run() {
  local name=$1 want=$2; shift 2
  timeout 60 "$@" >out 2>err
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok "$name (exit $rc)"; return 0; fi
  fail "$name: exit $rc, want $want" "stdout: $(head -c 600 out)" "stderr: $(head -c 600 err)"
  return 1
}
expect_in() {  # expect_in NAME FILE NEEDLE
  if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: '$3' not in $2" "$(head -c 1200 "$2")"; fi
}
expect_not_in() {
  if grep -qF -- "$3" "$2"; then fail "$1: '$3' unexpectedly in $2" "$(head -c 1200 "$2")"; else ok "$1"; fi
}

# Bytes -> the forms the DHCP clients export, computed here independently of the agent:
# ISC dhclient prints each byte with %x joined by ':' (so 0x01 is "1"); udhcpc prints %02x.
isc_hex() { od -An -v -tx1 | tr -s ' \n' '\n' | sed '/^$/d; s/^0\(.\)$/\1/' | paste -sd: -; }
plain_hex() { od -An -v -tx1 | tr -d ' \n'; }
# tlv CODE VALUE: one sub-option, as bytes on stdout
tlv() { printf "\\$(printf '%03o' "$1")\\$(printf '%03o' "${#2}")%s" "$2"; }

URL1=http://acs.example.com/cwmp
URL2=https://acs2.example.com:7547/
OPT43_1=$( { tlv 1 "$URL1"; tlv 2 "PC-7"; tlv 3 30; tlv 4 2500; } | isc_hex)
case "$OPT43_1" in 1:1b:68:74:74:70:*) ok "isc_hex helper gives dhclient's form" ;;
  *) fail "isc_hex helper: $OPT43_1" ;; esac

clean_env=(env -u new_vendor_encapsulated_options -u new_tftp_server_name -u new_vivso
           -u new_cwmp_tftp_servers -u new_cwmp_provisioning_159 -u new_cwmp_provisioning_160
           -u opt43 -u opt125 -u opt150 -u opt159 -u opt160 -u tftp)

# ---- dhclient environment ---------------------------------------------------------------
run "dhclient lease with option 43 and 66" 0 "${clean_env[@]}" \
  new_vendor_encapsulated_options="$OPT43_1" new_tftp_server_name=tftp.example.com \
  "$AGENT" dhcp-event --state "$STATE" --env
J=$STATE/dhcp.json
expect_in "acs_url recorded" "$J" "\"acs_url\": \"$URL1\","
expect_in "first URL is generation 1" "$J" '"acs_url_generation": 1,'
expect_in "first URL makes BOOTSTRAP due" "$J" '"bootstrap_due": true,'
expect_in "provisioning code" "$J" '"provisioning_code": "PC-7",'
expect_in "retry minimum wait" "$J" '"retry_min_wait": 30,'
expect_in "retry multiplier" "$J" '"retry_multiplier": 2500,'
expect_in "option 66 is the provisioning server" "$J" \
  '"provisioning_server": {"option": 66, "server": "tftp.example.com", "url": "tftp://tftp.example.com"}'
expect_in "summary says new" out "acs_url $URL1 (new)"
if [ "$(stat -c %a "$J")" = 644 ]; then ok "dhcp.json mode 644"; else fail "mode $(stat -c %a "$J")"; fi
ls -A "$STATE" > listing
expect_not_in "no temp file left behind" listing ".tmp"

run "renewal with the same URL" 0 "${clean_env[@]}" new_vendor_encapsulated_options="$OPT43_1" \
  "$AGENT" dhcp-event --state "$STATE" --env
expect_in "same URL keeps generation 1" "$J" '"acs_url_generation": 1,'
expect_in "still due until acknowledged" "$J" '"bootstrap_due": true,'
expect_not_in "summary does not say new" out "(new)"

printf '1\n' > "$STATE/dhcp-bootstrap.ack"
run "after the daemon's ack" 0 "${clean_env[@]}" new_vendor_encapsulated_options="$OPT43_1" \
  "$AGENT" dhcp-event --state "$STATE" --env
expect_in "acknowledged: not due" "$J" '"bootstrap_due": false,'
expect_in "no option 66 this time: option 43 is next in DHCP_Option_To_Use" "$J" \
  "\"provisioning_server\": {\"option\": 43, \"server\": \"$URL1\", \"url\": \"$URL1\"}"

# The legacy bare URL arrives from dhclient as escaped text ("\072" is ':').
run "legacy bare URL as dhclient text" 0 "${clean_env[@]}" \
  new_vendor_encapsulated_options='https\072//acs2.example.com:7547/' \
  "$AGENT" dhcp-event --state "$STATE" --env
expect_in "new URL recorded" "$J" "\"acs_url\": \"$URL2\","
expect_in "new URL bumps the generation" "$J" '"acs_url_generation": 2,'
expect_in "new URL is due again" "$J" '"bootstrap_due": true,'
expect_in "previous URL kept" "$J" "\"previous_acs_url\": \"$URL1\","
expect_in "legacy form has no retry values" "$J" '"retry_min_wait": null,'

cp "$J" before.json
run "malformed option 43 is refused" 1 "${clean_env[@]}" \
  new_vendor_encapsulated_options="1:40:68:74" "$AGENT" dhcp-event --state "$STATE" --env
expect_in "error names the variable and option" err \
  '$new_vendor_encapsulated_options: option 43: sub-option 1 at offset 0'
expect_in "error explains the length" err "has length 64 but only 2 bytes follow"
if cmp -s before.json "$J"; then ok "dhcp.json unchanged after an error"; else fail "dhcp.json changed"; fi
run "URL without scheme is refused" 1 "${clean_env[@]}" \
  new_vendor_encapsulated_options="$( { tlv 1 acs.example.com; } | isc_hex)" \
  "$AGENT" dhcp-event --state "$STATE" --env
expect_in "scheme error" err "does not start with http:// or https://"
if cmp -s before.json "$J"; then ok "dhcp.json unchanged after a bad URL"; else fail "dhcp.json changed"; fi

run "lease without option 43 keeps the ACS URL" 0 "${clean_env[@]}" \
  new_cwmp_tftp_servers="10.0.0.7 10.0.0.8" "$AGENT" dhcp-event --state "$STATE" --env
expect_in "URL kept" "$J" "\"acs_url\": \"$URL2\","
expect_in "option 150 list" "$J" '"tftp_servers": ["10.0.0.7", "10.0.0.8"],'
expect_in "option 150 is the server" "$J" '"url": "tftp://10.0.0.7"'

# ---- udhcpc environment -------------------------------------------------------------------
U=$WORK/ustate; mkdir -p "$U"
OPT125=$(printf '\000\000\000\011\002\001\000\000\000\015\351\021\004\00600D09E\005\003SN1\006\002GW' | plain_hex)
run "udhcpc lease" 0 "${clean_env[@]}" \
  opt43="$( { tlv 1 "$URL1"; tlv 3 10; } | plain_hex)" tftp=tftp.example.net \
  opt150=0a000001 opt160="$(printf 'https://prov.example.com/$PSN.xml' | plain_hex)" \
  opt125="$OPT125" "$AGENT" dhcp-event --state "$U" --env --option-order 160,66
expect_in "udhcpc: acs_url" "$U/dhcp.json" "\"acs_url\": \"$URL1\","
expect_in "udhcpc: retry" "$U/dhcp.json" '"retry_min_wait": 10,'
expect_in "udhcpc: option 160 first by --option-order" "$U/dhcp.json" \
  '"provisioning_server": {"option": 160, "server": "https://prov.example.com/$PSN.xml"'
expect_in "udhcpc: gateway from option 125" "$U/dhcp.json" \
  '"gateway": {"oui": "00D09E", "serial_number": "SN1", "product_class": "GW"}'
run "command-line value wins over the environment" 0 "${clean_env[@]}" opt43=zz \
  "$AGENT" dhcp-event --state "$U" --env --option43 "$URL2"
expect_in "flag value used" "$U/dhcp.json" "\"acs_url\": \"$URL2\","
run "bad --option-order" 2 "$AGENT" dhcp-event --state "$U" --option-order 66,abc
run "missing --state" 2 "$AGENT" dhcp-event --option43 "$URL1"
run "state dir must exist" 1 "$AGENT" dhcp-event --state "$WORK/nope" --option43 "$URL1"
printf 'garbage' > "$U/dhcp-bootstrap.ack"
run "corrupt ack file is an error" 1 "$AGENT" dhcp-event --state "$U" --option43 "$URL1"
rm "$U/dhcp-bootstrap.ack"
printf '4\n' > "$U/dhcp-bootstrap.ack"
printf '{"version": 1, "acs_url": ' > "$U/dhcp.json"
run "damaged dhcp.json: start afresh" 0 "$AGENT" dhcp-event --state "$U" --option43 "$URL1"
expect_in "warning about the damaged file" err "starting afresh"
expect_in "fresh generation is past the ack" "$U/dhcp.json" '"acs_url_generation": 5,'
expect_in "so the bootstrap is due" "$U/dhcp.json" '"bootstrap_due": true,'

# ---- encode -> event round trip -------------------------------------------------------------
R=$WORK/rstate; mkdir -p "$R"
run "encode hex" 0 "$AGENT" dhcp encode --format hex --url "$URL2" --provisioning-code 'Zone 9' \
  --retry-min 5 --retry-multiplier 2000
HEX=$(cat out)
run "event with the encoded value" 0 "$AGENT" dhcp-event --state "$R" --option43 "$HEX"
expect_in "round trip URL" "$R/dhcp.json" "\"acs_url\": \"$URL2\","
expect_in "round trip code" "$R/dhcp.json" '"provisioning_code": "Zone 9",'
expect_in "round trip multiplier" "$R/dhcp.json" '"retry_multiplier": 2000,'
run "decode prints fields" 0 "$AGENT" dhcp decode --option 43 "$HEX"
expect_in "decode URL" out "acs_url $URL2"
run "encode 125 refuses --url" 2 "$AGENT" dhcp encode --option 125 --url "$URL1"
expect_in "125 refusal explains Annex F" err "gateway identity"
run "encode bad multiplier" 1 "$AGENT" dhcp encode --url "$URL1" --retry-multiplier 999
run "encode without scheme" 1 "$AGENT" dhcp encode --url acs.example.com
run "dhcp --help" 0 "$AGENT" dhcp --help
run "dhcp unknown command" 2 "$AGENT" dhcp frobnicate

# ---- the hook scripts -----------------------------------------------------------------------
H=$WORK/hstate
run "dhclient hook on BOUND" 0 "${clean_env[@]}" CWMP_AGENT="$AGENT" CWMP_STATE_DIR="$H" \
  CWMP_LOG=stderr reason=BOUND interface=eth0 new_vendor_encapsulated_options="$OPT43_1" \
  sh -c ". '$SCRIPTS/dhclient-exit-hook.sh'; echo sourced-ok"
expect_in "hook returns to dhclient-script" out "sourced-ok"
expect_in "hook wrote dhcp.json" "$H/dhcp.json" "\"acs_url\": \"$URL1\","
cp "$H/dhcp.json" hook-before.json
run "dhclient hook ignores EXPIRE" 0 "${clean_env[@]}" CWMP_AGENT="$AGENT" CWMP_STATE_DIR="$H" \
  CWMP_LOG=stderr reason=EXPIRE interface=eth0 new_vendor_encapsulated_options=1:3:61:62:63 \
  sh -c ". '$SCRIPTS/dhclient-exit-hook.sh'; echo sourced-ok"
if cmp -s hook-before.json "$H/dhcp.json"; then ok "EXPIRE changed nothing"; else fail "EXPIRE wrote"; fi

B=$WORK/bstate
run "udhcpc script on bound" 0 "${clean_env[@]}" CWMP_AGENT="$AGENT" CWMP_STATE_DIR="$B" \
  CWMP_LOG=stderr CWMP_UDHCPC_CHAIN=true interface=eth0 ip=192.0.2.10 mask=24 \
  opt43="$( { tlv 1 "$URL2"; } | plain_hex)" tftp=192.0.2.1 \
  sh "$SCRIPTS/udhcpc-default.script" bound
expect_in "udhcpc script wrote dhcp.json" "$B/dhcp.json" "\"acs_url\": \"$URL2\","
expect_in "udhcpc script: option 66" "$B/dhcp.json" '"url": "tftp://192.0.2.1"'
run "udhcpc script on leasefail" 0 "${clean_env[@]}" CWMP_AGENT="$AGENT" CWMP_STATE_DIR="$WORK/lf" \
  CWMP_LOG=stderr CWMP_UDHCPC_CHAIN=true interface=eth0 \
  sh "$SCRIPTS/udhcpc-default.script" leasefail
if [ ! -e "$WORK/lf/dhcp.json" ]; then ok "leasefail records nothing"; else fail "leasefail wrote"; fi

echo "passed $passed, failed $failed"
[ "$failed" -eq 0 ]
