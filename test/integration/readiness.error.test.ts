import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/infrastructure/observability/logger";
import { createServices } from "../../src/infrastructure/services";
import { createApp } from "../../src/interfaces/rest/app";
import { testEnv } from "../helpers/env";
import { freeLoopbackPort } from "../helpers/ports";

describe("readiness when the database is down", () => {
  it("GET /healthz is 503 naming the failing check", async () => {
    const deadPort = await freeLoopbackPort();
    const app = createApp({
      makeServices: (env) =>
        createServices(
          { ...loadConfig(env), databaseUrl: `postgres://nobody@127.0.0.1:${deadPort}/none` },
          createLogger({}, () => {}),
          env,
        ),
    });
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request("http://ds.test/healthz"), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe("unavailable");
    expect(body.checks.database).toMatch(/^error: /);
    expect(body.checks.redis).toBe("ok");
  });

  it("an unexpected failure is a 500 problem without internals", async () => {
    const app = createApp({
      makeServices: (env) =>
        createServices(
          loadConfig(env),
          createLogger({}, () => {}),
          env,
        ),
    });
    app.get("/boom", () => {
      throw new Error("secret internals at /srv/app.ts:42");
    });
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request("http://ds.test/boom"), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text)).toMatchObject({ status: 500, title: "Internal Server Error" });
  });

  it("GET /metrics can require a bearer token", async () => {
    const token = "metrics-token-0123456789";
    const app = createApp({
      makeServices: (env) =>
        createServices(
          { ...loadConfig(env), metricsToken: token },
          createLogger({}, () => {}),
          env,
        ),
    });
    const scrape = async (headers: Record<string, string>) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request("http://ds.test/metrics", { headers }), testEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: "Bearer wrong-token-000000" })).status).toBe(401);
    const ok = await scrape({ authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("# TYPE");
  });
});
