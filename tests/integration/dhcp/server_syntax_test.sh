#!/usr/bin/env bash
# Checks that `cpe-agent dhcp encode` prints configuration the real server accepts.
# Usage: server_syntax_test.sh dnsmasq|isc SERVER_BINARY PATH/TO/cpe-agent
# Syntax checks only (dnsmasq --test, dhcpd -t): nothing listens, nothing is sent.
set -u
KIND=$1 SERVER=$2 AGENT=$(realpath "$3")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
failed=0
check() {  # check NAME CONF_FILE
  local out
  if [ "$KIND" = dnsmasq ]; then
    out=$("$SERVER" --test --conf-file="$2" 2>&1)
  else
    out=$("$SERVER" -t -cf "$2" 2>&1)
  fi
  if [ $? -eq 0 ]; then echo "ok - $1"; else failed=1; echo "FAIL - $1"; echo "$out"; cat "$2"; fi
}
encode() {  # encode FILE ARGS...: appends the agent's output to FILE
  local f=$1; shift
  if ! "$AGENT" dhcp encode --format "$KIND" "$@" >> "$f"; then
    failed=1; echo "FAIL - encode $*"
  fi
}

[ "$KIND" = isc ] && printf 'subnet 192.0.2.0 netmask 255.255.255.0 { }\n' > full.conf
encode full.conf --url https://acs.example.com:7547/cwmp --provisioning-code 'EU 1' \
  --retry-min 30 --retry-multiplier 2500
check "option 43 with all sub-options" full.conf

[ "$KIND" = isc ] && printf 'subnet 192.0.2.0 netmask 255.255.255.0 { }\n' > g.conf
encode g.conf --option 125 --gateway-oui 00D09E --gateway-serial GW-1 --gateway-class RG
check "option 125 gateway identity" g.conf

# A broken file must fail, or the checks above prove nothing.
printf 'dhcp-option=tag:cwmp,43,zz:\nnot-an-option\n' > broken.conf
[ "$KIND" = isc ] && printf 'option vendor-encapsulated-options 01:zz;\n' > broken.conf
if [ "$KIND" = dnsmasq ]; then
  "$SERVER" --test --conf-file=broken.conf >/dev/null 2>&1
else
  "$SERVER" -t -cf broken.conf >/dev/null 2>&1
fi
if [ $? -ne 0 ]; then echo "ok - the checker rejects a broken file"; else failed=1; echo "FAIL - broken file accepted"; fi
exit $failed
