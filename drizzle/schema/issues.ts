import { type SQLWrapper, sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz, tsvector } from "./columns";
import { instanceId } from "./instance-ref";

/**
 * Natural key order (PROJ-2 < PROJ-10): the number after the key's last dash, 0 if there is none.
 * Index definitions and queries must build it with this same function, or the index is not used.
 */
export const keyNumber = (key: SQLWrapper) =>
  sql`coalesce((substring(${key} from '-([0-9]{1,9})$'))::integer, 0)`;

/**
 * Importance of a priority (higher = more important), from the names of Jira's default and
 * classic schemes; a priority not named here ranks 0. Shared by the index and the queries.
 */
export const priorityRank = (priority: SQLWrapper) =>
  sql`(case lower(${priority}) when 'blocker' then 6 when 'highest' then 5 when 'critical' then 5
    when 'high' then 4 when 'major' then 4 when 'medium' then 3 when 'normal' then 3
    when 'low' then 2 when 'minor' then 2 when 'lowest' then 1 when 'trivial' then 1 else 0 end)`;

export const issues = pgTable(
  "issues",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    jiraId: text("jira_id").notNull(),
    key: text("key").notNull(),
    projectKey: text("project_key").notNull(),
    projectId: text("project_id"),
    summary: text("summary").notNull().default(""),
    /** Atlassian Document Format, as Jira returns it. */
    description: jsonb("description"),
    descriptionText: text("description_text").notNull().default(""),
    status: text("status"),
    statusId: text("status_id"),
    /** Jira's status category key: new | indeterminate | done. */
    statusCategory: text("status_category"),
    issueType: text("issue_type"),
    isSubtask: boolean("is_subtask").notNull().default(false),
    priority: text("priority"),
    priorityId: text("priority_id"),
    assigneeAccountId: text("assignee_account_id"),
    reporterAccountId: text("reporter_account_id"),
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    components: text("components").array().notNull().default(sql`'{}'::text[]`),
    fixVersions: text("fix_versions").array().notNull().default(sql`'{}'::text[]`),
    parentKey: text("parent_key"),
    resolution: text("resolution"),
    created: timestamptz("created").notNull(),
    updated: timestamptz("updated").notNull(),
    resolved: timestamptz("resolved"),
    /** `customfield_*` values keyed by field id (user objects keep no email). */
    customFields: jsonb("custom_fields").notNull().default(sql`'{}'::jsonb`),
    /** Jira's issue JSON as fetched, emails removed. */
    raw: jsonb("raw").notNull(),
    /** Jira's `updated` of the stored version: an upsert never replaces a newer version. */
    jiraUpdated: timestamptz("jira_updated").notNull(),
    commentsCount: integer("comments_count").notNull().default(0),
    changelogCount: integer("changelog_count").notNull().default(0),
    /** Summary, description and comments, weighted in that order. */
    searchVector: tsvector("search_vector"),
    /** Set when the issue is gone from Jira; reads treat it as absent. */
    deletedAt: timestamptz("deleted_at"),
    syncedAt: timestamptz("synced_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("issues_jira_id_key").on(t.tenantId, t.instanceId, t.jiraId),
    uniqueIndex("issues_key_key").on(t.tenantId, t.instanceId, t.key),
    index("issues_updated_idx").on(t.tenantId, t.instanceId, t.updated, t.id),
    index("issues_created_idx").on(t.tenantId, t.instanceId, t.created, t.id),
    index("issues_project_updated_idx").on(t.tenantId, t.instanceId, t.projectKey, t.updated),
    index("issues_custom_fields_gin").using("gin", t.customFields.op("jsonb_path_ops")),
    index("issues_labels_gin").using("gin", t.labels),
    index("issues_search_gin").using("gin", t.searchVector),
    // List sorts over all of a tenant's instances, live issues only (lists never show deleted
    // ones), each ending in id so keyset cursors (sort value, id) are index range scans.
    index("issues_live_updated_idx")
      .on(t.tenantId, t.updated, t.id)
      .where(sql`${t.deletedAt} is null`),
    index("issues_live_created_idx")
      .on(t.tenantId, t.created, t.id)
      .where(sql`${t.deletedAt} is null`),
    index("issues_live_priority_idx")
      .on(t.tenantId, priorityRank(t.priority), t.id)
      .where(sql`${t.deletedAt} is null`),
    index("issues_live_key_idx")
      .on(t.tenantId, t.projectKey, keyNumber(t.key), t.id)
      .where(sql`${t.deletedAt} is null`),
    // The selective equality filters (50+ assignees, ~10 statuses): combined with others they
    // narrow to a few rows that no sort index finds without reading most of the tenant.
    index("issues_live_assignee_idx")
      .on(t.tenantId, t.assigneeAccountId, t.updated)
      .where(sql`${t.deletedAt} is null`),
    index("issues_live_status_idx")
      .on(t.tenantId, t.status, t.updated)
      .where(sql`${t.deletedAt} is null`),
  ],
);
