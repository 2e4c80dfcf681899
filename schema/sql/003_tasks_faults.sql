-- Work queued for devices (by the NBI, the UI or provisioning) and the faults it produced.

CREATE TABLE tasks (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id     text COLLATE "C" NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  name          text NOT NULL,       -- what to do: "getParameterValues", "download", ...
  args          jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'done', 'fault', 'expired')),
  attempts      integer NOT NULL DEFAULT 0,
  result        jsonb,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  expires_at    timestamptz
);
-- The session engine's question: the oldest pending task of this device. Partial, so it stays
-- small however many finished tasks are kept.
CREATE INDEX tasks_pending_by_device ON tasks (device_id, id) WHERE status = 'pending';
CREATE INDEX tasks_pending_expiry ON tasks (expires_at)
  WHERE status = 'pending' AND expires_at IS NOT NULL;
CREATE INDEX tasks_device ON tasks (device_id, id);

CREATE TABLE faults (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id   text COLLATE "C" NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  task_id     bigint REFERENCES tasks (id) ON DELETE SET NULL,
  code        integer NOT NULL,      -- CWMP fault code (9005, ...) or an ACS-side 8xxx code
  message     text NOT NULL DEFAULT '',
  detail      jsonb,
  created_at  timestamptz NOT NULL
);
CREATE INDEX faults_device ON faults (device_id, created_at DESC);
CREATE INDEX faults_task ON faults (task_id) WHERE task_id IS NOT NULL;
