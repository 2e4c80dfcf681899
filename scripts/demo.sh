#!/usr/bin/env bash
# A walk through the phone's provisioning language with `cpe-agent profile`, on the guide's
# own examples: build, check a profile, encrypt it the way a provisioning server does, open a
# file made by the real openssl, and evaluate profile and upgrade rules for one phone.
# (The main job — PostgreSQL, acsd and simulated phones — arrives with issues #4 and #5.)
# Options: --skip-deps (do not run scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--skip-deps" ] || bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target cpe-agent
AGENT=$PWD/build/bin/cpe-agent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

cat > "$work/site.xml" <<'XML'
<flat-profile>
<Resync_On_Reset> Yes </Resync_On_Reset>
<Resync_Periodic> 7200 </Resync_Periodic>
<Profile_Rule> tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg</Profile_Rule>
<Admin_Password>S3cr3t</Admin_Password>
</flat-profile>
XML
cd "$work"
step "cpe-agent profile check site.xml";                 "$AGENT" profile check site.xml
printf '<flat-profile>\n<Resync_Periodik>60</Resync_Periodik>\n<Resync_On_Reset>Maybe</Resync_On_Reset>\n</flat-profile>\n' > typo.xml
step "cpe-agent profile check typo.xml";                 "$AGENT" profile check typo.xml || true
step "cpe-agent profile encode --gzip --key 'my secret phrase' -o site.cfg site.xml"
"$AGENT" profile encode --gzip --key 'my secret phrase' -o site.cfg site.xml
step "openssl enc -d -aes-256-cbc -md sha256 -k 'my secret phrase' -in site.cfg | gunzip | head -3"
openssl enc -d -aes-256-cbc -md sha256 -k 'my secret phrase' -in site.cfg | gunzip | head -3
gzip -c site.xml | openssl enc -aes-256-cbc -md md5 -k legacy -a -out legacy.cfg
step "cpe-agent profile decode -v --key legacy legacy.cfg   # made by openssl -md md5 -a"
"$AGENT" profile decode -v --key legacy legacy.cfg
step "cpe-agent profile decode --key wrong legacy.cfg"; "$AGENT" profile decode --key wrong legacy.cfg || true
step "cpe-agent profile expand --mac 00:0E:08:01:23:45 'http://remote.server.com/cisco/\$MA.cfg'"
"$AGENT" profile expand --mac 00:0E:08:01:23:45 'http://remote.server.com/cisco/$MA.cfg'
step "cpe-agent profile expand --upgrade --swver sip68xx.11-0-0MPP-0001 '(\$SWVER lt sip68xx.11-0-1MPP-0002)? http://p.tel.com/fw/sip68xx.11-0-1MPP-0002.loads'"
"$AGENT" profile expand --upgrade --swver sip68xx.11-0-0MPP-0001 \
  '($SWVER lt sip68xx.11-0-1MPP-0002)? http://p.tel.com/fw/sip68xx.11-0-1MPP-0002.loads'
