import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";
import { issues } from "./issues";

/**
 * Per live issue, the statuses it was in and when: [entered, left), `left` null for the current
 * one. Seq 0 is the status it was created in, entered at `created`. Kept by `refresh_issue_flow()`.
 */
export const issueStatusIntervals = pgTable(
  "issue_status_intervals",
  {
    issueId: uuid("issue_id")
      .notNull()
      .references(() => issues.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    projectKey: text("project_key").notNull(),
    status: text("status"),
    statusId: text("status_id"),
    category: text("category"),
    entered: timestamptz("entered").notNull(),
    left: timestamptz("left"),
  },
  (t) => [
    primaryKey({ columns: [t.issueId, t.seq] }),
    // WIP at past instants: WIP now, minus in-progress intervals entered since, plus those left
    // since. Range column first, as in issue_flow's indexes.
    index("issue_status_intervals_wip_entered_idx")
      .on(t.tenantId, t.instanceId, t.entered, t.projectKey)
      .where(sql`${t.category} = 'indeterminate'`),
    index("issue_status_intervals_wip_left_idx")
      .on(t.tenantId, t.instanceId, t.left, t.projectKey)
      .where(sql`${t.category} = 'indeterminate'`),
    index("issue_status_intervals_status_idx").on(t.tenantId, t.instanceId, t.statusId),
  ],
);
