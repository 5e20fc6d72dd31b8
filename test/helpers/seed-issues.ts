/**
 * Synced Jira data written straight into Postgres (as the admin login), so read tests do not
 * depend on the sync engine: small explicit sets with exact values here, and 100,000-row bulk
 * sets through scripts/lib/seed-issues.ts. `search_vector` is computed the way the sync store
 * computes it (summary A, description B, comments C).
 */
import { type BulkSeedOptions, seedBulkIssues, seedCatalog } from "../../scripts/lib/seed-issues";
import { adminQuery } from "./admin-db";
import { insertJson } from "./seed-catalog";

export { seedProjects, seedUsers } from "./seed-catalog";

export interface SeedIssue {
  key: string;
  summary?: string;
  descriptionText?: string;
  status?: string;
  statusCategory?: string;
  type?: string;
  priority?: string;
  assignee?: string | null;
  reporter?: string | null;
  labels?: string[];
  components?: string[];
  fixVersions?: string[];
  parentKey?: string | null;
  created?: string;
  updated?: string;
  resolved?: string | null;
  customFields?: Record<string, unknown>;
  comments?: { body: string; author?: string; created?: string }[];
  changelog?: { author?: string; created?: string; items: unknown[] }[];
  links?: { type: string; direction: "inward" | "outward"; key: string }[];
  deleted?: boolean;
}

const BASE = Date.parse("2025-01-01T00:00:00.000Z");
const at = (hours: number) => new Date(BASE + hours * 3_600_000).toISOString();
const adf = (text: string) => ({
  type: "doc",
  version: 1,
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
});
let jiraIds = 100_000 + Math.floor(Math.random() * 1_000_000) * 100;

const ISSUE_COLUMNS = `jira_id text, key text, summary text, description jsonb, description_text text,
  status text, status_category text, issue_type text, priority text, assignee text, reporter text,
  labels text[], components text[], fix_versions text[], parent_key text, created timestamptz,
  updated timestamptz, resolved timestamptz, custom_fields jsonb, comment_text text,
  comments_count int, changelog_count int, deleted boolean`;

/** Inserts the issues with their comments, changelogs and links; returns row ids by key. */
export async function seedIssues(
  tenantId: string,
  instanceId: string,
  issues: readonly SeedIssue[],
): Promise<Map<string, string>> {
  const records = issues.map((issue, i) => {
    const description = issue.descriptionText ?? `Description of ${issue.key}`;
    return {
      jira_id: String(jiraIds++),
      key: issue.key,
      summary: issue.summary ?? `Summary of ${issue.key}`,
      description: adf(description),
      description_text: description,
      status: issue.status ?? "To Do",
      status_category: issue.statusCategory ?? "new",
      issue_type: issue.type ?? "Task",
      priority: issue.priority ?? "Medium",
      assignee: issue.assignee ?? null,
      reporter: issue.reporter ?? null,
      labels: issue.labels ?? [],
      components: issue.components ?? [],
      fix_versions: issue.fixVersions ?? [],
      parent_key: issue.parentKey ?? null,
      created: issue.created ?? at(i),
      updated: issue.updated ?? issue.created ?? at(i),
      resolved: issue.resolved ?? null,
      custom_fields: issue.customFields ?? {},
      comment_text: (issue.comments ?? []).map((c) => c.body).join(" "),
      comments_count: issue.comments?.length ?? 0,
      changelog_count: issue.changelog?.length ?? 0,
      deleted: issue.deleted ?? false,
    };
  });
  const rows = await adminQuery<{ id: string; key: string }>(
    `insert into issues (tenant_id, instance_id, jira_id, key, project_key, summary, description,
       description_text, status, status_category, issue_type, priority, assignee_account_id,
       reporter_account_id, labels, components, fix_versions, parent_key, created, updated, resolved,
       custom_fields, raw, jira_updated, comments_count, changelog_count, search_vector, deleted_at)
     select $1, $2, r.jira_id, r.key, split_part(r.key, '-', 1), r.summary, r.description,
       r.description_text, r.status, r.status_category, r.issue_type, r.priority, r.assignee,
       r.reporter, r.labels, r.components, r.fix_versions, r.parent_key, r.created, r.updated,
       r.resolved, r.custom_fields, jsonb_build_object('id', r.jira_id, 'key', r.key), r.updated,
       r.comments_count, r.changelog_count,
       setweight(to_tsvector('english', left(r.summary, 10000)), 'A')
         || setweight(to_tsvector('english', left(r.description_text, 50000)), 'B')
         || setweight(to_tsvector('english', coalesce(r.comment_text, '')), 'C'),
       case when r.deleted then now() end
     from jsonb_to_recordset($3::jsonb) as r(${ISSUE_COLUMNS})
     returning id, key`,
    [tenantId, instanceId, JSON.stringify(records)],
  );
  const ids = new Map(rows.map((r) => [r.key, r.id]));
  await seedChildren(tenantId, instanceId, issues, ids);
  return ids;
}

