import { and, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../../../drizzle/schema";
import type { Scope } from "../../domain/scopes";
import { API_KEY_PREFIX, sha256Hex } from "../../infrastructure/crypto/tokens";
import type { Database } from "../../infrastructure/db/database";

export interface ApiKeyIdentity {
  apiKeyId: string;
  tenantId: string;
  scopes: Scope[];
  rateLimitPerMinute: number;
}

/**
 * Resolves a presented key to its tenant. Read on every request, deliberately uncached, so a
 * revocation takes effect on the very next request.
 */
export async function authenticateApiKey(
  deps: { db: Database },
  presented: string,
): Promise<ApiKeyIdentity | undefined> {
  if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 200) {
    return undefined;
  }
  const keyHash = await sha256Hex(presented);
  const [row] = await deps.db.withSystem((tx) =>
    tx
      .select({
        id: apiKeys.id,
        tenantId: apiKeys.tenantId,
        scopes: apiKeys.scopes,
        rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt))),
  );
  return row
    ? {
        apiKeyId: row.id,
        tenantId: row.tenantId,
        scopes: row.scopes as Scope[],
        rateLimitPerMinute: row.rateLimitPerMinute,
      }
    : undefined;
}
