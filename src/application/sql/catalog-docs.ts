/** Descriptions for GET /v1/sql/schema; the tables and columns themselves come from the catalog. */
export const TABLE_DOCS: Record<string, string> = {
  projects: "Jira projects of each connected site.",
  users:
    "Jira users (no email addresses: only a keyed hash of the lower-cased address, per tenant).",
  custom_fields: "The site's field catalogue: system and custom fields with their schema.",
  issues: "Every synced issue, including ones deleted in Jira (deleted_at set).",
  comments: "Issue comments, oldest first per issue.",
  changelogs: "Issue change histories: each row is one set of field changes made together.",
  issue_links: "Issue links, once from each end (direction inward or outward).",
  sync_watermarks: "Sync progress of each connected site.",
  v_issues: "Live issues (deleted ones left out) with project, assignee and reporter names.",
  v_status_transitions: "Every status change, one row per transition, from the changelogs.",
  v_comments: "Comments of live issues with the issue key and the author's name.",
  statuses: "The site's workflow statuses with their category (new, indeterminate, done).",
  issue_flow:
    "Flow facts per live issue, kept current by the sync: creation, first entry into progress, " +
    "resolution (last entry into a done status, if in one now), lead and cycle time in hours.",
  issue_status_intervals:
    "Per live issue, each status it was in: [entered, left), left null for the current one. " +
    "WIP at instant t = intervals with category 'indeterminate' and entered <= t < coalesce(left, 'infinity').",
};

const COMMON: Record<string, string> = {
  id: "Our UUID for the row.",
  tenant_id: "Your tenant (always the caller's).",
  instance_id: "The connected Jira site (GET /v1/instances).",
  jira_id: "Jira's own id.",
  raw: "Jira's JSON as fetched, emails removed.",
  synced_at: "When we last stored the row.",
  key: "Issue key, e.g. PROJ-12.",
  issue_id: "The issue's UUID (issues.id).",
  issue_key: "Issue key, e.g. PROJ-12.",
  project_key: "Project key, e.g. PROJ.",
  summary: "Issue summary.",
  description_text: "Issue description as plain text.",
  status: "Status name, e.g. In Progress.",
  status_category: "Status category: new, indeterminate or done.",
  issue_type: "Issue type name, e.g. Bug.",
  is_subtask: "Whether the issue is a sub-task.",
  priority: "Priority name.",
  assignee_account_id: "Assignee's Jira account id.",
  reporter_account_id: "Reporter's Jira account id.",
  author_account_id: "Author's Jira account id.",
  labels: "Labels (text array).",
  components: "Component names (text array).",
  fix_versions: "Fix version names (text array).",
  parent_key: "Parent issue key (sub-tasks and child issues).",
  resolution: "Resolution name.",
  created: "When it was created in Jira.",
  updated: "When it was last updated in Jira.",
  resolved: "When the issue was resolved, if it is.",
  custom_fields: "customfield_* values keyed by field id (JSONB).",
  comments_count: "Number of comments.",
  changelog_count: "Number of changelog entries.",
  body_text: "Comment body as plain text.",
};

const COLUMNS: Record<string, Record<string, string>> = {
  projects: {
    name: "Project name.",
    project_type: "Project type key, e.g. software.",
    lead_account_id: "Project lead's Jira account id.",
  },
  users: {
    account_id: "Jira account id.",
    display_name: "Display name.",
    active: "Whether the account is active.",
    account_type: "atlassian, app or customer.",
    email_hash:
      "HMAC-SHA256 (hex) of the lower-cased email address under the tenant's key (see README, Security).",
    time_zone: "The user's time zone.",
    raw: "Jira's user JSON, emailAddress removed.",
  },
  custom_fields: {
    field_id: "Field id, e.g. customfield_10010 or summary.",
    name: "Field name.",
    custom: "Whether it is a custom field.",
    schema_type: "Value type, e.g. string, number, array, user.",
    schema_custom: "Custom field type key.",
    schema_items: "Item type for array fields.",
  },
  issues: {
    project_id: "Jira project id.",
    description: "Description in Atlassian Document Format (JSONB).",
    status_id: "Jira status id.",
    priority_id: "Jira priority id.",
    jira_updated: "Jira's updated time of the stored version.",
    search_vector: "Full-text vector of summary, description and comments.",
    deleted_at: "When the issue disappeared from Jira (null while it exists).",
  },
  comments: {
    body: "Comment body in Atlassian Document Format (JSONB).",
    updated: "When the comment was last edited.",
  },
  changelogs: {
    created: "When the changes were made.",
    items: "The changes: [{field, fieldId, from, fromString, to, toString}] (JSONB).",
  },
  issue_links: {
    issue_id: "The issue this row belongs to (issues.id).",
    link_type: "Link type name, e.g. Blocks.",
    direction: "inward or outward, as seen from issue_id.",
    description: "The phrase for this direction, e.g. blocks or is blocked by.",
    other_issue_key: "Key of the issue at the other end.",
    other_issue_jira_id: "Jira id of the issue at the other end.",
  },
  sync_watermarks: {
    watermark: "Issues updated before this time are synced.",
    last_poll_at: "Last incremental poll.",
    last_reconcile_at: "Last reconciliation.",
    last_webhook_at: "Last webhook applied.",
    updated_at: "When this row last changed.",
  },
  v_issues: {
    project_name: "Project name.",
    assignee_name: "Assignee's display name.",
    reporter_name: "Reporter's display name.",
  },
  v_status_transitions: {
    from_status: "Status before the transition.",
    to_status: "Status after the transition.",
    from_status_id: "Jira id of from_status.",
    to_status_id: "Jira id of to_status.",
    transitioned_at: "When the transition happened.",
    author_account_id: "Who made the transition.",
  },
  v_comments: {
    author_name: "Author's display name.",
  },
  statuses: {
    jira_id: "Jira status id (changelog items' from/to).",
    name: "Status name.",
    category: "Status category: new, indeterminate or done.",
  },
  issue_flow: {
    status_id: "Jira id of the current status.",
    status_category: "Category of the current status: new, indeterminate or done.",
    initial_status: "The status the issue was created in (the from of its first status change).",
    initial_status_id: "Jira id of initial_status.",
    in_progress_at: "First entry into an indeterminate-category status (null if never).",
    resolved_at: "Last entry into a done-category status, if the issue is in one now.",
    lead_time_hours: "resolved_at - created, in hours (unrounded).",
    cycle_time_hours: "resolved_at - in_progress_at, in hours (null if never in progress).",
  },
  issue_status_intervals: {
    seq: "0 for the status the issue was created in, then one per status change.",
    status_id: "Jira status id.",
    category: "The status's category: new, indeterminate or done.",
    entered: "When the issue entered the status (created, for seq 0).",
    left: "When it left the status; null while it is still in it.",
  },
};

export function columnDoc(table: string, column: string): string | null {
  return COLUMNS[table]?.[column] ?? COMMON[column] ?? null;
}
