import { and, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import type { Database } from "../../infrastructure/db/database";
import { recordAudit } from "../audit/record-audit";

/** Revokes at once: authentication reads the key row on every request (no cache to go stale). */
export async function revokeApiKey(
  deps: { db: Database },
  input: { tenantId: string; keyId: string; requestId: string },
) {
  await deps.db.withTenant(input.tenantId, async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, input.keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (!row) {
      throw notFound("API key");
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: "admin",
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: input.keyId,
      outcome: "success",
      status: 204,
      requestId: input.requestId,
    });
  });
}
