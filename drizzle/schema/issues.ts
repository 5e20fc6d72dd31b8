import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz, tsvector } from "./columns";
import { instanceId } from "./instance-ref";

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
  ],
);
