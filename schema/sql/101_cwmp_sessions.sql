-- The session engine (acsd serve): one live CWMP session per device across every acsd process,
-- per-device CPE credentials, and transfer tasks waiting for their TransferComplete.

-- A lease on a device's session. The process holding it keeps the session's state in memory
-- and renews expires_at on every request; a crashed process's lease simply runs out.
-- No foreign key: the lease is taken before the device's first Inform is stored.
CREATE TABLE cwmp_sessions (
  device_id   text COLLATE "C" PRIMARY KEY,
  owner       text NOT NULL,       -- random id of the acsd process (SessionManager)
  session_id  text NOT NULL,       -- the session cookie's value
  started_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX cwmp_sessions_owner ON cwmp_sessions (owner);

-- Credentials a CPE presents to the ACS (ManagementServer.Username/Password); devices without
-- a row use the configured default credentials. The password is needed in clear text for
-- HTTP Digest.
CREATE TABLE device_credentials (
  device_id   text COLLATE "C" PRIMARY KEY,
  username    text NOT NULL UNIQUE,
  password    text NOT NULL
);

-- Download/Upload/ScheduleDownload tasks whose RPC the CPE accepted: still pending until the
-- TransferComplete arrives, but not to be sent again.
ALTER TABLE tasks ADD COLUMN awaiting_transfer boolean NOT NULL DEFAULT false;
