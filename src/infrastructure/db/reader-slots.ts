/**
 * A per-tenant bound on concurrent SQL-interface queries, so one tenant's many slow queries
 * cannot take every Postgres connection and push other tenants into errors.
 *
 * Two layers: an isolate-local count refuses extra queries before they even open a connection,
 * and session advisory locks in Postgres (slot 0..n-1 of the tenant's key) hold the bound across
 * every isolate. The lock lives on the reader's own connection, which is discarded afterwards.
 */
import type { PoolClient } from "@neondatabase/serverless";

/** The tenant already runs as many queries as it may. */
export class ReaderBusyError extends Error {
  constructor(readonly limit: number) {
    super(`at most ${limit} concurrent SQL queries per tenant`);
    this.name = "ReaderBusyError";
  }
}

const running = new Map<string, number>();

/** Counts the query in this isolate; returns the release function. */
export function enterLocalSlot(tenantId: string, limit: number): () => void {
  const now = running.get(tenantId) ?? 0;
  if (now >= limit) {
    throw new ReaderBusyError(limit);
  }
  running.set(tenantId, now + 1);
  let released = false;
  return () => {
    if (!released) {
      released = true;
      const left = (running.get(tenantId) ?? 1) - 1;
      if (left > 0) {
        running.set(tenantId, left);
      } else {
        running.delete(tenantId);
      }
    }
  };
}

// LIMIT 1 over a plain function scan stops at the first slot it gets: no slot is taken twice.
const TAKE_SLOT = `SELECT s FROM pg_catalog.generate_series(0, $2::int - 1) AS s
  WHERE pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('ds_sql:' || $1), s) LIMIT 1`;

/** Takes one of the tenant's slots on this connection (released with the session). */
export async function takeDatabaseSlot(
  client: PoolClient,
  tenantId: string,
  limit: number,
): Promise<void> {
  const taken = await client.query(TAKE_SLOT, [tenantId, limit]);
  if (taken.rows.length === 0) {
    throw new ReaderBusyError(limit);
  }
}
