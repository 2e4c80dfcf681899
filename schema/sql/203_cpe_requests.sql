-- Requests a CPE makes of the ACS besides the Inform, kept as device history (GET
-- /devices/{id}/events): today RequestDownload. When a file of the requested FileType is
-- registered for the device (files: same OUI or any, same ProductClass or any) and has a URL,
-- the ACS queues a download task for it; task_id names that task.

-- Where devices fetch a registered file from ('' = not downloadable by URL yet).
ALTER TABLE files ADD COLUMN url text NOT NULL DEFAULT '';
-- The RequestDownload lookup: files of one type.
CREATE INDEX files_file_type ON files (file_type);

CREATE TABLE cpe_requests (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id    text COLLATE "C" NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  received_at  timestamptz NOT NULL,
  method       text NOT NULL,       -- "RequestDownload"
  file_type    text NOT NULL DEFAULT '',
  args         jsonb NOT NULL DEFAULT '{}',  -- FileTypeArg name -> value
  file_name    text,                -- the registered file chosen, NULL when none matched
  task_id      bigint REFERENCES tasks (id) ON DELETE SET NULL
);
CREATE INDEX cpe_requests_device ON cpe_requests (device_id, received_at DESC);
