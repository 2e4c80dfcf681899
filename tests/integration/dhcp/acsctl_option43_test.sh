#!/usr/bin/env bash
# `acsctl dhcp option43` (no API token needed) prints the same configuration as
# `cpe-agent dhcp encode`, for every format; bad input is a usage error (exit 2).
# Usage: acsctl_option43_test.sh PATH/TO/acsctl PATH/TO/cpe-agent
set -u
ACSCTL=$1 AGENT=$2
failed=0; passed=0
args=(--url https://acs.example.com:7547/cwmp --provisioning-code 'EU 1' --retry-min 30
      --retry-multiplier 2500)
for format in dnsmasq isc hex; do
  want=$("$AGENT" dhcp encode --format "$format" "${args[@]}")
  got=$(env -u ACSCTL_TOKEN "$ACSCTL" dhcp option43 --format "$format" "${args[@]}")
  if [ "$got" = "$want" ] && [ -n "$got" ]; then
    passed=$((passed + 1)); echo "ok - $format"
  else
    failed=$((failed + 1)); echo "FAIL - $format"; echo "want: $want"; echo "got:  $got"
  fi
done
"$ACSCTL" dhcp option43 --url ftp://acs.example.com/ >/dev/null 2>err; rc=$?
if [ $rc -eq 2 ] && grep -q 'http://' err; then passed=$((passed + 1)); echo "ok - bad URL refused"
else failed=$((failed + 1)); echo "FAIL - bad URL: exit $rc: $(cat err)"; fi
rm -f err
echo "acsctl_option43: $passed passed, $failed failed"
[ $failed -eq 0 ]
