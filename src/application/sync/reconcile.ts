import { issueRecord } from "../../domain/issue-record";
import { projectIssuesJql } from "../../domain/jql";
import { jiraDate } from "../../domain/json-record";
import { scrubEmails } from "../../domain/pii";
import {
  diffDigests,
  healFutureVersions,
  issueRecordDigest,
  issueVersions,
  storedIssueDigests,
  upsertIssues,
} from "../../infrastructure/db/sync-store";
import { syncCatalog } from "./backfill";
import { mapLimit, type SyncContext } from "./context";
import { FULL_ISSUE, refreshIssues, removeIssues } from "./store-issues";

/** `all` re-reads every issue; a slice verifies 1/`of` of them (the hourly run uses 24). */
export type VerifyScope = "all" | { slice: number; of: number };

export interface ReconcileReport {
  jiraIssues: number;
  deleted: number;
  missing: number;
  drifted: number;
  verified: number;
  repaired: number;
  /** Stored versions that lay in the future, set back so Jira's real versions apply again. */
  futureVersions: number;
}

const CENSUS_PAGE = 5000;
const VERIFY_BATCH = 100;

/** id → `updated` (ms) of every issue Jira has, from id-only search pages of each project. */
async function census(ctx: SyncContext, projects: string[]): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  for (const project of projects) {
    for await (const page of ctx.jira.searchJql({
      jql: projectIssuesJql(project),
      fields: ["updated"],
      maxResults: CENSUS_PAGE,
    })) {
      for (const issue of page.issues) {
        versions.set(issue.id, jiraDate(issue.fields?.updated)?.getTime() ?? 0);
      }
    }
  }
  return versions;
}

/** Re-reads issues and repairs every one whose stored content differs, field by field. */
async function verify(
  ctx: SyncContext,
  jiraIds: string[],
): Promise<{ verified: number; repaired: number }> {
  let verified = 0;
  let repaired = 0;
  for (let i = 0; i < jiraIds.length; i += VERIFY_BATCH) {
    const ids = jiraIds.slice(i, i + VERIFY_BATCH);
    const { issues } = await ctx.jira.bulkFetchIssues(ids, FULL_ISSUE);
    const complete = await mapLimit(issues, 4, (issue) => ctx.jira.completeIssue(issue));
    const records = await Promise.all(
      complete.map(async (issue) => issueRecord(await scrubEmails(issue, ctx.emailKey))),
    );
    const stored = await ctx.db.withTenant(ctx.scope.tenantId, (tx) =>
      storedIssueDigests(
        tx,
        ctx.scope,
        records.map((r) => r.issue.jiraId),
      ),
    );
    const drifted = records.filter((record) => {
      const before = stored.get(record.issue.jiraId);
      const differences = before ? diffDigests(before, issueRecordDigest(record)) : ["missing"];
      if (differences.length > 0) {
        ctx.logger.info("reconcile repairs drift", { jiraId: record.issue.jiraId, differences });
      }
      return differences.length > 0;
    });
    if (drifted.length > 0) {
      const result = await ctx.db.withTenant(ctx.scope.tenantId, (tx) =>
        upsertIssues(tx, ctx.scope, drifted),
      );
      repaired += result.written.length;
      ctx.count("issuesUpserted", result.written.length);
    }
    verified += records.length;
  }
  return { verified, repaired };
}

/**
 * Finds and repairs drift: an id census against Jira (deleted, missing and changed issues), then a
 * content verification of every issue or of a rolling slice (Jira's `updated` does not move for
 * every change, so versions alone cannot be trusted).
 */
export async function reconcile(ctx: SyncContext, scope: VerifyScope): Promise<ReconcileReport> {
  const projects = await syncCatalog(ctx);
  const inJira = await census(ctx, projects);
  const healed = await ctx.db.withTenant(ctx.scope.tenantId, (tx) =>
    healFutureVersions(tx, ctx.scope),
  );
  if (healed.length > 0) {
    ctx.logger.warn("reconcile healed future versions", { count: healed.length });
  }
  const stored = await ctx.db.withTenant(ctx.scope.tenantId, (tx) => issueVersions(tx, ctx.scope));
  const gone = [...stored.keys()].filter((id) => !inJira.has(id));
  const missing = [...inJira.keys()].filter((id) => !stored.has(id));
  const drifted = [...inJira].filter(([id, updated]) => {
    const mine = stored.get(id);
    return mine !== undefined && Date.parse(mine) !== updated;
  });
  const deleted = await removeIssues(ctx, gone);
  const refreshedNow = await refreshIssues(ctx, [...missing, ...drifted.map(([id]) => id)]);
  ctx.count("reconcileDeleted", deleted);
  ctx.count("reconcileMissing", missing.length);

  const refreshed = new Set([...missing, ...drifted.map(([id]) => id)]);
  const candidates = [...inJira.keys()].filter((id) => !refreshed.has(id)).sort();
  const toVerify =
    scope === "all"
      ? candidates
      : candidates.filter((_, index) => index % scope.of === scope.slice % scope.of);
  const { verified, repaired } = await verify(ctx, toVerify);
  ctx.count("reconcileChecked", verified);
  // Only what was really written or removed counts: a skipped stale write repaired nothing.
  ctx.count("reconcileRepaired", repaired + refreshedNow.written + refreshedNow.removed + deleted);
  return {
    jiraIssues: inJira.size,
    deleted,
    missing: missing.length,
    drifted: drifted.length,
    verified,
    repaired,
    futureVersions: healed.length,
  };
}
