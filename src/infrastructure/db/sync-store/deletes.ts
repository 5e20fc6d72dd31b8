/** Issues gone from Jira: kept as rows with `deleted_at`, so reads treat them as absent. */
import { and, eq, isNull, sql } from "drizzle-orm";
import { issues } from "../../../../drizzle/schema";
import type { Tx } from "../database";
import { refreshIssueFlow } from "./flow";
import { type SyncScope, textArray } from "./scope";

/**
 * Marks issues deleted in Jira. With `at` (the deletion event's time) the stored version moves up
 * to it, so a delivery of an older version that arrives late cannot bring the issue back.
 * Returns how many live issues were marked.
 */
export async function markIssuesDeleted(
  tx: Tx,
  scope: SyncScope,
  jiraIds: readonly string[],
  options: { at?: Date } = {},
): Promise<number> {
  if (jiraIds.length === 0) {
    return 0;
  }
  const at = options.at ?? null;
  const rows = await tx
    .update(issues)
    .set({
      deletedAt: sql`coalesce(${at}::timestamptz, now())`,
      jiraUpdated: sql`greatest(${issues.jiraUpdated}, ${at}::timestamptz)`,
    })
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
