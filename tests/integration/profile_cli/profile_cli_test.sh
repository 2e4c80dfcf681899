#!/usr/bin/env bash
# End-to-end tests of `cpe-agent profile` with real openssl/gzip.
# Usage: profile_cli_test.sh PATH/TO/cpe-agent DATA_DIR
set -u
AGENT=$(realpath "$1")
DATA=$(realpath "$2")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; shift; for l in "$@"; do echo "    $l"; done; }

# run NAME EXPECTED_EXIT CMD... : runs CMD (bounded to 60 s), keeps stdout/stderr in out/err.
run() {
  local name=$1 want=$2; shift 2
  timeout 60 "$@" >out 2>err
  local rc=$?
  if [ "$rc" -eq "$want" ]; then ok "$name (exit $rc)"; return 0; fi
  fail "$name: exit $rc, want $want" "stdout: $(head -c 600 out)" "stderr: $(head -c 600 err)"
  return 1
}
expect_in() {  # expect_in NAME FILE NEEDLE
  if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: '$3' not in $2" "$(head -c 800 "$2")"; fi
}
expect_not_in() {
  if grep -qF -- "$3" "$2"; then fail "$1: '$3' unexpectedly in $2" "$(head -c 800 "$2")"; else ok "$1"; fi
}

cp "$DATA"/*.xml .

# ---- help -------------------------------------------------------------------------------
run "profile --help" 0 "$AGENT" profile --help && expect_in "help lists decode" out "decode"
for sub in check decode encode expand; do
  run "profile $sub --help" 0 "$AGENT" profile "$sub" --help
done
run "unknown subcommand" 2 "$AGENT" profile frobnicate

# ---- check ------------------------------------------------------------------------------
run "check valid profile" 0 "$AGENT" profile check basic.xml
run "check bad values" 1 "$AGENT" profile check bad-values.xml
expect_in "bad value names file:line:col and parameter" err 'bad-values.xml:3:'
expect_in "bad value message names the parameter and value" err 'Resync_Periodic: "abc"'
expect_in "bad enum value reported" err 'Resync_On_Reset: "Maybe"'
run "check unknown parameter" 1 "$AGENT" profile check unknown.xml
expect_in "unknown parameter reported with position" err 'unknown.xml:3:'
expect_in "unknown parameter named" err 'Resync_Periodik'
run "check unknown parameter allowed" 0 "$AGENT" profile check --allow-unknown unknown.xml
printf '<flat-profile>\n<Resync_Periodic>10</Resync_Periodic>\n<Profile_Rule>x\n' > truncated.xml
run "check truncated XML" 1 "$AGENT" profile check truncated.xml
expect_in "truncated XML gives file:line:col" err 'truncated.xml:'
run "check missing file" 1 "$AGENT" profile check does-not-exist.xml
expect_in "missing file named" err 'does-not-exist.xml'

# ---- hostile input ----------------------------------------------------------------------
cat > xxe.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE flat-profile [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<flat-profile><Station_Name>&xxe;</Station_Name></flat-profile>
X
run "XXE profile rejected" 1 "$AGENT" profile check xxe.xml
expect_not_in "XXE did not read /etc/passwd" err "root:x:0:0"
expect_not_in "XXE did not read /etc/passwd (stdout)" out "root:x:0:0"
{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE lolz [<!ENTITY lol "lol">'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9; do
    printf '<!ENTITY lol%d "' "$i"; for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$prev"; done; echo '">'
    prev=lol$i
  done
  echo ']>'
  echo '<flat-profile><Station_Name>&lol9;</Station_Name></flat-profile>'
} > laughs.xml
start=$(date +%s)
/usr/bin/time -f '%M' -o rss "$AGENT" profile check laughs.xml >out 2>err; rc=$?
[ $rc -eq 1 ] && ok "billion laughs rejected (exit $rc)" || fail "billion laughs: exit $rc, want 1" "$(cat err)"
[ $(( $(date +%s) - start )) -le 10 ] && ok "billion laughs within seconds" || fail "billion laughs slow"
[ "$(tail -1 rss)" -lt 600000 ] && ok "billion laughs bounded memory ($(tail -1 rss) KiB)" || fail "billion laughs RSS $(tail -1 rss) KiB"

head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' 'a' > big.xml
start=$(date +%s)
/usr/bin/time -f '%M' -o rss "$AGENT" profile check big.xml >out 2>err; rc=$?
[ $rc -eq 1 ] && ok "100 MiB input rejected (exit $rc)" || fail "100 MiB input: exit $rc, want 1" "$(cat err)"
expect_in "100 MiB input: size limit named" err "limit"
[ $(( $(date +%s) - start )) -le 10 ] && ok "100 MiB input within seconds" || fail "100 MiB input slow"
[ "$(tail -1 rss)" -lt 600000 ] && ok "100 MiB input bounded memory ($(tail -1 rss) KiB)" || fail "100 MiB input RSS $(tail -1 rss) KiB"
/usr/bin/time -f '%M' -o rss "$AGENT" profile decode --key k big.xml >out 2>err; rc=$?
[ $rc -eq 1 ] && ok "100 MiB decode rejected" || fail "100 MiB decode: exit $rc" "$(cat err)"

# ---- decode files made by the real openssl and gzip --------------------------------------
KEY='my secret phrase'
gzip -9 -c basic.xml > basic.xml.gz
i=0
for md in md5 sha256 pbkdf2; do
  for gz in plain gzip; do
    for armor in raw base64; do
      i=$((i + 1))
      in=basic.xml; [ $gz = gzip ] && in=basic.xml.gz
      args=(-aes-256-cbc -k "$KEY" -in "$in" -out "enc$i.cfg")
      if [ $md = pbkdf2 ]; then args+=(-pbkdf2); else args+=(-md $md); fi
      [ $armor = base64 ] && args+=(-a)
      openssl enc "${args[@]}" 2>/dev/null || { fail "openssl enc $md $gz $armor could not run"; continue; }
      run "decode openssl $md/$gz/$armor" 0 "$AGENT" profile decode --key "$KEY" "enc$i.cfg" &&
        expect_in "decode openssl $md/$gz/$armor content" out "<Resync_Periodic>7200</Resync_Periodic>"
    done
  done
done
run "decode with wrong key fails" 1 "$AGENT" profile decode --key wrong enc1.cfg
expect_in "wrong key message" err "key"
printf '%s' "$KEY" > keyfile
run "decode --key-file" 0 "$AGENT" profile decode --key-file keyfile enc2.cfg
run "decode plain gzip" 0 "$AGENT" profile decode basic.xml.gz
expect_in "decode plain gzip content" out "<Resync_On_Reset>Yes</Resync_On_Reset>"
head -c $(( $(stat -c %s basic.xml.gz) / 2 )) basic.xml.gz > truncated.gz
run "truncated gzip fails" 1 "$AGENT" profile decode truncated.gz
expect_in "truncated gzip message" err "truncated"
run "encrypted file without key fails clearly" 1 "$AGENT" profile decode enc1.cfg
expect_in "missing key message" err "--key"

# ---- secrets ----------------------------------------------------------------------------
run "decode masks secrets" 0 "$AGENT" profile decode secrets.xml
expect_not_in "admin password not printed" out "S3cr3tAdmin"
expect_not_in "GPP_SA not printed" out "sa-secret-value"
expect_in "non-secret printed" out "<Station_Name>Lobby</Station_Name>"
run "decode --show-secrets" 0 "$AGENT" profile decode --show-secrets secrets.xml
expect_in "admin password shown on request" out "S3cr3tAdmin"

# ---- encode, opened by the real openssl and gunzip ---------------------------------------
for md in md5 sha256 pbkdf2; do
  run "encode --gzip --key --md $md" 0 "$AGENT" profile encode --gzip --key "$KEY" --md $md -o "ours-$md.cfg" basic.xml
  dargs=(-d -aes-256-cbc -k "$KEY" -in "ours-$md.cfg")
  if [ $md = pbkdf2 ]; then dargs+=(-pbkdf2); else dargs+=(-md $md); fi
  if openssl enc "${dargs[@]}" 2>err | gunzip > roundtrip.xml 2>>err && cmp -s roundtrip.xml basic.xml; then
    ok "openssl enc -d | gunzip opens our $md file"
  else
    fail "openssl enc -d | gunzip could not open our $md file" "$(cat err)"
  fi
done
run "encode --key -a (base64)" 0 "$AGENT" profile encode --key "$KEY" --md sha256 -a -o ours-b64.cfg basic.xml
if openssl enc -d -a -aes-256-cbc -md sha256 -k "$KEY" -in ours-b64.cfg 2>err | cmp -s - basic.xml; then
  ok "openssl enc -d -a opens our base64 file"
else
  fail "openssl enc -d -a could not open our base64 file" "$(cat err)"
fi
run "encode --gzip only" 0 "$AGENT" profile encode --gzip -o ours.gz basic.xml
gunzip -c ours.gz | cmp -s - basic.xml && ok "gunzip opens our gzip file" || fail "gunzip could not open our gzip file"
IKM=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
run "encode --ikm (aes128gcm)" 0 "$AGENT" profile encode --ikm "$IKM" --rs 64 -o ours.aes128gcm basic.xml
run "decode --ikm (aes128gcm)" 0 "$AGENT" profile decode --ikm "$IKM" ours.aes128gcm
expect_in "aes128gcm round trip content" out "<Resync_Periodic>7200</Resync_Periodic>"
run "encode refuses an invalid profile" 1 "$AGENT" profile encode --gzip -o x.gz bad-values.xml
run "encode to stdout" 0 "$AGENT" profile encode --gzip basic.xml
gunzip -c out | cmp -s - basic.xml && ok "encode to stdout is gzip of the file" || fail "encode stdout not gzip of the file"

# ---- expand: the guide's examples ---------------------------------------------------------
run "expand Example 1" 0 "$AGENT" profile expand --mac 00:0E:08:01:23:45 'http://remote.server.com/cisco/$MA.cfg'
expect_in "Example 1 URL" out "url: http://remote.server.com:80/cisco/000e08012345.cfg"
run "expand Example 4, not provisioned" 0 "$AGENT" profile expand \
  '("$A" ne "Provisioned")? (Line_Enable_1_ = "No";)! https://p.tel.com/init-prov | https://p.tel.com/configs'
expect_in "Example 4 assignment" out 'Line_Enable_1_ = "No"'
expect_in "Example 4 first URL" out "url: https://p.tel.com:443/init-prov"
run "expand Example 4, provisioned" 0 "$AGENT" profile expand --set GPP_A=Provisioned \
  '("$A" ne "Provisioned")? (Line_Enable_1_ = "No";)! https://p.tel.com/init-prov | https://p.tel.com/configs'
expect_in "Example 4 second URL" out "url: https://p.tel.com:443/configs"
run "expand upgrade rule" 0 "$AGENT" profile expand --upgrade --swver sip68xx.11-0-0MPP-0001 \
  '($SWVER ne sip68xx.11-0-0MPP-0001)? http://ps.tell.com/sw/new.loads | http://ps.tell.com/sw/same.loads'
expect_in "upgrade rule picks the unconditional alternative" out "url: http://ps.tell.com:80/sw/same.loads"
run "expand with key from GPP_SA" 0 "$AGENT" profile expand --set GPP_SA=K3y '[--key $SA] /x.cfg'
expect_in "--key is masked by default" out "key: ********"
expect_not_in "--key value not printed by default" out "K3y"
expect_in "URL without server uses DHCP option 66" out "host: (DHCP option 66)"
run "expand --show-secrets" 0 "$AGENT" profile expand --show-secrets --set GPP_SA=K3y '[--key $SA] /x.cfg'
expect_in 'key from $SA shown on request' out "key: K3y"
run "expand trigger" 0 "$AGENT" profile expand --trigger --set PRVTMR=700 '$PRVTMR ge 600'
expect_in "trigger true" out "true"
run "expand bad --set" 2 "$AGENT" profile expand --set NOPE '/x.cfg'
run "expand upgrade rule without server" 1 "$AGENT" profile expand --upgrade '/fw.loads' 
run "expand nothing selected" 0 "$AGENT" profile expand '("$A" eq "x")? /a.cfg'
expect_in "nothing selected said" out "no alternative"
run "expand syntax error" 1 "$AGENT" profile expand '("$A" eq "x"? /a.cfg'

echo
echo "profile_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
