-- Devices and their parameters.
-- Ids and parameter names use the "C" collation: byte order, so the primary-key b-trees also
-- serve prefix searches (id LIKE 'OUI-%', name LIKE 'Device.Services.%') without a second index.

CREATE TABLE devices (
  id                 text COLLATE "C" PRIMARY KEY,   -- OUI-ProductClass-SerialNumber
  oui                text NOT NULL,
  product_class      text NOT NULL,
  serial_number      text NOT NULL,
  manufacturer       text NOT NULL DEFAULT '',
  created_at         timestamptz NOT NULL DEFAULT now(),
  last_inform_at     timestamptz,
  last_boot_at       timestamptz,
  last_bootstrap_at  timestamptz
);
-- "devices not heard from since ..." and "most recently seen" lists.
CREATE INDEX devices_last_inform_at ON devices (last_inform_at);

CREATE TABLE parameters (
  device_id     text COLLATE "C" NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  name          text COLLATE "C" NOT NULL,
  value         text,                 -- NULL: name known (GetParameterNames) but no value yet
  type          text,                 -- xsd type from the CPE (xsd:string, xsd:unsignedInt, ...)
  writable      boolean,
  notification  smallint CHECK (notification BETWEEN 0 AND 6),
  access_list   text[],
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, name)
);
-- Filter devices by a parameter value (name = X AND value = Y). Values can be longer than a
-- b-tree entry allows, so the index holds their md5; queries repeat the exact comparison.
CREATE INDEX parameters_name_value_md5 ON parameters (name, md5(value));
