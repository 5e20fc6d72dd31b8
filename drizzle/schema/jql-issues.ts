import { date, integer, jsonb, pgView, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz, tsvector } from "./columns";

/**
 * The current tenant's live issues as JQL searches them: issues_live plus creator, due date and
 * affects versions read from the stored Jira JSON. Created by migration jql_issues_view (with
 * the same access rules as issues_live: the Worker's own parameterised queries only).
 */
export const jqlIssues = pgView("jql_issues", {
  id: uuid("id").notNull(),
  tenantId: uuid("tenant_id").notNull(),
  instanceId: uuid("instance_id").notNull(),
  jiraId: text("jira_id").notNull(),
  key: text("key").notNull(),
  projectKey: text("project_key").notNull(),
  projectId: text("project_id"),
  summary: text("summary").notNull(),
  status: text("status"),
  statusCategory: text("status_category"),
  issueType: text("issue_type"),
  priority: text("priority"),
  resolution: text("resolution"),
  assigneeAccountId: text("assignee_account_id"),
  reporterAccountId: text("reporter_account_id"),
  creatorAccountId: text("creator_account_id"),
  labels: text("labels").array().notNull(),
  components: text("components").array().notNull(),
  fixVersions: text("fix_versions").array().notNull(),
  affectedVersions: text("affected_versions").array().notNull(),
  parentKey: text("parent_key"),
  created: timestamptz("created").notNull(),
  updated: timestamptz("updated").notNull(),
  resolved: timestamptz("resolved"),
  due: date("due", { mode: "string" }),
  customFields: jsonb("custom_fields").notNull(),
  commentsCount: integer("comments_count").notNull(),
  changelogCount: integer("changelog_count").notNull(),
  searchVector: tsvector("search_vector"),
}).existing();
