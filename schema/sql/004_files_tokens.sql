-- Metadata of files served to devices (firmware, configuration, CA files; the bytes live in the
-- file store) and the NBI's API tokens.

CREATE TABLE files (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name           text NOT NULL UNIQUE,
  file_type      text NOT NULL,      -- TR-069 FileType: "1 Firmware Upgrade Image", ...
  oui            text NOT NULL DEFAULT '',
  product_class  text NOT NULL DEFAULT '',
  version        text NOT NULL DEFAULT '',
  size           bigint NOT NULL CHECK (size >= 0),
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a token is stored; the token itself is shown once, at creation.
CREATE TABLE api_tokens (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_sha256  bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
  scope         text NOT NULL CHECK (scope IN ('admin', 'read')),
  description   text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now()
);
