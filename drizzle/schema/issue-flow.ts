import { sql } from "drizzle-orm";
import { doublePrecision, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";
import { issues } from "./issues";

/**
 * Per live issue, its flow facts (CONTRACT §7), rewritten by `refresh_issue_flow()` in the same
 * transaction as every upsert or deletion of the issue, so /v1/analytics/flow reads no changelog.
 */
export const issueFlow = pgTable(
  "issue_flow",
  {
    issueId: uuid("issue_id")
      .primaryKey()
      .references(() => issues.id, { onDelete: "cascade" }),
    tenantId: tenantId(),
    instanceId: instanceId(),
    key: text("key").notNull(),
    projectKey: text("project_key").notNull(),
    issueType: text("issue_type"),
    priority: text("priority"),
    assigneeAccountId: text("assignee_account_id"),
    status: text("status"),
    statusId: text("status_id"),
    /** Category of the current status: new | indeterminate | done. */
    statusCategory: text("status_category"),
    created: timestamptz("created").notNull(),
    /** The status the issue was created in (the `from` of its first status change). */
    initialStatus: text("initial_status"),
    initialStatusId: text("initial_status_id"),
    /** First entry into an indeterminate-category status; null if never in progress. */
    inProgressAt: timestamptz("in_progress_at"),
    /** Last entry into a done-category status, when the issue is in one now. */
    resolvedAt: timestamptz("resolved_at"),
    leadTimeHours: doublePrecision("lead_time_hours"),
    cycleTimeHours: doublePrecision("cycle_time_hours"),
  },
  // Range columns come before project_key: one index serves one project (filtered inside the
  // index) and all projects (no skip scan in Postgres 15), both as index range scans.
  (t) => [
    index("issue_flow_created_idx").on(t.tenantId, t.instanceId, t.created, t.projectKey),
    // Only resolved issues have a resolution instant: the throughput and percentile scans.
    index("issue_flow_resolved_idx")
      .on(t.tenantId, t.instanceId, t.resolvedAt, t.projectKey, t.leadTimeHours, t.cycleTimeHours)
      .where(sql`${t.resolvedAt} is not null`),
    // Aging WIP: issues in progress now, oldest entry first.
    index("issue_flow_wip_idx")
      .on(t.tenantId, t.instanceId, t.inProgressAt, t.projectKey)
      .where(sql`${t.statusCategory} = 'indeterminate'`),
    // Breakdowns by category, type, priority and assignee in one index-only pass.
    index("issue_flow_breakdown_idx").on(
      t.tenantId,
      t.instanceId,
      t.projectKey,
      t.statusCategory,
      t.issueType,
      t.priority,
      t.assigneeAccountId,
    ),
  ],
);
