/** Shared pieces of the sync store: the scope every call works in and SQL array helpers. */
import { type SQL, sql } from "drizzle-orm";

/** The tenant and Jira instance a sync writes for; every stored row carries both. */
export interface SyncScope {
  tenantId: string;
  instanceId: string;
}

/** One bind parameter holding a whole array (drizzle would otherwise expand it to a list). */
export const textArray = (values: readonly string[]): SQL => sql`${sql.param([...values])}::text[]`;

export const uuidArray = (values: readonly string[]): SQL => sql`${sql.param([...values])}::uuid[]`;

/** `excluded.<column>` for ON CONFLICT … DO UPDATE SET. */
export const excluded = (column: { name: string }): SQL => sql.raw(`excluded."${column.name}"`);

/**
 * Postgres accepts at most 65535 bind parameters per statement; multi-row statements are cut into
 * chunks well below that (and small enough to keep each round trip's payload modest).
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** The scope's two columns, and nothing else a caller's object might carry. */
export const owner = (scope: SyncScope): SyncScope => ({
  tenantId: scope.tenantId,
  instanceId: scope.instanceId,
});
