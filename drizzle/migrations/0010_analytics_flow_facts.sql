-- Flow analytics (CONTRACT §7): row-level security and grants for the flow tables, the one SQL
-- function that derives an issue's flow facts from its changelog, and the back-fill of both
-- for data synced before this migration.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['statuses', 'issue_flow', 'issue_status_intervals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO app '
      'USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())', t);
    -- (SELECT …) makes the lookup an init plan: evaluated once per query, usable by indexes.
    EXECUTE format('CREATE POLICY reader_isolation ON %I FOR SELECT TO ds_reader '
      'USING (tenant_id = (SELECT app_reader_tenant()))', t);
    EXECUTE format('GRANT SELECT ON %I TO ds_reader', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO app', t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Rewrites the flow facts of the given issues (row ids) from what is stored: their changelog's
-- status changes and each status's category (`statuses`, else the issue's own current category
-- for its current status). Deleted or missing issues lose their rows. SECURITY INVOKER: it runs
-- under the caller's row-level security, so the app can only touch its own tenant's issues.
CREATE FUNCTION refresh_issue_flow(issue_ids uuid[]) RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public
  AS $$
BEGIN
  DELETE FROM issue_status_intervals WHERE issue_id = ANY (issue_ids);
  DELETE FROM issue_flow WHERE issue_id = ANY (issue_ids);

  -- One statement, one pass: the intervals are built once, inserted, and aggregated into the
  -- per-issue facts (re-reading the just-written rows would plan on stale statistics).
  WITH live AS (
    SELECT i.id, i.tenant_id, i.instance_id, i.key, i.project_key, i.issue_type, i.priority,
      i.assignee_account_id, i.created, i.status, i.status_id, i.status_category
    FROM issues i
    WHERE i.id = ANY (issue_ids) AND i.deleted_at IS NULL
  ), changes AS (
    SELECT c.issue_id, c.created AS at, t.item ->> 'from' AS from_id,
      t.item ->> 'fromString' AS from_name, t.item ->> 'to' AS to_id,
      t.item ->> 'toString' AS to_name,
      -- Chronological, ties by Jira id (numeric: shorter first), then item order.
      row_number() OVER (PARTITION BY c.issue_id
        ORDER BY c.created, length(c.jira_id), c.jira_id, t.ord) AS n
    FROM changelogs c
    JOIN live i ON i.id = c.issue_id
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE WHEN jsonb_typeof(c.items) = 'array' THEN c.items ELSE '[]'::jsonb END)
      WITH ORDINALITY AS t(item, ord)
    WHERE coalesce(t.item ->> 'fieldId', t.item ->> 'field') = 'status'
  ), steps AS (
    -- Step 0: the status the issue was created in, entered at `created`.
    SELECT i.id AS issue_id, 0::bigint AS seq, coalesce(f.from_id, i.status_id) AS status_id,
      coalesce(f.from_name, i.status) AS status, i.created AS entered
    FROM live i
    LEFT JOIN changes f ON f.issue_id = i.id AND f.n = 1
    UNION ALL
    SELECT issue_id, n, to_id, to_name, at FROM changes
  ), intervals AS (
    SELECT s.issue_id, s.seq, i.tenant_id, i.instance_id, i.project_key, s.status, s.status_id,
      coalesce(st.category,
        CASE WHEN s.status_id = i.status_id THEN i.status_category END) AS category,
      s.entered, lead(s.entered) OVER (PARTITION BY s.issue_id ORDER BY s.seq) AS left_at
    FROM steps s
    JOIN live i ON i.id = s.issue_id
    LEFT JOIN statuses st
      ON st.tenant_id = i.tenant_id AND st.instance_id = i.instance_id AND st.jira_id = s.status_id
  ), written AS (
    INSERT INTO issue_status_intervals (issue_id, seq, tenant_id, instance_id, project_key, status,
      status_id, category, entered, "left")
    SELECT issue_id, seq, tenant_id, instance_id, project_key, status, status_id, category,
      entered, left_at
    FROM intervals
  ), facts AS (
    SELECT issue_id,
      (array_agg(category ORDER BY seq DESC))[1] AS category,
      (array_agg(status ORDER BY seq))[1] AS initial_status,
      (array_agg(status_id ORDER BY seq))[1] AS initial_status_id,
      min(entered) FILTER (WHERE category = 'indeterminate') AS in_progress_at,
      max(entered) FILTER (WHERE category = 'done') AS last_done
    FROM intervals
    GROUP BY issue_id
  ), resolved AS (
    -- Resolved: the last entry into a done-category status, if the issue is in one now.
    SELECT f.*, CASE WHEN f.category = 'done' THEN f.last_done END AS resolved_at FROM facts f
  )
  INSERT INTO issue_flow (issue_id, tenant_id, instance_id, key, project_key, issue_type, priority,
    assignee_account_id, status, status_id, status_category, created, initial_status,
    initial_status_id, in_progress_at, resolved_at, lead_time_hours, cycle_time_hours)
  SELECT i.id, i.tenant_id, i.instance_id, i.key, i.project_key, i.issue_type, i.priority,
    i.assignee_account_id, i.status, i.status_id, r.category, i.created, r.initial_status,
    r.initial_status_id, r.in_progress_at, r.resolved_at,
    extract(epoch FROM r.resolved_at - i.created)::double precision / 3600,
    extract(epoch FROM r.resolved_at - r.in_progress_at)::double precision / 3600
  FROM live i
  JOIN resolved r ON r.issue_id = i.id;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION refresh_issue_flow(uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION refresh_issue_flow(uuid[]) TO app;
--> statement-breakpoint
-- Back-fill for data synced before this migration. The migration runs as ds_owner, whom the
-- forced policies would show no rows: lift FORCE for the back-fill only, in this transaction.
ALTER TABLE issues NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE changelogs NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE statuses NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE issue_flow NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE issue_status_intervals NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- What the mirror already knows of each status: the category of the issues now in it.
INSERT INTO statuses (tenant_id, instance_id, jira_id, name, category)
SELECT DISTINCT ON (tenant_id, instance_id, status_id) tenant_id, instance_id, status_id,
  coalesce(status, status_id), status_category
FROM issues
WHERE status_id IS NOT NULL AND deleted_at IS NULL
ORDER BY tenant_id, instance_id, status_id, updated DESC
ON CONFLICT DO NOTHING;
--> statement-breakpoint
SELECT refresh_issue_flow(array_agg(id)) FROM issues WHERE deleted_at IS NULL;
--> statement-breakpoint
ALTER TABLE issues FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE changelogs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE statuses FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE issue_flow FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE issue_status_intervals FORCE ROW LEVEL SECURITY;
