import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/infrastructure/observability/logger";
import { createServices } from "../../src/infrastructure/services";
import { createApp } from "../../src/interfaces/rest/app";
import { testEnv } from "../helpers/env";
import { call } from "../helpers/http";
import { createKey, createTenantWithKey } from "../helpers/tenancy";

describe("rate limits (Upstash, through a real redis-server)", () => {
  it("refuses a key past its rateLimitPerMinute with 429, Retry-After and RateLimit headers", async () => {
    const tenant = await createTenantWithKey(["read"], 3);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await call("GET", "/v1/instances", { token: tenant.key });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get("ratelimit-limit")).toBe("3");
        expect(last.headers.get("ratelimit-remaining")).toBe("2");
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(last?.headers.get("ratelimit-remaining")).toBe("0");
    expect(last?.headers.get("content-type")).toBe("application/problem+json");
    // Another key of the same tenant has its own budget.
    const other = await createKey(tenant.id, ["read"]);
    expect((await call("GET", "/v1/instances", { token: other.key })).status).toBe(200);
  });

  it("limits a tenant across all of its keys", async () => {
    const app = createApp({
      makeServices: (env) =>
        createServices(
          { ...loadConfig(env), tenantRateLimitPerMinute: 2 },
          createLogger({}, () => {}),
          env,
        ),
    });
    const tenant = await createTenantWithKey(["read"]);
    const second = await createKey(tenant.id, ["read"]);
    const statuses: number[] = [];
    for (const key of [tenant.key, second.key, tenant.key]) {
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request("http://ds.test/v1/instances", { headers: { authorization: `Bearer ${key}` } }),
        testEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("without Upstash, falls back to Cloudflare's Rate Limiting binding", async () => {
    const app = createApp({
      makeServices: (env) =>
        createServices(
          { ...loadConfig(env), upstash: undefined },
          createLogger({}, () => {}),
          env,
        ),
    });
    const tenant = await createTenantWithKey(["read"]);
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("http://ds.test/v1/instances", {
        headers: { authorization: `Bearer ${tenant.key}` },
      }),
      testEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    // The binding's fixed limit (wrangler.toml), not the key's; it cannot tell what remains.
    expect(res.headers.get("ratelimit-limit")).toBe("600");
    expect(res.headers.get("ratelimit-remaining")).toBeNull();
  });
});
