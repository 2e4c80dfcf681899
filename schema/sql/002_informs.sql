-- Inform history: one row per Inform, one row per event it carried.

CREATE TABLE informs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id    text COLLATE "C" NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  received_at  timestamptz NOT NULL,
  cpe_time     timestamptz,          -- the Inform's CurrentTime, NULL for the unknown time
  retry_count  integer NOT NULL DEFAULT 0
);
CREATE INDEX informs_device_received ON informs (device_id, received_at DESC);
-- Pruning old history.
CREATE INDEX informs_received_at ON informs (received_at);

CREATE TABLE inform_events (
  inform_id    bigint NOT NULL REFERENCES informs (id) ON DELETE CASCADE,
  position     smallint NOT NULL,
  code         text NOT NULL,        -- "0 BOOTSTRAP", "M Download", "X 000E08 ..."
  command_key  text NOT NULL DEFAULT '',
  PRIMARY KEY (inform_id, position)
);
