import { call, json } from "./http";

export const ADMIN_TOKEN = "test-admin-token";

export interface TestTenant {
  id: string;
  slug: string;
  /** A key with every scope. */
  key: string;
  keyId: string;
}

/** A tenant and a key, made through the admin API as a user would. */
export async function createTenantWithKey(
  scopes: string[] = ["read", "write", "sql", "ai"],
  rateLimitPerMinute?: number,
): Promise<TestTenant> {
  const slug = `t-${crypto.randomUUID().slice(0, 12)}`;
  const tenantRes = await call("POST", "/v1/admin/tenants", {
    token: ADMIN_TOKEN,
    body: { name: `Tenant ${slug}`, slug },
  });
  if (tenantRes.status !== 201) {
    throw new Error(`tenant create failed: ${tenantRes.status} ${await tenantRes.text()}`);
  }
  const tenant = await json<{ id: string }>(tenantRes);
  const key = await createKey(tenant.id, scopes, rateLimitPerMinute);
  return { id: tenant.id, slug, key: key.key, keyId: key.id };
}

export async function createKey(tenantId: string, scopes: string[], rateLimitPerMinute?: number) {
  const res = await call("POST", `/v1/admin/tenants/${tenantId}/api-keys`, {
    token: ADMIN_TOKEN,
    body: { name: "test key", scopes, ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}) },
  });
  if (res.status !== 201) {
    throw new Error(`key create failed: ${res.status} ${await res.text()}`);
  }
  return json<{ id: string; key: string }>(res);
}
