import { and, asc, eq, gt, or } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database } from "../../infrastructure/db/database";
import { instanceView } from "./instance-view";

interface InstanceCursor {
  t: string;
  id: string;
}

/** The tenant's instances, oldest first, keyset-paginated on (created_at, id). */
export async function listInstances(
  deps: { db: Database; cursors: CursorCodec },
  input: { tenantId: string; origin: string; limit: number; cursor?: string },
) {
  const scope = `instances:${input.tenantId}`;
  const after = input.cursor
    ? ((await deps.cursors.decode(scope, input.cursor)) as InstanceCursor)
    : undefined;
  const rows = await deps.db.withTenant(input.tenantId, (tx) =>
    tx
      .select()
      .from(jiraInstances)
      .where(
        after
          ? or(
              gt(jiraInstances.createdAt, new Date(after.t)),
              and(eq(jiraInstances.createdAt, new Date(after.t)), gt(jiraInstances.id, after.id)),
            )
          : undefined,
      )
      .orderBy(asc(jiraInstances.createdAt), asc(jiraInstances.id))
      .limit(input.limit + 1),
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => instanceView(row, input.origin)),
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scope, { t: last.createdAt.toISOString(), id: last.id })
        : null,
  };
}

/** One instance of the tenant; another tenant's id is simply not found (RLS). */
export async function getInstance(
  deps: { db: Database },
  input: { tenantId: string; instanceId: string; origin: string },
) {
  const [row] = await deps.db.withTenant(input.tenantId, (tx) =>
    tx.select().from(jiraInstances).where(eq(jiraInstances.id, input.instanceId)),
  );
  if (!row) {
    throw notFound("Jira instance");
  }
  return instanceView(row, input.origin);
}
