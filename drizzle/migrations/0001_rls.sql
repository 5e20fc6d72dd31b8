-- Row-level security: every tenant-owned table is visible to `app` (and the SQL reader) only for
-- the tenant in `app.tenant_id`, a transaction-local setting made by the database helper.
-- FORCE applies the policies to the table owner too.
CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO app, ds_system, ds_reader;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_current_tenant() TO app, ds_system, ds_reader;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['api_keys', 'jira_instances', 'projects', 'users', 'custom_fields',
    'issues', 'comments', 'changelogs', 'issue_links', 'sync_watermarks', 'audit_log',
    'idempotency_keys', 'dead_letters'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I TO app, ds_reader '
      'USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())', t);
  END LOOP;
END
$$;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants TO app, ds_reader
  USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());
--> statement-breakpoint
-- ds_system: read-only, cross-tenant, and only the tables and columns its lookups need.
GRANT SELECT (id, tenant_id, key_hash, scopes, rate_limit_per_minute, revoked_at) ON api_keys TO ds_system;
--> statement-breakpoint
GRANT SELECT (id, tenant_id) ON jira_instances TO ds_system;
--> statement-breakpoint
GRANT SELECT ON dead_letters, sync_watermarks TO ds_system;
--> statement-breakpoint
CREATE POLICY system_read ON api_keys FOR SELECT TO ds_system USING (true);
--> statement-breakpoint
CREATE POLICY system_read ON jira_instances FOR SELECT TO ds_system USING (true);
--> statement-breakpoint
CREATE POLICY system_read ON dead_letters FOR SELECT TO ds_system USING (true);
--> statement-breakpoint
CREATE POLICY system_read ON sync_watermarks FOR SELECT TO ds_system USING (true);
