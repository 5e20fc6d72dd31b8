import { eq } from "drizzle-orm";
import { tenants } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import type { Database } from "../../infrastructure/db/database";
import { recordAudit } from "../audit/record-audit";

export interface UpdateTenantInput {
  tenantId: string;
  name?: string;
  /** Requests per minute across all the tenant's keys. */
  rateLimitPerMinute?: number;
  requestId: string;
}

export interface TenantView {
  id: string;
  name: string;
  slug: string;
  rateLimitPerMinute: number;
  createdAt: string;
}

export const tenantView = (
  row: typeof tenants.$inferSelect,
  defaultRateLimitPerMinute: number,
): TenantView => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  rateLimitPerMinute: row.rateLimitPerMinute ?? defaultRateLimitPerMinute,
  createdAt: row.createdAt.toISOString(),
});

/** Renames a tenant or sets its limit; the new limit applies from the tenant's next request. */
export async function updateTenant(
  deps: { db: Database; config: { tenantRateLimitPerMinute: number } },
  input: UpdateTenantInput,
): Promise<TenantView> {
  return deps.db.withTenant(input.tenantId, async (tx) => {
    const changes = {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.rateLimitPerMinute === undefined
        ? {}
        : { rateLimitPerMinute: input.rateLimitPerMinute }),
    };
    const [row] =
      Object.keys(changes).length > 0
        ? await tx.update(tenants).set(changes).where(eq(tenants.id, input.tenantId)).returning()
        : await tx.select().from(tenants).where(eq(tenants.id, input.tenantId));
    if (!row) {
      throw notFound(`Tenant ${input.tenantId}`);
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: "admin",
      action: "tenant.update",
      targetType: "tenant",
      targetId: input.tenantId,
      outcome: "success",
      status: 200,
      requestId: input.requestId,
      details: changes,
    });
    return tenantView(row, deps.config.tenantRateLimitPerMinute);
  });
}
