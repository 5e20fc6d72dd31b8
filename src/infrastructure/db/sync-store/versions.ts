/** The stored side of the reconciliation census: which live issues we hold, at which version. */
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { issues } from "../../../../drizzle/schema";
import type { Tx } from "../database";
import type { SyncScope } from "./scope";

export interface IssueVersion {
  jiraId: string;
  /** ISO-8601 UTC of the stored `jira_updated`. */
  jiraUpdated: string;
}

/**
 * Live issues of the instance in pages ordered by jira id (keyset paging on the
 * (tenant, instance, jira_id) unique index, so 100k issues never sit in one result).
 */
export async function* issueVersionPages(
  tx: Tx,
  scope: SyncScope,
  pageSize = 5000,
): AsyncGenerator<IssueVersion[], void, undefined> {
  let after: string | undefined;
  for (;;) {
    const rows = await tx
      .select({ jiraId: issues.jiraId, jiraUpdated: issues.jiraUpdated })
      .from(issues)
      .where(
        and(
          eq(issues.tenantId, scope.tenantId),
          eq(issues.instanceId, scope.instanceId),
          isNull(issues.deletedAt),
          after === undefined ? undefined : gt(issues.jiraId, after),
        ),
      )
      .orderBy(asc(issues.jiraId))
      .limit(pageSize);
    if (rows.length > 0) {
      yield rows.map((r) => ({ jiraId: r.jiraId, jiraUpdated: r.jiraUpdated.toISOString() }));
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) {
      return;
    }
    after = last.jiraId;
  }
}

/** Every live issue's stored version: jira id → ISO `jira_updated`. */
export async function issueVersions(tx: Tx, scope: SyncScope): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of issueVersionPages(tx, scope)) {
    for (const { jiraId, jiraUpdated } of page) {
      out.set(jiraId, jiraUpdated);
    }
  }
  return out;
}

/**
 * Heals versions that lie in the future (a mirror poisoned by a forged delivery before payloads
 * stopped being trusted): each goes back to the version of the content it holds, capped at now,
 * so the version guard lets Jira's real versions in again. Deleted rows included. Returns the
 * jira ids healed.
 */
export async function healFutureVersions(tx: Tx, scope: SyncScope): Promise<string[]> {
  const rows = await tx
    .update(issues)
    .set({ jiraUpdated: sql`least(${issues.updated}, now())` })
    .where(
      and(
        eq(issues.tenantId, scope.tenantId),
        eq(issues.instanceId, scope.instanceId),
        gt(issues.jiraUpdated, sql`now()`),
      ),
    )
    .returning({ jiraId: issues.jiraId });
  return rows.map((row) => row.jiraId);
}
