/**
 * Flow facts (issue_flow, issue_status_intervals) follow every write of an issue in the same
 * transaction. The derivation lives in one SQL function, `refresh_issue_flow()` (migration
 * analytics_flow_facts), shared by this path, the migration's back-fill and the benchmark seed.
 */
import { sql } from "drizzle-orm";
import { statuses } from "../../../../drizzle/schema";
import type { StatusRecord } from "../../../domain/catalog-record";
import type { Tx } from "../database";
import { chunks, excluded, owner, type SyncScope, textArray, uuidArray } from "./scope";

const ROWS_PER_STATEMENT = 1000;

/** Rewrites the flow facts of the given issues (row ids); deleted or absent ones lose theirs. */
export async function refreshIssueFlow(tx: Tx, issueIds: readonly string[]): Promise<void> {
  for (const part of chunks([...new Set(issueIds)], ROWS_PER_STATEMENT)) {
    await tx.execute(sql`select refresh_issue_flow(${uuidArray(part)})`);
  }
}

/**
 * Records statuses and their categories. When a status is new or its category changed, issues
 * that passed through it (other than `except`, refreshed by the caller anyway) are re-derived,
 * so an interval whose category was unknown does not stay so.
 */
export async function upsertStatuses(
  tx: Tx,
  scope: SyncScope,
  rows: readonly StatusRecord[],
  except: readonly string[] = [],
): Promise<number> {
  const unique = [...new Map(rows.map((row) => [row.jiraId, row])).values()];
  const changed: string[] = [];
  for (const part of chunks(unique, ROWS_PER_STATEMENT)) {
    const written = await tx
      .insert(statuses)
      .values(
        part.map((row) => ({
          jiraId: row.jiraId,
          name: row.name,
          category: row.category,
          ...owner(scope),
        })),
      )
      .onConflictDoUpdate({
        target: [statuses.tenantId, statuses.instanceId, statuses.jiraId],
        set: { name: excluded(statuses.name), category: excluded(statuses.category) },
        setWhere: sql`(${statuses.name}, ${statuses.category}) is distinct from
          (excluded.name, excluded.category)`,
      })
      .returning({ jiraId: statuses.jiraId });
    changed.push(...written.map((row) => row.jiraId));
  }
  if (changed.length > 0) {
    const affected = await tx.execute<{ issue_id: string }>(sql`
      select distinct issue_id from issue_status_intervals
      where tenant_id = ${scope.tenantId} and instance_id = ${scope.instanceId}
        and status_id = any(${textArray(changed)}) and issue_id <> all(${uuidArray(except)})`);
    await refreshIssueFlow(
      tx,
      affected.rows.map((row) => row.issue_id),
    );
  }
  return unique.length;
}
