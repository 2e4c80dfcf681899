#!/bin/sh
# Registers many devices directly in the ACS database, as acs-load --register would (the same
# ids, DeviceId, 20 parameters with the same names and per-device values, one bootstrap Inform
# with "0 BOOTSTRAP" + "1 BOOT"), but with INSERT ... SELECT from generate_series, in batches of
# 100,000 devices per transaction: 1,000,000 devices take minutes instead of an hour of
# sessions. Used for the ACS scale figure in docs/benchmarks.md.
#
#   tests/bench/acs_load/seed_devices.sh DATABASE_URL FIRST COUNT
#   e.g. seed_devices.sh postgresql://postgres@127.0.0.1:55432/acs 10000 990000
#
# The database must be migrated (acsd migrate). Device i gets the id
# 000E08-CP-6861-3PCC-LD<i as 8 digits>; existing devices are left alone (ON CONFLICT DO NOTHING).
set -eu
if [ $# -ne 3 ] || [ "$1" = "--help" ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  [ "${1:-}" = "--help" ] && exit 0
  exit 2
fi
url=$1 first=$2 count=$3
batch=100000
i=$first
end=$((first + count))
while [ "$i" -lt "$end" ]; do
  last=$((i + batch - 1))
  [ "$last" -ge "$end" ] && last=$((end - 1))
  psql -q -v ON_ERROR_STOP=1 -v lo="$i" -v hi="$last" "$url" <<'SQL'
BEGIN;
CREATE TEMP TABLE seed ON COMMIT DROP AS
SELECT i,
       'LD' || lpad(i::text, 8, '0') AS sn,
       '000E08-CP-6861-3PCC-LD' || lpad(i::text, 8, '0') AS id,
       '10.' || ((i >> 16) & 255) || '.' || ((i >> 8) & 255) || '.' || (i & 255) AS ip,
       '00:0e:08:' || lpad(to_hex((i >> 16) & 255), 2, '0') || ':' ||
         lpad(to_hex((i >> 8) & 255), 2, '0') || ':' || lpad(to_hex(i & 255), 2, '0') AS mac
FROM generate_series(:lo::bigint, :hi::bigint) AS i;

INSERT INTO devices (id, oui, product_class, serial_number, manufacturer, created_at,
                     last_inform_at, last_boot_at, last_bootstrap_at)
SELECT id, '000E08', 'CP-6861-3PCC', sn, 'Cisco Systems, Inc.', now(), now(), now(), now()
FROM seed ON CONFLICT (id) DO NOTHING;

WITH inf AS (
  INSERT INTO informs (device_id, received_at, cpe_time, retry_count)
  SELECT id, now(), now(), 0 FROM seed RETURNING id)
INSERT INTO inform_events (inform_id, position, code, command_key)
SELECT inf.id, e.pos, e.code, '' FROM inf, (VALUES (0, '0 BOOTSTRAP'), (1, '1 BOOT')) AS e(pos, code);

INSERT INTO parameters (device_id, name, value, type, updated_at)
SELECT s.id, p.name, p.value, p.type, now()
FROM seed s, LATERAL (VALUES
  ('Device.RootDataModelVersion', '2.12', 'xsd:string'),
  ('Device.DeviceInfo.Manufacturer', 'Cisco Systems, Inc.', 'xsd:string'),
  ('Device.DeviceInfo.ManufacturerOUI', '000E08', 'xsd:string'),
  ('Device.DeviceInfo.ModelName', 'CP-6861-3PCC', 'xsd:string'),
  ('Device.DeviceInfo.Description', 'Cisco IP Phone 6861 Multiplatform', 'xsd:string'),
  ('Device.DeviceInfo.ProductClass', 'CP-6861-3PCC', 'xsd:string'),
  ('Device.DeviceInfo.SerialNumber', s.sn, 'xsd:string'),
  ('Device.DeviceInfo.HardwareVersion', 'V04', 'xsd:string'),
  ('Device.DeviceInfo.SoftwareVersion', 'sip68xx.12-0-1MPP-12', 'xsd:string'),
  ('Device.DeviceInfo.ProvisioningCode', 'carrier-a', 'xsd:string'),
  ('Device.DeviceInfo.UpTime', (3600 + (s.i * 7919) % 864000)::text, 'xsd:unsignedInt'),
  ('Device.DeviceInfo.MemoryStatus.Free', '40000000', 'xsd:unsignedInt'),
  ('Device.Time.CurrentLocalTime', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'xsd:dateTime'),
  ('Device.ManagementServer.ConnectionRequestURL', 'http://' || s.ip || ':7547/cr/' || s.sn, 'xsd:string'),
  ('Device.ManagementServer.ParameterKey', 'prov-2026-11', 'xsd:string'),
  ('Device.ManagementServer.PeriodicInformEnable', 'true', 'xsd:boolean'),
  ('Device.ManagementServer.PeriodicInformInterval', '3600', 'xsd:unsignedInt'),
  ('Device.ManagementServer.UDPConnectionRequestAddress', s.ip || ':7547', 'xsd:string'),
  ('Device.IP.Interface.1.IPv4Address.1.IPAddress', s.ip, 'xsd:string'),
  ('Device.Ethernet.Interface.1.MACAddress', s.mac, 'xsd:string')
) AS p(name, value, type)
ON CONFLICT (device_id, name) DO NOTHING;
COMMIT;
SQL
  echo "seeded devices $i..$last" >&2
  i=$((last + 1))
done
psql -q -v ON_ERROR_STOP=1 "$url" -c "ANALYZE devices; ANALYZE parameters; ANALYZE informs; ANALYZE inform_events;"
