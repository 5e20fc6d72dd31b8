-- AI provider settings are a tenant's own: visible and writable to `app` only for the tenant in
-- `app.tenant_id`. ds_reader (the SQL interface) gets no grant: the table holds key ciphertext.
ALTER TABLE ai_providers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ai_providers FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON ai_providers TO app
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
REVOKE ALL ON ai_providers FROM ds_reader, ds_system;
--> statement-breakpoint
-- Similar-issue search compares summaries by trigram similarity (pg_trgm is a trusted extension:
-- the database owner role may create it; Neon ships it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS issues_summary_trgm_idx ON issues USING gin (summary gin_trgm_ops)
  WHERE deleted_at IS NULL;
