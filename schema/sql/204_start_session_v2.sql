-- acs_start_session, second version (docs/acs-serve.md, "Database work per session"; figures
-- in docs/benchmarks.md). Compared with migration 202:
--
-- * one more argument, p_default_username: acsd accepted the CPE with its default credentials
--   (--cpe-username/--cpe-password) without asking the database first. Per-device credentials
--   (device_credentials) take precedence over the default ones, so the function first checks
--   that the username has none; when it has, nothing is written and own_credentials is true
--   (acsd then authenticates the request against them and calls again with NULL). This
--   saves the credentials round trip of every session that uses the default credentials,
--   with the same outcome as looking them up first.
-- * the reported parameter values are looked up once: one primary-key probe per name finds
--   the stored row; only the changed names are looked up again to be rewritten, and only
--   names the device has never reported are inserted. Migration 202 probed every name twice
--   (an UPDATE joined on the names, then INSERT ... ON CONFLICT DO NOTHING for all of them):
--   about 70 fewer buffer accesses per 20-parameter Inform. Unchanged values are still
--   neither rewritten nor locked, so parameters.updated_at stays the time the value (or
--   type) last changed;
-- * the Inform's history row and its events are written by one statement.
--
-- Unchanged: the lease is taken first and nothing is written when it is not granted; one
-- transaction, committed by the caller (synchronous_commit stays on). The 18-argument
-- function of migration 202 stays, as a wrapper (p_default_username NULL), for an older acsd
-- still running against the upgraded database.
CREATE FUNCTION acs_start_session(
    p_device_id text, p_owner text, p_session_id text, p_now_us bigint, p_expires_us bigint,
    p_oui text, p_product_class text, p_serial_number text, p_manufacturer text,
    p_boot boolean, p_bootstrap boolean, p_cpe_time_us bigint, p_retry_count integer,
    p_event_codes text[], p_event_keys text[],
    p_names text[], p_values text[], p_types text[], p_default_username text,
    OUT acquired boolean, OUT holder_expires_us bigint, OUT device_known boolean,
    OUT own_credentials boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := timestamptz 'epoch' + p_now_us * interval '1 microsecond';
  v_inserted boolean;
BEGIN
  own_credentials := p_default_username IS NOT NULL
    AND EXISTS (SELECT 1 FROM device_credentials WHERE username = p_default_username);
  IF own_credentials THEN
    acquired := false;
    device_known := false;
    RETURN;
  END IF;

  INSERT INTO cwmp_sessions AS s (device_id, owner, session_id, started_at, expires_at)
  VALUES (p_device_id, p_owner, p_session_id, v_now,
          timestamptz 'epoch' + p_expires_us * interval '1 microsecond')
  ON CONFLICT (device_id) DO UPDATE SET owner = EXCLUDED.owner,
    session_id = EXCLUDED.session_id, started_at = EXCLUDED.started_at,
    expires_at = EXCLUDED.expires_at
  WHERE s.expires_at <= v_now OR s.owner = EXCLUDED.owner;
  acquired := FOUND;
  IF NOT acquired THEN
    SELECT (extract(epoch FROM s.expires_at) * 1000000)::bigint INTO holder_expires_us
      FROM cwmp_sessions s WHERE s.device_id = p_device_id;
    device_known := false;
    RETURN;
  END IF;

  INSERT INTO devices AS d (id, oui, product_class, serial_number, manufacturer, created_at,
                            last_inform_at, last_boot_at, last_bootstrap_at)
  VALUES (p_device_id, p_oui, p_product_class, p_serial_number, p_manufacturer, v_now, v_now,
          CASE WHEN p_boot THEN v_now END, CASE WHEN p_bootstrap THEN v_now END)
  ON CONFLICT (id) DO UPDATE SET manufacturer = EXCLUDED.manufacturer,
    last_inform_at = EXCLUDED.last_inform_at,
    last_boot_at = coalesce(EXCLUDED.last_boot_at, d.last_boot_at),
    last_bootstrap_at = coalesce(EXCLUDED.last_bootstrap_at, d.last_bootstrap_at)
  RETURNING (xmax = 0) INTO v_inserted;
  device_known := NOT v_inserted;

  WITH i AS (
    INSERT INTO informs (device_id, received_at, cpe_time, retry_count)
    VALUES (p_device_id, v_now,
            timestamptz 'epoch' + p_cpe_time_us * interval '1 microsecond', p_retry_count)
    RETURNING id)
  INSERT INTO inform_events (inform_id, position, code, command_key)
  SELECT i.id, (e.ord - 1)::smallint, e.code, e.key
  FROM i, unnest(p_event_codes, p_event_keys) WITH ORDINALITY AS e(code, key, ord);

  -- The caller passes each name once. The session lease makes this the device's only writer
  -- of Inform values; ON CONFLICT DO NOTHING only guards against a concurrent NBI or session
  -- write of a brand-new name (the stored value then wins until the next Inform).
  WITH v AS (
    SELECT v.name, v.value, v.type, p.name IS NOT NULL AS stored,
           (p.value IS DISTINCT FROM v.value OR p.type IS DISTINCT FROM v.type) AS changed
    FROM unnest(p_names, p_values, p_types) AS v(name, value, type)
    LEFT JOIN parameters p ON p.device_id = p_device_id AND p.name = v.name),
  changed AS (
    -- By key, not by the row's tuple id: a concurrent writer's newer row version is then
    -- found and rechecked (READ COMMITTED), never silently skipped.
    UPDATE parameters AS p SET value = v.value, type = v.type, updated_at = v_now
    FROM v
    WHERE v.stored AND v.changed AND p.device_id = p_device_id AND p.name = v.name
      AND (p.value IS DISTINCT FROM v.value OR p.type IS DISTINCT FROM v.type))
  INSERT INTO parameters (device_id, name, value, type, updated_at)
  SELECT p_device_id, v.name, v.value, v.type, v_now FROM v WHERE NOT v.stored
  ON CONFLICT (device_id, name) DO NOTHING;
END
$$;

CREATE OR REPLACE FUNCTION acs_start_session(
    p_device_id text, p_owner text, p_session_id text, p_now_us bigint, p_expires_us bigint,
    p_oui text, p_product_class text, p_serial_number text, p_manufacturer text,
    p_boot boolean, p_bootstrap boolean, p_cpe_time_us bigint, p_retry_count integer,
    p_event_codes text[], p_event_keys text[],
    p_names text[], p_values text[], p_types text[],
    OUT acquired boolean, OUT holder_expires_us bigint, OUT device_known boolean)
LANGUAGE sql AS $$
  SELECT s.acquired, s.holder_expires_us, s.device_known
  FROM acs_start_session(p_device_id, p_owner, p_session_id, p_now_us, p_expires_us, p_oui,
                         p_product_class, p_serial_number, p_manufacturer, p_boot,
                         p_bootstrap, p_cpe_time_us, p_retry_count, p_event_codes,
                         p_event_keys, p_names, p_values, p_types, NULL) AS s
$$;
