import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import {
  bumpCacheVersion,
  type CachedDocument,
  type ReadCache,
  readThrough,
} from "../../src/infrastructure/cache";
import { CloudflareCache } from "../../src/infrastructure/cache/cloudflare-cache";
import { createLogger } from "../../src/infrastructure/observability/logger";
import { createServices } from "../../src/infrastructure/services";
import { testEnv } from "../helpers/env";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { seedIssues, seedProjects, updateIssue } from "../helpers/seed-issues";
import { createTenantWithKey } from "../helpers/tenancy";

/** What the sync engine does after it writes: bump through the Worker's own services. */
async function bump(tenantId: string, instanceId: string) {
  const services = createServices(loadConfig(testEnv), createLogger({ service: "test" }), testEnv);
  await bumpCacheVersion(services, tenantId, instanceId);
  await services.dispose();
}

async function site() {
  const tenant = await createTenantWithKey(["read"]);
  const instanceId = (await insertInstance(tenant.id)).id;
  await seedIssues(tenant.id, instanceId, [
    { key: "CACHE-1", summary: "First version", updated: "2025-01-01T00:00:00Z" },
  ]);
  const get = (headers: Record<string, string> = {}, query = "") =>
    call("GET", `/v1/issues/CACHE-1?instanceId=${instanceId}${query}`, {
      token: tenant.key,
      headers,
    });
  return { tenant, instanceId, get };
}

describe("ETag and If-None-Match", () => {
  it("answers 304 without a body while the ETag is current", async () => {
    const { get } = await site();
    const first = await get();
    const etag = first.headers.get("etag") ?? "";
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await get({ "If-None-Match": header });
      expect(res.status, header).toBe(304);
      expect(await res.text()).toBe("");
      expect(res.headers.get("etag")).toBe(etag);
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
    expect((await get({ "If-None-Match": '"stale"' })).status).toBe(200);
  });

  it("gives each representation its own ETag", async () => {
    const { get } = await site();
    const plain = (await get()).headers.get("etag");
    const embedded = (await get({}, "&include=comments")).headers.get("etag");
    expect(plain).not.toBe(embedded);
  });
});

describe("the read cache", () => {
  it("serves the cached issue until a sync bumps the version, then never the old one", async () => {
    const { tenant, instanceId, get } = await site();
    const before = await get();
    const etag = before.headers.get("etag") ?? "";
    expect(await json(before)).toMatchObject({ summary: "First version" });

    // A write without a bump (what a sync must never leave like this) stays invisible…
    await updateIssue(tenant.id, "CACHE-1", {
      summary: "Second version",
      updated: "2025-02-01T00:00:00Z",
    });
    expect(await json(await get())).toMatchObject({ summary: "First version" });
    // …until the bump: from then on every read sees the new row.
    await bump(tenant.id, instanceId);
    const after = await get();
    expect(await json(after)).toMatchObject({
      summary: "Second version",
      updated: "2025-02-01T00:00:00.000Z",
    });
    expect(after.headers.get("etag")).not.toBe(etag);
    expect((await get({ "If-None-Match": etag })).status).toBe(200);
    expect(await json(await get())).toMatchObject({ summary: "Second version" });
  });

  it("forgets a deleted issue at the bump", async () => {
    const { tenant, instanceId, get } = await site();
    expect((await get()).status).toBe(200);
    await updateIssue(tenant.id, "CACHE-1", { deleted: true });
    await bump(tenant.id, instanceId);
    expect((await get()).status).toBe(404);
  });

  it("caches a project list per instance until the bump", async () => {
    const { tenant, instanceId } = await site();
    await seedProjects(tenant.id, instanceId, [{ key: "AAA", name: "A" }]);
    const list = async () =>
      (
        await json<{ items: { key: string }[] }>(
          await call("GET", `/v1/projects?instanceId=${instanceId}`, { token: tenant.key }),
        )
      ).items.map((p) => p.key);
    expect(await list()).toEqual(["AAA"]);
    await seedProjects(tenant.id, instanceId, [{ key: "BBB", name: "B" }]);
    expect(await list()).toEqual(["AAA"]);
    await bump(tenant.id, instanceId);
    expect(await list()).toEqual(["AAA", "BBB"]);
  });

  it("reads from the database when the cache fails", async () => {
    const broken: ReadCache = {
      kind: "upstash",
      get: () => Promise.reject(new Error("redis down")),
      put: () => Promise.reject(new Error("redis down")),
      bump: () => Promise.reject(new Error("redis down")),
    };
    const scope = { tenantId: crypto.randomUUID(), instanceId: crypto.randomUUID() };
    const document = await readThrough({ cache: broken }, scope, "issue:X-1:", async () => ({
      key: "X-1",
    }));
    expect(document?.body).toBe('{"key":"X-1"}');
  });
});

describe("the Cache API fallback", () => {
  const entry = (body: string): CachedDocument => ({ body, etag: `"${body}"` });

  it("stores under the version read before loading, and drops everything at a bump", async () => {
    const cache = new CloudflareCache(await caches.open(`test-${crypto.randomUUID()}`));
    const scope = { tenantId: crypto.randomUUID(), instanceId: crypto.randomUUID() };
    const first = await cache.get(scope, "issue:A-1:");
    expect(first.entry).toBeUndefined();
    expect(first.version).toMatch(/^v-/);
    await cache.put(scope, "issue:A-1:", first.version ?? "", entry("old"));
    expect((await cache.get(scope, "issue:A-1:")).entry).toEqual(entry("old"));

    await cache.bump(scope);
    const afterBump = await cache.get(scope, "issue:A-1:");
    expect(afterBump.entry).toBeUndefined();
    expect(afterBump.version).not.toBe(first.version);
    // A slow reader that loaded before the bump stores under the old version: never served.
    await cache.put(scope, "issue:A-1:", first.version ?? "", entry("late"));
    expect((await cache.get(scope, "issue:A-1:")).entry).toBeUndefined();
  });

  it("keeps tenants apart", async () => {
    const cache = new CloudflareCache(await caches.open(`test-${crypto.randomUUID()}`));
    const a = { tenantId: crypto.randomUUID(), instanceId: crypto.randomUUID() };
    const b = { tenantId: crypto.randomUUID(), instanceId: a.instanceId };
    const { version } = await cache.get(a, "k");
    await cache.put(a, "k", version ?? "", entry("a's"));
    expect((await cache.get(b, "k")).entry).toBeUndefined();
  });
});
