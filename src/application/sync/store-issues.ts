import { issueRecord } from "../../domain/issue-record";
import { scrubEmails } from "../../domain/pii";
import { markIssuesDeleted, upsertIssues } from "../../infrastructure/db/sync-store";
import type { JiraIssue } from "../../infrastructure/jira";
import { mapLimit, type SyncContext } from "./context";

/** Fields and expansions that give a complete issue in one search or bulk-fetch page. */
export const FULL_ISSUE = { fields: ["*all"], expand: ["changelog"] };

/**
 * The one path from Jira issues to stored rows: complete what Jira truncated (comments past 20,
 * histories past 40), drop emails, map, and upsert behind the version guard.
 */
export async function storeIssues(ctx: SyncContext, fetched: readonly JiraIssue[]) {
  if (fetched.length === 0) {
    return { written: [] as string[], skippedStale: [] as string[] };
  }
  const complete = await mapLimit(fetched, 4, (issue) => ctx.jira.completeIssue(issue));
  const records = await Promise.all(
    complete.map(async (issue) => issueRecord(await scrubEmails(issue, ctx.emailKey))),
  );
  const result = await ctx.db.withTenant(ctx.scope.tenantId, (tx) =>
    upsertIssues(tx, ctx.scope, records),
  );
  ctx.count("issuesUpserted", result.written.length);
  ctx.count("issuesSkippedStale", result.skippedStale.length);
  return result;
}

/** Issues gone from Jira: reads of them become 404. */
export async function removeIssues(ctx: SyncContext, jiraIds: readonly string[]) {
  if (jiraIds.length === 0) {
    return 0;
  }
  const removed = await ctx.db.withTenant(ctx.scope.tenantId, (tx) =>
    markIssuesDeleted(tx, ctx.scope, jiraIds),
  );
  ctx.count("issuesDeleted", removed);
  return removed;
}

/** Re-reads issues by id (100 per request) and stores them; ids Jira no longer has are removed. */
export async function refreshIssues(ctx: SyncContext, jiraIds: readonly string[]) {
  if (jiraIds.length === 0) {
    return { written: 0, removed: 0 };
  }
  const { issues, missing } = await ctx.jira.bulkFetchIssues([...jiraIds], FULL_ISSUE);
  const stored = await storeIssues(ctx, issues);
  const removed = await removeIssues(ctx, missing);
  return { written: stored.written.length, removed };
}
