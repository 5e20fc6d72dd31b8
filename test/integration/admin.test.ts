import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/infrastructure/crypto/tokens";
import { adminQuery } from "../helpers/admin-db";
import { call, json } from "../helpers/http";
import { ADMIN_TOKEN, createKey, createTenantWithKey } from "../helpers/tenancy";

const uniqueSlug = () => `acme-${crypto.randomUUID().slice(0, 8)}`;

describe("admin: tenants", () => {
  it("creates a tenant (201) and refuses a duplicate slug (409)", async () => {
    const slug = uniqueSlug();
    const res = await call("POST", "/v1/admin/tenants", {
      token: ADMIN_TOKEN,
      body: { name: "Acme", slug },
    });
    expect(res.status).toBe(201);
    const tenant = await json(res);
    expect(tenant).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Acme",
      slug,
      rateLimitPerMinute: 3000,
      createdAt: expect.stringMatching(/Z$/),
    });
    const again = await call("POST", "/v1/admin/tenants", {
      token: ADMIN_TOKEN,
      body: { name: "Other", slug },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
  });

  it("rejects a malformed body with 400 naming each field, creating nothing", async () => {
    const res = await call("POST", "/v1/admin/tenants", {
      token: ADMIN_TOKEN,
      body: { name: "", slug: "Not A Slug!" },
    });
    expect(res.status).toBe(400);
    const problem = await json<{ errors: { path: string }[] }>(res);
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["name", "slug"]);
    const rows = await adminQuery("select 1 from tenants where slug = 'Not A Slug!'");
    expect(rows).toHaveLength(0);
  });

  it("refuses malformed JSON with 400", async () => {
    const res = await call("POST", "/v1/admin/tenants", {
      token: ADMIN_TOKEN,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("needs the admin token (401 without it, or with a tenant key)", async () => {
    const body = { name: "x", slug: uniqueSlug() };
    expect((await call("POST", "/v1/admin/tenants", { body })).status).toBe(401);
    expect((await call("POST", "/v1/admin/tenants", { token: "wrong", body })).status).toBe(401);
    const { key } = await createTenantWithKey();
    expect((await call("POST", "/v1/admin/tenants", { token: key, body })).status).toBe(401);
  });
});

describe("admin: API keys", () => {
  it("issues a ds_ key shown once, storing only its SHA-256", async () => {
    const { id: tenantId } = await createTenantWithKey();
    const res = await call("POST", `/v1/admin/tenants/${tenantId}/api-keys`, {
      token: ADMIN_TOKEN,
      body: { name: "reader", scopes: ["read"] },
    });
    expect(res.status).toBe(201);
    const created = await json<{ id: string; key: string; rateLimitPerMinute: number }>(res);
    expect(created).toMatchObject({ name: "reader", scopes: ["read"], rateLimitPerMinute: 600 });
    expect(created.key).toMatch(/^ds_[A-Za-z0-9_-]{43}$/);
    const [row] = await adminQuery<{ key_hash: string }>(
      "select key_hash from api_keys where id = $1",
      [created.id],
    );
    expect(row?.key_hash).toBe(await sha256Hex(created.key));
    const leaked = await adminQuery(
      "select 1 from api_keys where key_hash = $1 or key_prefix = $1",
      [created.key],
    );
    expect(leaked).toHaveLength(0);
  });

  it("404s for an unknown tenant and 400s for unknown scopes", async () => {
    const unknown = crypto.randomUUID();
    const res = await call("POST", `/v1/admin/tenants/${unknown}/api-keys`, {
      token: ADMIN_TOKEN,
      body: { name: "k", scopes: ["read"] },
    });
    expect(res.status).toBe(404);
    const { id } = await createTenantWithKey();
    const bad = await call("POST", `/v1/admin/tenants/${id}/api-keys`, {
      token: ADMIN_TOKEN,
      body: { name: "k", scopes: ["root"] },
    });
    expect(bad.status).toBe(400);
  });

  it("a revoked key fails on its very next request", async () => {
    const tenant = await createTenantWithKey();
    expect((await call("GET", "/v1/instances", { token: tenant.key })).status).toBe(200);
    const revoke = await call("DELETE", `/v1/admin/tenants/${tenant.id}/api-keys/${tenant.keyId}`, {
      token: ADMIN_TOKEN,
    });
    expect(revoke.status).toBe(204);
    expect((await call("GET", "/v1/instances", { token: tenant.key })).status).toBe(401);
    const twice = await call("DELETE", `/v1/admin/tenants/${tenant.id}/api-keys/${tenant.keyId}`, {
      token: ADMIN_TOKEN,
    });
    expect(twice.status).toBe(404);
  });

  it("cannot revoke another tenant's key through a different tenant id", async () => {
    const a = await createTenantWithKey();
    const b = await createTenantWithKey();
    const res = await call("DELETE", `/v1/admin/tenants/${b.id}/api-keys/${a.keyId}`, {
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(404);
    expect((await call("GET", "/v1/instances", { token: a.key })).status).toBe(200);
  });

  it("records admin actions in the tenant's audit log", async () => {
    const tenant = await createTenantWithKey();
    const extra = await createKey(tenant.id, ["read"]);
    await call("DELETE", `/v1/admin/tenants/${tenant.id}/api-keys/${extra.id}`, {
      token: ADMIN_TOKEN,
      headers: { "x-request-id": "revoke-req-1" },
    });
    const res = await call("GET", "/v1/audit", { token: tenant.key });
    const page = await json<{ items: { action: string; actor: string; requestId: string }[] }>(res);
    expect(page.items.map((e) => e.action).sort()).toEqual([
      "api_key.create",
      "api_key.create",
      "api_key.revoke",
      "tenant.create",
    ]);
    expect(page.items[0]).toMatchObject({ actor: "admin", requestId: "revoke-req-1" });
  });
});
