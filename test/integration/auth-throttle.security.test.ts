import { describe, expect, it } from "vitest";
import { call, json } from "../helpers/http";
import { connectSite } from "../helpers/sync";
import { ADMIN_TOKEN, createTenantWithKey } from "../helpers/tenancy";
import { sign } from "../helpers/webhooks";

/** A documentation-range address no other test uses. */
const randomIp = () =>
  `198.51.${Math.floor(Math.random() * 255)}.${1 + Math.floor(Math.random() * 250)}`;

async function failTimes(n: number, send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    statuses.push((await send()).status);
  }
  return statuses;
}

describe("failed authentication is throttled per source address", () => {
  it("API keys: 20 failures a minute, then 429 even for a valid key; other sources unaffected", async () => {
    const tenant = await createTenantWithKey();
    const ip = randomIp();
    const wrong = () =>
      call("GET", "/v1/instances", {
        token: `ds_${"x".repeat(43)}`,
        headers: { "cf-connecting-ip": ip },
      });
    expect(await failTimes(20, wrong)).toEqual(Array(20).fill(401));
    const throttled = await wrong();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await json(throttled)).toMatchObject({ code: "auth_throttled" });
    const valid = () =>
      call("GET", "/v1/instances", { token: tenant.key, headers: { "cf-connecting-ip": ip } });
    expect((await valid()).status).toBe(429);
    const elsewhere = await call("GET", "/v1/instances", {
      token: tenant.key,
      headers: { "cf-connecting-ip": randomIp() },
    });
    expect(elsewhere.status).toBe(200);
  });

  it("the admin token", async () => {
    const ip = randomIp();
    const wrong = () =>
      call("POST", "/v1/admin/tenants", {
        token: "not-the-admin-token",
        headers: { "cf-connecting-ip": ip },
        body: { name: "x", slug: `t-${crypto.randomUUID().slice(0, 8)}` },
      });
    expect(await failTimes(20, wrong)).toEqual(Array(20).fill(401));
    expect((await wrong()).status).toBe(429);
    const right = await call("POST", "/v1/admin/tenants", {
      token: ADMIN_TOKEN,
      headers: { "cf-connecting-ip": ip },
      body: { name: "x", slug: `t-${crypto.randomUUID().slice(0, 8)}` },
    });
    expect(right.status).toBe(429);
  });

  it("webhook signatures", async () => {
    const synced = await connectSite({ seed: 131, issues: 1 });
    const ip = randomIp();
    const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: "project_updated" });
    const forged = async () =>
      call("POST", `/webhooks/jira/${synced.instanceId}`, {
        rawBody: body,
        headers: {
          "cf-connecting-ip": ip,
          "x-hub-signature": await sign("guessed-secret-000", body),
        },
      });
    expect(await failTimes(20, forged)).toEqual(Array(20).fill(401));
    const throttled = await forged();
    expect(throttled.status).toBe(429);
    expect(await json(throttled)).toMatchObject({ code: "auth_throttled" });
    const genuine = await call("POST", `/webhooks/jira/${synced.instanceId}`, {
      rawBody: body,
      headers: {
        "cf-connecting-ip": randomIp(),
        "x-hub-signature": await sign(synced.webhookSecret, body),
      },
    });
    expect(genuine.status).toBe(202);
  });
});
