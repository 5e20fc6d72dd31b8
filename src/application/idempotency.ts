import { and, eq, lt } from "drizzle-orm";
import { idempotencyKeys } from "../../drizzle/schema";
import { conflict } from "../domain/errors";
import { sha256Hex } from "../infrastructure/crypto/tokens";
import type { Database } from "../infrastructure/db/database";

const TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyInput {
  tenantId: string;
  key: string;
  /** Method, path and body: the same key with another request is a conflict. */
  fingerprint: string;
}

/**
 * Runs `act` at most once per key and request within 24 hours. A replay returns the first
 * response without acting again; the same key with another request is a 409. A request that
 * fails without a definite answer (5xx, a timeout) releases the key so the client can retry.
 */
export async function withIdempotency(
  db: Database,
  input: IdempotencyInput,
  act: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const requestHash = await sha256Hex(input.fingerprint);
  const claimed = await db.withTenant(input.tenantId, async (tx) => {
    await tx
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.key, input.key),
          lt(idempotencyKeys.createdAt, new Date(Date.now() - TTL_MS)),
        ),
      );
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({ tenantId: input.tenantId, key: input.key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      return undefined;
    }
    const [existing] = await tx
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.key, input.key));
    return existing;
  });
  if (claimed) {
    if (claimed.requestHash !== requestHash) {
      throw conflict("This Idempotency-Key was already used with a different request.");
    }
    if (claimed.responseStatus === null) {
      throw conflict("A request with this Idempotency-Key is still in progress; retry shortly.");
    }
    return { status: claimed.responseStatus, body: claimed.responseBody, replayed: true };
  }
  const forget = () =>
    db.withTenant(input.tenantId, (tx) =>
      tx.delete(idempotencyKeys).where(eq(idempotencyKeys.key, input.key)),
    );
  let response: StoredResponse;
  try {
    response = await act();
  } catch (error) {
    await forget();
    throw error;
  }
  await db.withTenant(input.tenantId, (tx) =>
    tx
      .update(idempotencyKeys)
      .set({ responseStatus: response.status, responseBody: response.body })
      .where(eq(idempotencyKeys.key, input.key)),
  );
  return { ...response, replayed: false };
}
