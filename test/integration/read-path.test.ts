import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/infrastructure/observability/logger";
import { createServices } from "../../src/infrastructure/services";
import { createApp } from "../../src/interfaces/rest/app";
import { testEnv } from "../helpers/env";
import { insertInstance, insertIssue } from "../helpers/factories";
import { createKey, createTenantWithKey, type TestTenant } from "../helpers/tenancy";

/**
 * One round trip per read: the API-key check, the tenant scope, the rate-limit count and every
 * statement of the read travel in ONE request to Neon's SQL-over-HTTP endpoint (the loopback
 * server of the test stack counts requests per `application_name`).
 */
const application = `read-path-${crypto.randomUUID().slice(0, 8)}`;
const app = createApp({
  makeServices: (env, requestId) => {
    const config = loadConfig(env);
    const url = new URL(config.databaseUrl);
    url.searchParams.set("application_name", application);
    return createServices(
      { ...config, databaseUrl: url.toString() },
      createLogger({ requestId }, () => {}),
      env,
    );
  },
});

async function requestsSoFar(): Promise<number> {
  const stats = await fetch(testEnv.DB_HTTP_ENDPOINT?.replace(/\/sql$/, "/stats") ?? "");
  const body = (await stats.json()) as { byApplication: Record<string, number> };
  return body.byApplication[application] ?? 0;
}

/** The status of a request, and how many SQL-over-HTTP requests it took. */
async function roundTrips(path: string, key: string): Promise<{ status: number; trips: number }> {
  const before = await requestsSoFar();
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`http://ds.test${path}`, { headers: { authorization: `Bearer ${key}` } }),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  await res.arrayBuffer();
  return { status: res.status, trips: (await requestsSoFar()) - before };
}

let tenant: TestTenant;
let instanceId: string;

beforeAll(async () => {
  tenant = await createTenantWithKey(["read"]);
  instanceId = (await insertInstance(tenant.id)).id;
  await insertIssue(tenant.id, instanceId, "RP-1");
});

describe("reads take one database round trip", () => {
  it.each([
    ["a page of issues", () => `/v1/issues?instanceId=${instanceId}`],
    [
      "a filtered page with full text",
      () => `/v1/issues?instanceId=${instanceId}&q=summary&sort=key`,
    ],
    ["one issue", () => `/v1/issues/RP-1?instanceId=${instanceId}`],
    [
      "one issue with comments and changelog",
      () => `/v1/issues/RP-1?instanceId=${instanceId}&include=comments,changelog`,
    ],
    ["an issue's comments", () => `/v1/issues/RP-1/comments?instanceId=${instanceId}`],
    ["an issue's changelog", () => `/v1/issues/RP-1/changelog?instanceId=${instanceId}`],
    ["projects", () => `/v1/projects?instanceId=${instanceId}`],
    ["users", () => `/v1/users?instanceId=${instanceId}`],
  ])("%s", async (_name, path) => {
    expect(await roundTrips(path(), tenant.key)).toEqual({ status: 200, trips: 1 });
  });

  it("a refused key costs the same single round trip, and reads nothing", async () => {
    expect(await roundTrips(`/v1/issues?instanceId=${instanceId}`, "ds_unknownkey")).toEqual({
      status: 401,
      trips: 1,
    });
    const writeOnly = await createKey(tenant.id, ["write"]);
    expect(await roundTrips(`/v1/issues?instanceId=${instanceId}`, writeOnly.key)).toEqual({
      status: 403,
      trips: 1,
    });
  });

  it("a revoked key is refused on the very next read", async () => {
    const key = await createKey(tenant.id, ["read"]);
    expect((await roundTrips("/v1/issues", key.key)).status).toBe(200);
    const revoke = await app.fetch(
      new Request(`http://ds.test/v1/admin/tenants/${tenant.id}/api-keys/${key.id}`, {
        method: "DELETE",
        headers: { authorization: "Bearer test-admin-token" },
      }),
      testEnv,
      createExecutionContext(),
    );
    expect(revoke.status).toBe(204);
    expect((await roundTrips("/v1/issues", key.key)).status).toBe(401);
  });

  it("a missing or malformed token costs no round trip at all", async () => {
    expect(await roundTrips("/v1/issues", "not-a-key")).toEqual({ status: 401, trips: 0 });
  });
});
