/** Idempotent batch upserts of the site catalogue: projects, users, fields. */
import { sql } from "drizzle-orm";
import { customFields, projects, users } from "../../../../drizzle/schema";
import type { FieldRow, ProjectRow, UserRow } from "../../../domain/catalog-record";
import type { Tx } from "../database";
import { chunks, excluded, owner, type SyncScope, textArray } from "./scope";

/** ≤ 9 columns per row: 1000 rows stay far below the bind-parameter limit. */
const ROWS_PER_STATEMENT = 1000;

/** The last row per key: one statement must not update the same row twice. */
function lastPer<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return [...new Map(rows.map((row) => [key(row), row])).values()];
}

export async function upsertProjects(
  tx: Tx,
  scope: SyncScope,
  rows: readonly ProjectRow[],
): Promise<number> {
  const unique = lastPer(
    lastPer(rows, (p) => p.jiraId),
    (p) => p.key,
  );
  for (const part of chunks(unique, ROWS_PER_STATEMENT)) {
    // Project keys can be reused (after a rename or delete): free them from older projects.
    await tx.execute(sql`
      delete from projects as p
      using unnest(${textArray(part.map((r) => r.key))}, ${textArray(part.map((r) => r.jiraId))})
        as n(key, jira_id)
      where p.tenant_id = ${scope.tenantId} and p.instance_id = ${scope.instanceId}
        and p.key = n.key and p.jira_id <> n.jira_id`);
    await tx
      .insert(projects)
      .values(part.map((row) => ({ ...row, ...owner(scope) })))
      .onConflictDoUpdate({
        target: [projects.tenantId, projects.instanceId, projects.jiraId],
        set: {
          key: excluded(projects.key),
          name: excluded(projects.name),
          projectType: excluded(projects.projectType),
          // Only `expand=lead` fetches carry the lead; a plain listing must not erase it.
          leadAccountId: sql`coalesce(excluded.lead_account_id, ${projects.leadAccountId})`,
          raw: excluded(projects.raw),
          syncedAt: sql`now()`,
        },
      });
  }
  return unique.length;
}

export async function upsertUsers(
  tx: Tx,
  scope: SyncScope,
  rows: readonly UserRow[],
): Promise<number> {
  const unique = lastPer(rows, (u) => u.accountId);
  for (const part of chunks(unique, ROWS_PER_STATEMENT)) {
    await tx
      .insert(users)
      .values(part.map((row) => ({ ...row, ...owner(scope) })))
      .onConflictDoUpdate({
        target: [users.tenantId, users.instanceId, users.accountId],
        set: {
          displayName: excluded(users.displayName),
          active: excluded(users.active),
          accountType: excluded(users.accountType),
          emailHash: excluded(users.emailHash),
          timeZone: excluded(users.timeZone),
          raw: excluded(users.raw),
          syncedAt: sql`now()`,
        },
      });
  }
  return unique.length;
}

export async function upsertFields(
  tx: Tx,
  scope: SyncScope,
  rows: readonly FieldRow[],
): Promise<number> {
  const unique = lastPer(rows, (f) => f.fieldId);
  for (const part of chunks(unique, ROWS_PER_STATEMENT)) {
    await tx
      .insert(customFields)
      .values(part.map((row) => ({ ...row, ...owner(scope) })))
      .onConflictDoUpdate({
        target: [customFields.tenantId, customFields.instanceId, customFields.fieldId],
        set: {
          name: excluded(customFields.name),
          custom: excluded(customFields.custom),
          schemaType: excluded(customFields.schemaType),
          schemaCustom: excluded(customFields.schemaCustom),
          schemaItems: excluded(customFields.schemaItems),
          raw: excluded(customFields.raw),
          syncedAt: sql`now()`,
        },
      });
  }
  return unique.length;
}
