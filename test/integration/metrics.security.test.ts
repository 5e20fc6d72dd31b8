import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Config, loadConfig } from "../../src/env";
import { createLogger } from "../../src/infrastructure/observability/logger";
import { createServices } from "../../src/infrastructure/services";
import { createApp } from "../../src/interfaces/rest/app";
import { testEnv } from "../helpers/env";
import { insertInstance } from "../helpers/factories";
import { createTenantWithKey } from "../helpers/tenancy";

function appWith(overrides: Partial<Config>) {
  const app = createApp({
    makeServices: (env) =>
      createServices(
        { ...loadConfig(env), ...overrides },
        createLogger({}, () => {}),
        env,
      ),
  });
  return async (headers: Record<string, string> = {}) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request("http://ds.test/metrics", { headers }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

describe("/metrics exposure", () => {
  it("is not served in production without METRICS_TOKEN", async () => {
    const scrape = appWith({ environment: "production", metricsToken: undefined });
    const res = await scrape();
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.text()).not.toContain("# TYPE");
  });

  it("in production with the token it answers the token holder only", async () => {
    const token = "metrics-token-production-0123";
    const scrape = appWith({ environment: "production", metricsToken: token });
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it("labels carry no tenant or instance ids", async () => {
    const tenant = await createTenantWithKey();
    const instance = await insertInstance(tenant.id);
    const res = await appWith({})();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("ds_sync_state{instance=");
    expect(text).not.toContain(instance.id);
    expect(text).not.toContain(tenant.id);
    expect(text).not.toMatch(/tenant="/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });
});
