-- Per-tenant budgets of their own (AI calls), counted like the request limits (0007): a sliding
-- minute in rate_counters, exact in every mode, with or without Upstash. The bucket is always
-- prefixed with the caller's own tenant, so no caller can spend another tenant's budget.
CREATE FUNCTION ds_tenant_limit(p_name text, p_limit integer) RETURNS json
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  tenant_id text := nullif(current_setting('app.tenant_id', true), '');
  now_at timestamptz := clock_timestamp();
  window_at timestamptz := date_trunc('minute', now_at);
  elapsed float8 := extract(epoch FROM now_at - window_at);
  v_bucket text;
  v_used integer;
BEGIN
  IF tenant_id IS NULL THEN
    RAISE EXCEPTION 'ds_tenant_limit needs the tenant scope';
  END IF;
  PERFORM set_config('synchronous_commit', 'off', true);
  v_bucket := 'n:' || tenant_id || ':' || p_name;
  v_used := ds_rate_hit(v_bucket, window_at, 1 - elapsed / 60);
  IF v_used > p_limit THEN
    UPDATE rate_counters c SET hits = c.hits - 1
     WHERE c.window_start = window_at AND c.bucket = v_bucket;
  END IF;
  RETURN json_build_object('allowed', v_used <= p_limit, 'limit', p_limit,
    'remaining', greatest(0, p_limit - v_used), 'resetSeconds', greatest(1, ceil(60 - elapsed)));
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ds_tenant_limit(text, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ds_tenant_limit(text, integer) TO app;
