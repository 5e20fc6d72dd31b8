-- One round trip per read: the API-key check, the tenant scope and the rate-limit count travel in
-- the same non-interactive transaction as the read itself (Neon's SQL-over-HTTP batch):
--   SET ROLE ds_system; SELECT ds_authorize(hash, scope, …); SET ROLE app; <reads>; SELECT ds_count_request()
-- ds_authorize sets app.tenant_id only for a live key with the scope, so a bad key reads nothing.
-- Counting comes last so the counter rows are locked only for the instant before COMMIT.

-- Sliding-window counters (per minute, weighted by the previous minute as Upstash's slidingWindow
-- does). UNLOGGED: counts need no WAL and may be lost in a crash; they are exact while up.
CREATE UNLOGGED TABLE rate_counters (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
--> statement-breakpoint
REVOKE ALL ON rate_counters FROM PUBLIC, app, ds_system, ds_reader;
--> statement-breakpoint
COMMENT ON TABLE rate_counters IS 'API request counts per key and tenant per minute; only the security-definer functions touch it.';
--> statement-breakpoint
-- The functions below run as ds_owner, which FORCE ROW LEVEL SECURITY binds too.
CREATE POLICY owner_read ON api_keys FOR SELECT TO ds_owner USING (true);
--> statement-breakpoint
CREATE POLICY owner_read ON tenants FOR SELECT TO ds_owner USING (true);
--> statement-breakpoint
CREATE FUNCTION ds_authorize(p_key_hash text, p_scope text, p_default_tenant_limit integer,
    p_statement_timeout_ms integer)
  RETURNS json LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  k record;
BEGIN
  PERFORM set_config('statement_timeout', p_statement_timeout_ms || 'ms', true);
  SELECT a.id, a.tenant_id, a.scopes, a.rate_limit_per_minute AS key_limit,
         coalesce(t.rate_limit_per_minute, p_default_tenant_limit) AS tenant_limit
    INTO k
    FROM api_keys a JOIN tenants t ON t.id = a.tenant_id
   WHERE a.key_hash = p_key_hash AND a.revoked_at IS NULL;
  IF NOT FOUND THEN
    RETURN json_build_object('status', 'unauthorized');
  END IF;
  IF p_scope IS NOT NULL AND NOT (p_scope = ANY (k.scopes)) THEN
    RETURN json_build_object('status', 'forbidden', 'tenantId', k.tenant_id, 'apiKeyId', k.id,
      'scopes', k.scopes);
  END IF;
  PERFORM set_config('app.tenant_id', k.tenant_id::text, true);
  PERFORM set_config('app.api_key_id', k.id::text, true);
  PERFORM set_config('app.key_limit', k.key_limit::text, true);
  PERFORM set_config('app.tenant_limit', k.tenant_limit::text, true);
  RETURN json_build_object('status', 'ok', 'tenantId', k.tenant_id, 'apiKeyId', k.id,
    'scopes', k.scopes, 'keyLimit', k.key_limit, 'tenantLimit', k.tenant_limit);
END
$$;
--> statement-breakpoint
-- One hit on a bucket: the sliding-window estimate after it (whole previous-minute hits weighted
-- by how much of that minute the window still covers, rounded down).
CREATE FUNCTION ds_rate_hit(p_bucket text, p_window timestamptz, p_weight float8)
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  current_hits integer;
  previous_hits integer;
BEGIN
  INSERT INTO rate_counters AS c (bucket, window_start, hits) VALUES (p_bucket, p_window, 1)
  ON CONFLICT (bucket, window_start) DO UPDATE SET hits = c.hits + 1
  RETURNING hits INTO current_hits;
  SELECT hits INTO previous_hits FROM rate_counters
   WHERE bucket = p_bucket AND window_start = p_window - interval '1 minute';
  RETURN current_hits + floor(coalesce(previous_hits, 0) * p_weight)::integer;
END
$$;
--> statement-breakpoint
CREATE FUNCTION ds_count_request() RETURNS json
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  key_id text := nullif(current_setting('app.api_key_id', true), '');
  tenant_id text := nullif(current_setting('app.tenant_id', true), '');
  key_limit integer := nullif(current_setting('app.key_limit', true), '')::integer;
  tenant_limit integer := nullif(current_setting('app.tenant_limit', true), '')::integer;
  now_at timestamptz := clock_timestamp();
  window_at timestamptz := date_trunc('minute', now_at);
  elapsed float8 := extract(epoch FROM now_at - window_at);
  key_used integer;
  tenant_used integer;
  allowed boolean;
BEGIN
  IF key_id IS NULL OR tenant_id IS NULL THEN
    RETURN NULL;
  END IF;
  -- Losing the last counts in a crash is acceptable; waiting for a WAL flush per read is not.
  PERFORM set_config('synchronous_commit', 'off', true);
  key_used := ds_rate_hit('k:' || key_id, window_at, 1 - elapsed / 60);
  tenant_used := ds_rate_hit('t:' || tenant_id, window_at, 1 - elapsed / 60);
  allowed := key_used <= key_limit AND tenant_used <= tenant_limit;
  IF NOT allowed THEN
    -- A refused request does not use up the allowance.
    UPDATE rate_counters SET hits = hits - 1
     WHERE window_start = window_at AND bucket IN ('k:' || key_id, 't:' || tenant_id);
  END IF;
  IF random() < 0.002 THEN
    DELETE FROM rate_counters WHERE window_start < window_at - interval '2 minutes';
  END IF;
  RETURN json_build_object('allowed', allowed, 'resetSeconds', greatest(1, ceil(60 - elapsed)),
    'key', json_build_object('limit', key_limit, 'used', least(key_used, key_limit + 1)),
    'tenant', json_build_object('limit', tenant_limit, 'used', least(tenant_used, tenant_limit + 1)));
END
$$;
--> statement-breakpoint
-- For requests that are not a single read (writes, SQL, MCP): check and count in one statement.
CREATE FUNCTION ds_authenticate(p_key_hash text, p_default_tenant_limit integer,
    p_statement_timeout_ms integer)
  RETURNS json LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  identity json := ds_authorize(p_key_hash, NULL, p_default_tenant_limit, p_statement_timeout_ms);
BEGIN
  IF identity->>'status' <> 'ok' THEN
    RETURN identity;
  END IF;
  RETURN (identity::jsonb || jsonb_build_object('limits', ds_count_request()))::json;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ds_authorize(text, text, integer, integer), ds_rate_hit(text, timestamptz, float8),
  ds_count_request(), ds_authenticate(text, integer, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ds_authorize(text, text, integer, integer), ds_authenticate(text, integer, integer)
  TO ds_system;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ds_count_request() TO app;
