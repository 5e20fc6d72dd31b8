-- JQL over the mirror (src/application/issues/jql). The view adds to issues_live the fields JQL
-- searches that have no column of their own (creator, due date, affects versions), read from the
-- stored Jira JSON. Same security shape as issues_live (migration 0003): tenant-scoped by its own
-- WHERE so GIN indexes stay usable, readable by the Worker's role only, never by ds_reader.
CREATE VIEW jql_issues AS
SELECT i.id, i.tenant_id, i.instance_id, i.jira_id, i.key, i.project_key, i.project_id, i.summary,
  i.status, i.status_category, i.issue_type, i.priority, i.resolution, i.assignee_account_id,
  i.reporter_account_id, i.raw -> 'fields' -> 'creator' ->> 'accountId' AS creator_account_id,
  i.labels, i.components, i.fix_versions,
  coalesce(ARRAY(SELECT v ->> 'name' FROM jsonb_array_elements(
    CASE WHEN jsonb_typeof(i.raw -> 'fields' -> 'versions') = 'array'
      THEN i.raw -> 'fields' -> 'versions' ELSE '[]'::jsonb END) v), '{}') AS affected_versions,
  i.parent_key, i.created, i.updated, i.resolved,
  CASE WHEN i.raw -> 'fields' ->> 'duedate' ~ '^\d{4}-\d{2}-\d{2}$'
    THEN (i.raw -> 'fields' ->> 'duedate')::date END AS due,
  i.custom_fields, i.comments_count, i.changelog_count, i.search_vector
FROM issues i
WHERE i.tenant_id = app_current_tenant() AND i.deleted_at IS NULL;
--> statement-breakpoint
REVOKE ALL ON jql_issues FROM PUBLIC, ds_reader, ds_system;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON jql_issues FROM app;
--> statement-breakpoint
GRANT SELECT ON jql_issues TO app;
--> statement-breakpoint
COMMENT ON VIEW jql_issues IS 'The current tenant''s live issues as JQL searches them. Tenant-scoped by its own WHERE, not by RLS: never grant it to ds_reader.';
--> statement-breakpoint
-- The periods during which one field of one issue held each value, from its changelog: the value
-- a change set holds from that change until the next change of the field; the first change's
-- `from` held since the issue was created; with no change, the current value since created.
-- `by_id` picks account ids (users) instead of display strings. SECURITY INVOKER: the caller's
-- row-level security applies to the changelog it reads.
CREATE FUNCTION jql_field_periods(
  p_issue uuid, p_field text, p_created timestamptz, p_current text, p_reporter text, p_by_id boolean
) RETURNS TABLE (value text, start_at timestamptz, end_at timestamptz, author text)
LANGUAGE sql STABLE SECURITY INVOKER AS $$
  WITH h AS (
    SELECT ch.created AS at, ch.author_account_id AS author,
      CASE WHEN p_by_id THEN item ->> 'from' ELSE item ->> 'fromString' END AS from_value,
      CASE WHEN p_by_id THEN item ->> 'to' ELSE item ->> 'toString' END AS to_value,
      lead(ch.created) OVER (ORDER BY ch.created, ch.id) AS next_at,
      row_number() OVER (ORDER BY ch.created, ch.id) AS n
    FROM changelogs ch, jsonb_array_elements(ch.items) item
    WHERE ch.issue_id = p_issue AND lower(item ->> 'field') = lower(p_field)
  )
  SELECT to_value, at, coalesce(next_at, 'infinity'::timestamptz), author FROM h
  UNION ALL
  SELECT from_value, p_created, at, p_reporter FROM h WHERE n = 1
  UNION ALL
  SELECT p_current, p_created, 'infinity'::timestamptz, p_reporter
  WHERE NOT EXISTS (SELECT 1 FROM h)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION jql_field_periods(uuid, text, timestamptz, text, text, boolean) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION jql_field_periods(uuid, text, timestamptz, text, text, boolean) TO app;
