import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/infrastructure/observability/logger";
import { createServices } from "../../src/infrastructure/services";
import { createApp } from "../../src/interfaces/rest/app";
import { testEnv } from "../helpers/env";
import { call } from "../helpers/http";
import { adminQuery } from "../helpers/admin-db";
import { ADMIN_TOKEN, createKey, createTenantWithKey } from "../helpers/tenancy";

/** An app whose services differ from the default only where `overrides` say. */
function appWith(overrides: Partial<ReturnType<typeof loadConfig>>) {
  const app = createApp({
    makeServices: (env) =>
      createServices(
        { ...loadConfig(env), ...overrides },
        createLogger({}, () => {}),
        env,
      ),
  });
  return async (path: string, key: string, init: RequestInit = {}) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`http://ds.test${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, ...init.headers },
      }),
      testEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
}

describe("rate limits (counted in Postgres, inside the request's own round trip)", () => {
  it("a 5/min key gets 429 on its 6th read, with Retry-After and RateLimit headers", async () => {
    const tenant = await createTenantWithKey(["read"], 5);
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await call("GET", "/v1/issues", { token: tenant.key });
      statuses.push(last.status);
      remaining.push(last.headers.get("ratelimit-remaining"));
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(remaining).toEqual(["4", "3", "2", "1", "0", "0"]);
    expect(last?.headers.get("ratelimit-limit")).toBe("5");
    const retryAfter = Number(last?.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last?.headers.get("content-type")).toBe("application/problem+json");
    expect(await last?.json()).toMatchObject({ status: 429, code: "rate_limited" });
    // Another key of the same tenant has its own budget.
    const other = await createKey(tenant.id, ["read"]);
    expect((await call("GET", "/v1/issues", { token: other.key })).status).toBe(200);
  });

  it("counts writes, SQL and instance routes too (one check-and-count statement)", async () => {
    const tenant = await createTenantWithKey(["read", "sql"], 3);
    const statuses = [
      (await call("GET", "/v1/instances", { token: tenant.key })).status,
      (await call("POST", "/v1/sql", { token: tenant.key, body: { query: "select 1" } })).status,
      (await call("GET", "/v1/issues", { token: tenant.key })).status,
      (await call("GET", "/v1/instances", { token: tenant.key })).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("a refused request does not use up the allowance", async () => {
    const tenant = await createTenantWithKey(["read"], 2);
    await call("GET", "/v1/issues", { token: tenant.key });
    await call("GET", "/v1/issues", { token: tenant.key });
    for (let i = 0; i < 3; i++) {
      expect((await call("GET", "/v1/issues", { token: tenant.key })).status).toBe(429);
    }
    const counted = await adminQuery<{ bucket: string; hits: number }>(
      "select bucket, sum(hits)::int as hits from rate_counters where bucket in ($1, $2) group by bucket order by bucket",
      [`k:${tenant.keyId}`, `t:${tenant.id}`],
    );
    expect(counted).toEqual([
      { bucket: `k:${tenant.keyId}`, hits: 2 },
      { bucket: `t:${tenant.id}`, hits: 2 },
    ]);
  });

  it("limits a tenant across all of its keys, as set with PATCH /v1/admin/tenants/{id}", async () => {
    const tenant = await createTenantWithKey(["read"]);
    const second = await createKey(tenant.id, ["read"]);
    const patched = await call("PATCH", `/v1/admin/tenants/${tenant.id}`, {
      token: ADMIN_TOKEN,
      body: { rateLimitPerMinute: 2 },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: tenant.id, rateLimitPerMinute: 2 });
    const statuses: number[] = [];
    for (const key of [tenant.key, second.key, tenant.key]) {
      statuses.push((await call("GET", "/v1/issues", { token: key })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("the deployment default applies to tenants without a limit of their own", async () => {
    const fetchAs = appWith({ tenantRateLimitPerMinute: 2 });
    const tenant = await createTenantWithKey(["read"]);
    const second = await createKey(tenant.id, ["read"]);
    const statuses: number[] = [];
    for (const key of [tenant.key, second.key, tenant.key]) {
      statuses.push((await fetchAs("/v1/issues", key)).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("honours a key limit above any fixed binding limit, and a limit of 1, with Upstash unset", async () => {
    const fetchAs = appWith({ upstash: undefined });
    const tenant = await createTenantWithKey(["read"], 100_000);
    await call("PATCH", `/v1/admin/tenants/${tenant.id}`, {
      token: ADMIN_TOKEN,
      body: { rateLimitPerMinute: 200_000 },
    });
    const res = await fetchAs("/v1/issues", tenant.key);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBe("100000");
    expect(res.headers.get("ratelimit-remaining")).toBe("99999");
    const small = await createTenantWithKey(["read"], 1);
    expect((await fetchAs("/v1/issues", small.key)).status).toBe(200);
    expect((await fetchAs("/v1/issues", small.key)).status).toBe(429);
  });

  it("PATCH on a tenant validates its body and answers 404 for an unknown tenant", async () => {
    const tenant = await createTenantWithKey(["read"]);
    const bad = await call("PATCH", `/v1/admin/tenants/${tenant.id}`, {
      token: ADMIN_TOKEN,
      body: { rateLimitPerMinute: 0 },
    });
    expect(bad.status).toBe(400);
    const unknown = await call("PATCH", `/v1/admin/tenants/${crypto.randomUUID()}`, {
      token: ADMIN_TOKEN,
      body: { name: "x" },
    });
    expect(unknown.status).toBe(404);
  });
});
