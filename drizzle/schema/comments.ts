import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";
import { issues } from "./issues";

export const comments = pgTable(
  "comments",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    jiraId: text("jira_id").notNull(),
    authorAccountId: text("author_account_id"),
    /** Atlassian Document Format. */
    body: jsonb("body"),
    bodyText: text("body_text").notNull().default(""),
    created: timestamptz("created").notNull(),
    updated: timestamptz("updated").notNull(),
    raw: jsonb("raw").notNull(),
  },
  (t) => [
    uniqueIndex("comments_jira_id_key").on(t.tenantId, t.instanceId, t.jiraId),
    index("comments_issue_idx").on(t.issueId, t.created, t.id),
  ],
);