async function seedChildren(
  tenantId: string,
  instanceId: string,
  issues: readonly SeedIssue[],
  ids: ReadonlyMap<string, string>,
): Promise<void> {
  const comments = issues.flatMap((issue) =>
    (issue.comments ?? []).map((c, i) => ({
      issue_id: ids.get(issue.key),
      jira_id: String(jiraIds++),
      author: c.author ?? null,
      body: adf(c.body),
      body_text: c.body,
      created: c.created ?? at(100 + i),
    })),
  );
  const histories = issues.flatMap((issue) =>
    (issue.changelog ?? []).map((h, i) => ({
      issue_id: ids.get(issue.key),
      jira_id: String(jiraIds++),
      author: h.author ?? null,
      created: h.created ?? at(100 + i),
      items: h.items,
    })),
  );
  const links = issues.flatMap((issue) =>
    (issue.links ?? []).map((l) => ({
      issue_id: ids.get(issue.key),
      jira_id: String(jiraIds++),
      ...l,
    })),
  );
  await insertJson(
    "comments (tenant_id, instance_id, issue_id, jira_id, author_account_id, body, body_text, created, updated, raw)",
    "r.issue_id, r.jira_id, r.author, r.body, r.body_text, r.created, r.created, '{}'",
    "issue_id uuid, jira_id text, author text, body jsonb, body_text text, created timestamptz",
    [tenantId, instanceId, comments],
  );
  await insertJson(
    "changelogs (tenant_id, instance_id, issue_id, jira_id, author_account_id, created, items)",
    "r.issue_id, r.jira_id, r.author, r.created, r.items",
    "issue_id uuid, jira_id text, author text, created timestamptz, items jsonb",
    [tenantId, instanceId, histories],
  );
  await insertJson(
    "issue_links (tenant_id, instance_id, issue_id, jira_id, link_type, direction, other_issue_key)",
    "r.issue_id, r.jira_id, r.type, r.direction, r.key",
    "issue_id uuid, jira_id text, type text, direction text, key text",
    [tenantId, instanceId, links],
  );
}

/** Changes stored issues underneath the API, as a sync would (without bumping any cache). */
export async function updateIssue(
  tenantId: string,
  key: string,
  change: { updated?: string; summary?: string; deleted?: boolean },
): Promise<void> {
  await adminQuery(
    `update issues set updated = coalesce($3::timestamptz, updated),
       jira_updated = coalesce($3::timestamptz, jira_updated), summary = coalesce($4, summary),
       deleted_at = case when $5::boolean then now() else deleted_at end
     where tenant_id = $1 and key = $2`,
    [tenantId, key, change.updated ?? null, change.summary ?? null, change.deleted ?? false],
  );
}

/** 100,000-scale data for one instance (and its 10 projects and 50 users). */
export async function seedBulk(options: BulkSeedOptions & { catalog?: boolean }): Promise<void> {
  const query = (text: string, params: unknown[]) => adminQuery(text, params);
  if (options.catalog) {
    await seedCatalog(query, options);
  }
  await seedBulkIssues(query, options);
}
