import { eq } from "drizzle-orm";
import { apiKeys, tenants } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import type { Scope } from "../../domain/scopes";
import { generateApiKey, sha256Hex } from "../../infrastructure/crypto/tokens";
import type { Database } from "../../infrastructure/db/database";
import { recordAudit } from "../audit/record-audit";

export interface CreateApiKeyInput {
  tenantId: string;
  name: string;
  scopes: Scope[];
  rateLimitPerMinute: number;
  requestId: string;
}

/** Issues a key; the plaintext is returned once and only its SHA-256 is kept. */
export async function createApiKey(deps: { db: Database }, input: CreateApiKeyInput) {
  const key = generateApiKey();
  const keyHash = await sha256Hex(key);
  return deps.db.withTenant(input.tenantId, async (tx) => {
    const [tenant] = await tx
      .select({ id: tenants.id })
      .from(tenants)
      .where(eq(tenants.id, input.tenantId));
    if (!tenant) {
      throw notFound("Tenant");
    }
    const [row] = await tx
      .insert(apiKeys)
      .values({
        tenantId: input.tenantId,
        name: input.name,
        keyHash,
        keyPrefix: key.slice(0, 8),
        scopes: [...new Set(input.scopes)],
        rateLimitPerMinute: input.rateLimitPerMinute,
      })
      .returning();
    if (!row) {
      throw new Error("api key insert returned no row");
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: "admin",
      action: "api_key.create",
      targetType: "api_key",
      targetId: row.id,
      outcome: "success",
      status: 201,
      requestId: input.requestId,
      details: { name: row.name, scopes: row.scopes },
    });
    return {
      id: row.id,
      name: row.name,
      scopes: row.scopes as Scope[],
      rateLimitPerMinute: row.rateLimitPerMinute,
      key,
      createdAt: row.createdAt.toISOString(),
    };
  });
}
