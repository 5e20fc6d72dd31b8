import { and, isNull, sql } from "drizzle-orm";
import { pgView } from "drizzle-orm/pg-core";
import { issues } from "./issues";

/**
 * The current tenant's live issues, for the issue search (GET /v1/issues) only.
 *
 * Why a view: under row-level security Postgres refuses to use a non-leakproof operator as an
 * index condition before the policy has filtered the rows, and the GIN operators (`@>` on
 * custom_fields, `&&` on labels, `@@` on search_vector) are not leakproof — so through the
 * table every full-text, label or custom-field filter would read all the tenant's issues. The
 * view is owned by ds_owner (who may read issues: policy `owner_read`, migration 0003) and does
 * the tenant scoping itself with the same `app_current_tenant()` the RLS policies use, so the
 * planner may use every index while a caller still sees only its own tenant.
 *
 * It must never be granted to ds_reader: with user-written SQL a leaky expression evaluated on
 * other tenants' rows before the tenant filter (an error message showing a value) would leak
 * them. Only the Worker's own, parameterised queries go through it.
 */
export const issuesLive = pgView("issues_live").as((qb) =>
  qb
    .select({
      id: issues.id,
      tenantId: issues.tenantId,
      instanceId: issues.instanceId,
      jiraId: issues.jiraId,
      key: issues.key,
      projectKey: issues.projectKey,
      summary: issues.summary,
      status: issues.status,
      statusCategory: issues.statusCategory,
      issueType: issues.issueType,
      priority: issues.priority,
      assigneeAccountId: issues.assigneeAccountId,
      reporterAccountId: issues.reporterAccountId,
      labels: issues.labels,
      components: issues.components,
      fixVersions: issues.fixVersions,
      parentKey: issues.parentKey,
      created: issues.created,
      updated: issues.updated,
      resolved: issues.resolved,
      customFields: issues.customFields,
      commentsCount: issues.commentsCount,
      changelogCount: issues.changelogCount,
      searchVector: issues.searchVector,
    })
    .from(issues)
    .where(and(sql`${issues.tenantId} = app_current_tenant()`, isNull(issues.deletedAt))),
);
