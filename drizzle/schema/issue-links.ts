import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, tenantId } from "./columns";
import { instanceId } from "./instance-ref";
import { issues } from "./issues";

/** A link as seen from one issue: each Jira link appears once on each of its two issues. */
export const issueLinks = pgTable(
  "issue_links",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    jiraId: text("jira_id").notNull(),
    linkType: text("link_type").notNull(),
    direction: text("direction", { enum: ["inward", "outward"] }).notNull(),
    /** Human phrase for this direction, e.g. "blocks" or "is blocked by". */
    description: text("description"),
    otherIssueKey: text("other_issue_key").notNull(),
    otherIssueJiraId: text("other_issue_jira_id"),
  },
  (t) => [
    uniqueIndex("issue_links_key").on(t.tenantId, t.instanceId, t.issueId, t.jiraId),
    index("issue_links_other_idx").on(t.tenantId, t.instanceId, t.otherIssueKey),
  ],
);
