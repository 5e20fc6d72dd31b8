import { and, desc, eq, lt, or } from "drizzle-orm";
import { auditLog } from "../../../drizzle/schema";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database } from "../../infrastructure/db/database";

export interface ListAuditInput {
  tenantId: string;
  limit: number;
  cursor?: string;
  action?: string;
}

interface AuditCursor {
  t: string;
  id: string;
}

/** The tenant's audit log, newest first, keyset-paginated on (created_at, id). */
export async function listAudit(
  deps: { db: Database; cursors: CursorCodec },
  input: ListAuditInput,
) {
  const scope = `audit:${input.tenantId}:${input.action ?? ""}`;
  const after = input.cursor
    ? ((await deps.cursors.decode(scope, input.cursor)) as AuditCursor)
    : undefined;
  const rows = await deps.db.withTenant(input.tenantId, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(
        and(
          input.action ? eq(auditLog.action, input.action) : undefined,
          after
            ? or(
                lt(auditLog.createdAt, new Date(after.t)),
                and(eq(auditLog.createdAt, new Date(after.t)), lt(auditLog.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(input.limit + 1),
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > input.limit && last
      ? await deps.cursors.encode(scope, { t: last.createdAt.toISOString(), id: last.id })
      : null;
  return {
    items: page.map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      outcome: row.outcome,
      status: row.status,
      requestId: row.requestId,
      details: row.details as Record<string, unknown> | null,
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor,
  };
}
