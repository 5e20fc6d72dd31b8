import { tenants } from "../../../drizzle/schema";
import { conflict } from "../../domain/errors";
import type { Database } from "../../infrastructure/db/database";
import { isUniqueViolation } from "../../infrastructure/db/errors";
import { recordAudit } from "../audit/record-audit";
import { type TenantView, tenantView } from "./update-tenant";

export interface CreateTenantInput {
  name: string;
  slug: string;
  requestId: string;
}

export async function createTenant(
  deps: { db: Database; config: { tenantRateLimitPerMinute: number } },
  input: CreateTenantInput,
): Promise<TenantView> {
  // The id is chosen here so the insert can run inside that tenant's own RLS scope.
  const id = crypto.randomUUID();
  try {
    return await deps.db.withTenant(id, async (tx) => {
      const [row] = await tx
        .insert(tenants)
        .values({ id, name: input.name, slug: input.slug })
        .returning();
      if (!row) {
        throw new Error("tenant insert returned no row");
      }
      await recordAudit(tx, {
        tenantId: id,
        actor: "admin",
        action: "tenant.create",
        targetType: "tenant",
        targetId: id,
        outcome: "success",
        status: 201,
        requestId: input.requestId,
        details: { slug: input.slug },
      });
      return tenantView(row, deps.config.tenantRateLimitPerMinute);
    });
  } catch (error) {
    if (isUniqueViolation(error, "tenants_slug_key")) {
      throw conflict(`A tenant with slug "${input.slug}" already exists.`);
    }
    throw error;
  }
}
