import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../helpers/http";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

/** Bad input is a 400 problem that names it — never a 500, whatever the bytes. */
let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  tenant = await createTenantWithKey();
  other = await createTenantWithKey();
});

async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as { status: number; code: string; errors?: { path: string }[] };
}

describe("bad input", () => {
  it.each([
    ["/v1/issues?q=%00"],
    ["/v1/issues?label=%00"],
    ["/v1/issues?q=a%00b&project=X"],
    ["/v1/issues/PROJ-1%00?instanceId=00000000-0000-4000-8000-000000000000"],
  ])("NUL in %s is a 400", async (path) => {
    const res = await call("GET", path, { token: tenant.key });
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ code: "invalid_request" });
  });

  it.each([["/v1/issues?q=%FF"], ["/v1/issues?q=%E2%82"], ["/v1/issues?label=%C3%28"]])(
    "invalid UTF-8 in %s is a 400",
    async (path) => {
      const res = await call("GET", path, { token: tenant.key });
      expect(res.status).toBe(400);
      expect(await problemOf(res)).toMatchObject({ code: "invalid_request" });
    },
  );

  it("an instanceId that is not the caller's is a 404, not an empty page", async () => {
    const unknown = await call("GET", `/v1/issues?instanceId=${crypto.randomUUID()}`, {
      token: tenant.key,
    });
    expect(unknown.status).toBe(404);
    expect(await problemOf(unknown)).toMatchObject({ code: "not_found" });
    const created = await call("POST", "/v1/instances?verify=false", {
      token: other.key,
      body: {
        name: "Other",
        baseUrl: "http://127.0.0.1:9/jira",
        auth: { type: "basic", email: "o@example.com", apiToken: "x" },
      },
    });
    const { id } = (await created.json()) as { id: string };
    expect((await call("GET", `/v1/issues?instanceId=${id}`, { token: tenant.key })).status).toBe(
      404,
    );
    expect((await call("GET", `/v1/issues?instanceId=${id}`, { token: other.key })).status).toBe(
      200,
    );
  });

  it("a NUL inside a JSON string is a 400, and nothing is stored", async () => {
    const res = await call("POST", "/v1/instances?verify=false", {
      token: tenant.key,
      body: {
        name: "bad\u0000name",
        baseUrl: "http://127.0.0.1:9/jira",
        auth: { type: "basic", email: "o@example.com", apiToken: "x" },
      },
    });
    expect(res.status).toBe(400);
    const list = await call("GET", "/v1/instances", { token: tenant.key });
    const { items } = (await list.json()) as { items: { name: string }[] };
    expect(items.map((i) => i.name)).not.toContain("bad\u0000name");
  });

  it("huge numbers are refused by their schema", async () => {
    const res = await call("GET", "/v1/issues?limit=99999999999999999999999", {
      token: tenant.key,
    });
    expect(res.status).toBe(400);
  });
});
