-- The SQL interface (POST /v1/sql): what ds_reader may read, and the guard that keeps a caller's
-- query inside its own tenant.
--
-- Why not `app.tenant_id`, as for app: the caller's query can call set_config() itself, and
-- built-ins such as query_to_xml() and ts_stat() plan SQL text while the query runs, so
--   select set_config('app.tenant_id', '<other>', false), query_to_xml('select * from issues', …)
-- would read another tenant under a policy that reads the setting. Nor is ds_reader's lack of
-- membership in app enough: set_config('role', …) checks the *session* user (the Worker's login,
-- a member of app and ds_system), so the same query could become app or ds_system, or (role
-- 'none') the login, which sees the other sessions' queries in pg_stat_activity.
--
-- The guard, in two parts the caller's query cannot undo:
-- 1. The tenant comes from `reader_guards`, not from a setting. The Worker, as app, inserts one
--    row per reader transaction keyed by the transaction's id (its policy checks: app's own tenant,
--    this transaction), then makes the transaction read-only and drops to ds_reader. ds_reader
--    cannot write the table, a read-only transaction cannot turn read-write again once it has run
--    a query, an uncommitted row is visible to its own transaction only (the Worker always rolls
--    back) and transaction ids never repeat. ds_reader's policies compare tenant_id with that row
--    (`app_reader_tenant()`): outside such a transaction it sees nothing, and no policy that reads
--    `app.tenant_id` applies to it any more.
-- 2. The role cannot change. The Worker declares the caller's query as a cursor (planned as
--    ds_reader; the extended protocol and DECLARE accept exactly one SELECT, VALUES or TABLE) and
--    fetches it inside a SECURITY DEFINER function owned by ds_reader, created per transaction in
--    pg_temp (src/infrastructure/db/sql-reader.ts). Postgres refuses to set `role` or
--    `session_authorization` inside a security-definer function, so everything the query runs,
--    nested SQL included, runs as ds_reader.
CREATE TABLE reader_guards (
  xact_id xid8 PRIMARY KEY,
  tenant_id uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE reader_guards ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE reader_guards FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON reader_guards FROM PUBLIC, app, ds_system, ds_reader;
--> statement-breakpoint
GRANT INSERT ON reader_guards TO app;
--> statement-breakpoint
CREATE POLICY open_reader_guard ON reader_guards FOR INSERT TO app
  WITH CHECK (tenant_id = app_current_tenant() AND xact_id = pg_current_xact_id());
--> statement-breakpoint
-- Only app_reader_tenant() reads the table (as its owner), and only the current transaction's row.
CREATE POLICY read_own_guard ON reader_guards FOR SELECT TO ds_owner
  USING (xact_id = pg_current_xact_id_if_assigned());
--> statement-breakpoint
-- NULL outside a reader transaction. SECURITY DEFINER: ds_reader may call it, not read the table.
CREATE FUNCTION app_reader_tenant() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT tenant_id FROM public.reader_guards WHERE xact_id = pg_current_xact_id_if_assigned() $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_reader_tenant() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_reader_tenant() TO ds_reader;
--> statement-breakpoint
DO $$
DECLARE
  p record;
  t text;
BEGIN
  -- The setting-based policies stay for app only.
  FOR p IN SELECT tablename FROM pg_policies
    WHERE schemaname = 'public' AND policyname = 'tenant_isolation' AND 'ds_reader' = ANY (roles) LOOP
    EXECUTE format('ALTER POLICY tenant_isolation ON %I TO app', p.tablename);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['projects', 'users', 'custom_fields', 'issues', 'comments',
    'changelogs', 'issue_links', 'sync_watermarks'] LOOP
    -- (SELECT …) makes the lookup an init plan: evaluated once per query, usable by indexes.
    EXECUTE format('CREATE POLICY reader_isolation ON %I FOR SELECT TO ds_reader '
      'USING (tenant_id = (SELECT app_reader_tenant()))', t);
    EXECUTE format('GRANT SELECT ON %I TO ds_reader', t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Friendly views. security_invoker: the caller's privileges and row-level security apply to the
-- tables beneath; security_barrier: a caller's functions never see rows the view filters out.
CREATE VIEW v_issues WITH (security_invoker = true, security_barrier = true) AS
SELECT i.id, i.instance_id, i.key, i.project_key, p.name AS project_name, i.summary,
  i.description_text, i.status, i.status_category, i.issue_type, i.is_subtask, i.priority,
  i.assignee_account_id, a.display_name AS assignee_name, i.reporter_account_id,
  r.display_name AS reporter_name, i.labels, i.components, i.fix_versions, i.parent_key,
  i.resolution, i.created, i.updated, i.resolved, i.custom_fields, i.comments_count,
  i.changelog_count
FROM issues i
LEFT JOIN projects p
  ON p.tenant_id = i.tenant_id AND p.instance_id = i.instance_id AND p.key = i.project_key
LEFT JOIN users a
  ON a.tenant_id = i.tenant_id AND a.instance_id = i.instance_id AND a.account_id = i.assignee_account_id
LEFT JOIN users r
  ON r.tenant_id = i.tenant_id AND r.instance_id = i.instance_id AND r.account_id = i.reporter_account_id
WHERE i.deleted_at IS NULL;
--> statement-breakpoint
CREATE VIEW v_status_transitions WITH (security_invoker = true, security_barrier = true) AS
SELECT c.instance_id, c.issue_id, i.key AS issue_key, i.project_key,
  item ->> 'fromString' AS from_status, item ->> 'toString' AS to_status,
  item ->> 'from' AS from_status_id, item ->> 'to' AS to_status_id,
  c.created AS transitioned_at, c.author_account_id
FROM changelogs c
JOIN issues i ON i.id = c.issue_id AND i.tenant_id = c.tenant_id AND i.deleted_at IS NULL
CROSS JOIN LATERAL jsonb_array_elements(
  CASE WHEN jsonb_typeof(c.items) = 'array' THEN c.items ELSE '[]'::jsonb END) AS item
WHERE coalesce(item ->> 'fieldId', item ->> 'field') = 'status';
--> statement-breakpoint
CREATE VIEW v_comments WITH (security_invoker = true, security_barrier = true) AS
SELECT c.id, c.instance_id, c.issue_id, i.key AS issue_key, c.author_account_id,
  u.display_name AS author_name, c.body_text, c.created, c.updated
FROM comments c
JOIN issues i ON i.id = c.issue_id AND i.tenant_id = c.tenant_id AND i.deleted_at IS NULL
LEFT JOIN users u
  ON u.tenant_id = c.tenant_id AND u.instance_id = c.instance_id AND u.account_id = c.author_account_id;
--> statement-breakpoint
GRANT SELECT ON v_issues, v_status_transitions, v_comments TO ds_reader;
--> statement-breakpoint
-- The default privileges gave app writes on every new relation; views are read through.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
  ON v_issues, v_status_transitions, v_comments FROM app;
