/** Issues gone from Jira: kept as rows with `deleted_at`, so reads treat them as absent. */
import { and, eq, isNull, sql } from "drizzle-orm";
import { issues } from "../../../../drizzle/schema";
import type { Tx } from "../database";
import { refreshIssueFlow } from "./flow";
import { type SyncScope, textArray } from "./scope";

/**
 * Marks issues deleted in Jira (only ever after Jira itself said so). The stored version is left
 * alone: no time from outside becomes a version, and every later upsert comes from a Jira read of
 * an issue that exists again. Returns how many live issues were marked.
 */
export async function markIssuesDeleted(
  tx: Tx,
  scope: SyncScope,
  jiraIds: readonly string[],
): Promise<number> {
  if (jiraIds.length === 0) {
    return 0;
  }
  const rows = await tx
    .update(issues)
    .set({ deletedAt: sql`now()` })
    .where(
      and(
        eq(issues.tenantId, scope.tenantId),
        eq(issues.instanceId, scope.instanceId),
        sql`${issues.jiraId} = any(${textArray(jiraIds)})`,
        isNull(issues.deletedAt),
      ),
    )
    .returning({ id: issues.id });
  // A deleted issue leaves the flow figures at once (its facts are dropped, not kept stale).
  await refreshIssueFlow(
    tx,
    rows.map((row) => row.id),
  );
  return rows.length;
}
