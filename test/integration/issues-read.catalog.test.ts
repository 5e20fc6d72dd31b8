import { beforeAll, describe, expect, it } from "vitest";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { seedProjects, seedUsers } from "../helpers/seed-issues";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

let tenant: TestTenant;
let instanceId = "";

beforeAll(async () => {
  tenant = await createTenantWithKey(["read"]);
  instanceId = (await insertInstance(tenant.id)).id;
  const otherInstanceId = (await insertInstance(tenant.id)).id;
  await seedUsers(tenant.id, instanceId, [
    { accountId: "acc-alice", displayName: "Alice Archer", email: "alice@example.com" },
    { accountId: "acc-bob", displayName: "Bob Baker", email: "bob@example.com", active: false },
  ]);
  await seedProjects(tenant.id, instanceId, [
    { key: "PROJ", name: "Project" },
    { key: "OPS", name: "Operations" },
  ]);
  await seedProjects(tenant.id, otherInstanceId, [{ key: "OTHER", name: "Other site" }]);
});

describe("projects and users", () => {
  it("lists projects of one instance or all, by key", async () => {
    const all = await json<Page<{ key: string }>>(
      await call("GET", "/v1/projects", { token: tenant.key }),
    );
    expect(all.items.map((p) => p.key)).toEqual(["OPS", "OTHER", "PROJ"]);
    const one = await json<Page<{ key: string; instanceId: string }>>(
      await call("GET", `/v1/projects?instanceId=${instanceId}&limit=1`, { token: tenant.key }),
    );
    expect(one.items).toMatchObject([{ key: "OPS", instanceId, name: "Operations" }]);
    const next = await json<Page<{ key: string }>>(
      await call(
        "GET",
        `/v1/projects?instanceId=${instanceId}&limit=1&cursor=${encodeURIComponent(one.nextCursor ?? "")}`,
        { token: tenant.key },
      ),
    );
    expect(next.items.map((p) => p.key)).toEqual(["PROJ"]);
    expect(next.nextCursor).toBeNull();
  });

  it("lists users by name with an email hash, never an email", async () => {
    const res = await call("GET", `/v1/users?instanceId=${instanceId}`, { token: tenant.key });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toMatch(/@example\.com/);
    const page = JSON.parse(text) as Page<Record<string, unknown>>;
    expect(page.items).toEqual([
      expect.objectContaining({
        accountId: "acc-alice",
        displayName: "Alice Archer",
        active: true,
      }),
      expect.objectContaining({ accountId: "acc-bob", displayName: "Bob Baker", active: false }),
    ]);
    expect(page.items[0]?.emailHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual([
      "accountId",
      "accountType",
      "active",
      "displayName",
      "emailHash",
      "instanceId",
      "timeZone",
    ]);
    const inactive = await json<Page<{ accountId: string }>>(
      await call("GET", `/v1/users?active=false`, { token: tenant.key }),
    );
    expect(inactive.items.map((u) => u.accountId)).toEqual(["acc-bob"]);
  });
});
