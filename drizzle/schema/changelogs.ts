import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";
import { issues } from "./issues";

/** One row per Jira change history (a set of field changes made together). */
export const changelogs = pgTable(
  "changelogs",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    jiraId: text("jira_id").notNull(),
    authorAccountId: text("author_account_id"),
    created: timestamptz("created").notNull(),
    /** `[{field, fieldtype, fieldId, from, fromString, to, toString}]` as Jira sends them. */
    items: jsonb("items").notNull(),
  },
  (t) => [
    uniqueIndex("changelogs_jira_id_key").on(t.tenantId, t.instanceId, t.jiraId),
    index("changelogs_issue_idx").on(t.issueId, t.created, t.id),
  ],
);
