import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json } from "../helpers/http";
import { callTool, connectMcp } from "../helpers/mcp";
import { connectSite, type SyncedSite, simGet } from "../helpers/sync";
import { ADMIN_TOKEN, createKey, createTenantWithKey } from "../helpers/tenancy";

async function refused(client: Client, name: string, args: Record<string, unknown>) {
  const result = await callTool(client, name, args);
  expect(result.isError, JSON.stringify(result)).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  return result.content.map((c) => c.text ?? "").join("\n");
}

interface Page {
  items: { id: string; key: string; instanceId: string }[];
  nextCursor: string | null;
}

/** Tenant A: a backfilled simulator site (its issues are what B must never see). */
let a: SyncedSite;
let aKey = "";
/** Tenant B: its own site, and a full-scope key. */
let b: SyncedSite;

async function backfill(site: SyncedSite) {
  const start = await call("POST", `/v1/instances/${site.instanceId}/sync/backfill`, {
    token: site.tenant.key,
  });
  expect(start.status).toBe(202);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await call("GET", `/v1/instances/${site.instanceId}/sync`, {
      token: site.tenant.key,
    });
    const status = await json<{ backfill: { status: string }; running: string | null }>(res);
    if (status.backfill.status === "done" && status.running === null) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("backfill did not finish in time");
}

beforeAll(async () => {
  [a, b] = await Promise.all([
    connectSite({ seed: 41, issues: 6 }),
    connectSite({ seed: 42, issues: 3 }),
  ]);
  await Promise.all([backfill(a), backfill(b)]);
  const issues = await json<Page>(await call("GET", "/v1/issues?limit=1", { token: a.tenant.key }));
  aKey = issues.items[0]?.key ?? "";
  expect(aKey).not.toBe("");
});

describe("MCP authentication", () => {
  it("refuses a missing, unknown or revoked key with HTTP 401 before any MCP message", async () => {
    const bare = await call("POST", "/mcp", {
      body: { jsonrpc: "2.0", id: 1, method: "tools/list" },
      headers: { accept: "application/json, text/event-stream" },
    });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("content-type")).toBe("application/problem+json");
    expect(bare.headers.get("www-authenticate")).toContain("Bearer");

    await expect(connectMcp("ds_not_a_real_key")).rejects.toSatisfy(
      (error) => error instanceof StreamableHTTPError && error.code === 401,
    );

    const tenant = await createTenantWithKey(["read"]);
    const client = await connectMcp(tenant.key);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const revoke = await call("DELETE", `/v1/admin/tenants/${tenant.id}/api-keys/${tenant.keyId}`, {
      token: ADMIN_TOKEN,
    });
    expect(revoke.status).toBe(204);
    await expect(client.listTools()).rejects.toSatisfy(
      (error) => error instanceof StreamableHTTPError && error.code === 401,
    );
  });

  it("does not take the admin token", async () => {
    await expect(connectMcp(ADMIN_TOKEN)).rejects.toSatisfy(
      (error) => error instanceof StreamableHTTPError && error.code === 401,
    );
  });
});

describe("MCP scopes", () => {
  let readOnly: Client;
  let sqlOnly: Client;

  beforeAll(async () => {
    readOnly = await connectMcp((await createKey(a.tenant.id, ["read"])).key);
    sqlOnly = await connectMcp((await createKey(a.tenant.id, ["sql"])).key);
  });

  it("lists every tool whatever the scopes (the call says which scope is missing)", async () => {
    const full = await connectMcp(a.tenant.key);
    const names = (client: Client) =>
      client.listTools().then((r) => r.tools.map((t) => t.name).sort());
    expect(await names(readOnly)).toEqual(await names(full));
    expect(await names(sqlOnly)).toEqual(await names(full));
  });

  it("refuses write tools to a read-only key and leaves Jira untouched", async () => {
    const before = await simGet<{ fields: { summary: string; status: { name: string } } }>(
      a,
      `/issues/${aKey}`,
    );
    const attempts: [string, Record<string, unknown>][] = [
      ["create_issue", { projectKey: aKey.split("-")[0], issueType: "Task", summary: "Nope" }],
      ["update_issue", { key: aKey, fields: { summary: "Hijacked" } }],
      ["transition_issue", { key: aKey, transition: "Done" }],
      ["add_comment", { key: aKey, body: "Nope" }],
    ];
    for (const [name, args] of attempts) {
      const text = await refused(readOnly, name, args);
      expect(text, name).toContain('needs an API key with the "write" scope');
    }
    expect(await simGet(a, `/issues/${aKey}`)).toEqual(before);
    const created = await simGet<{ issues: { fields: { summary: string } }[] }>(
      a,
      "/issues?maxResults=5000",
    );
    expect(created.issues.some((i) => i.fields.summary === "Nope")).toBe(false);
    // Reads still work with the same key.
    const ok = await callTool(readOnly, "get_issue", { key: aKey });
    expect(ok.isError).toBeFalsy();
  });

  it("needs the sql scope for SQL and the read scope for reads", async () => {
    for (const name of ["run_sql", "get_sql_schema"]) {
      const args = name === "run_sql" ? { query: "select 1" } : {};
      expect(await refused(readOnly, name, args)).toContain('"sql" scope');
    }
    const ok = await callTool(sqlOnly, "run_sql", { query: "select count(*) from v_issues" });
    expect(ok.isError).toBeFalsy();
    for (const name of ["search_issues", "list_instances", "list_projects", "get_sync_status"]) {
      expect(await refused(sqlOnly, name, {}), name).toContain('"read" scope');
    }
    expect(await refused(sqlOnly, "get_issue", { key: aKey })).toContain('"read" scope');
  });
});

describe("MCP tenant boundary", () => {
  let mcpB: Client;

  beforeAll(async () => {
    mcpB = await connectMcp(b.tenant.key);
  });

  it("tenant B lists only its own instance and projects", async () => {
    const instances = (await callTool(mcpB, "list_instances")).structuredContent as unknown as Page;
    expect(instances.items.map((i) => i.id)).toEqual([b.instanceId]);
    const projects = await callTool(mcpB, "list_projects", { instanceId: a.instanceId });
    expect(projects.structuredContent).toEqual({ items: [], nextCursor: null });
    const all = (await callTool(mcpB, "list_projects")).structuredContent as unknown as Page;
    expect(all.items.every((p) => p.instanceId === b.instanceId)).toBe(true);
  });

  it("tenant B's searches never return tenant A's issues", async () => {
    const own = (await callTool(mcpB, "search_issues", { limit: 100 }))
      .structuredContent as unknown as Page;
    expect(own.items.length).toBe(3);
    expect(own.items.every((i) => i.instanceId === b.instanceId)).toBe(true);
    // Tenant A's instance is simply not found for tenant B.
    const byInstance = await refused(mcpB, "search_issues", { instanceId: a.instanceId });
    expect(byInstance).toMatch(/not found/i);
    const aIssue = await json<{ summary: string }>(
      await call("GET", `/v1/issues/${aKey}?instanceId=${a.instanceId}`, { token: a.tenant.key }),
    );
    const byText = (await callTool(mcpB, "search_issues", { q: aIssue.summary, limit: 100 }))
      .structuredContent as unknown as Page;
    expect(byText.items.every((i) => i.instanceId === b.instanceId)).toBe(true);
    // A cursor minted for tenant A is useless to tenant B.
    const aPage = await json<Page>(
      await call("GET", "/v1/issues?limit=1", { token: a.tenant.key }),
    );
    expect(aPage.nextCursor).not.toBeNull();
    const cursor = await refused(mcpB, "search_issues", { limit: 1, cursor: aPage.nextCursor });
    expect(cursor).toContain("cursor");
  });

  it("tenant A's instance id and issue keys are not found for tenant B, read or write", async () => {
    const before = await simGet(a, `/issues/${aKey}`);
    const attempts: [string, Record<string, unknown>][] = [
      ["get_issue", { instanceId: a.instanceId, key: aKey }],
      ["get_sync_status", { instanceId: a.instanceId }],
      ["update_issue", { instanceId: a.instanceId, key: aKey, fields: { summary: "Hijacked" } }],
      ["transition_issue", { instanceId: a.instanceId, key: aKey, transition: "Done" }],
      ["add_comment", { instanceId: a.instanceId, key: aKey, body: "Hijacked" }],
      [
        "create_issue",
        { instanceId: a.instanceId, projectKey: "X", issueType: "Task", summary: "H" },
      ],
    ];
    for (const [name, args] of attempts) {
      const text = await refused(mcpB, name, args);
      expect(text, name).toContain("Not found");
      expect(text, name).not.toContain(a.site.url);
    }
    expect(await simGet(a, `/issues/${aKey}`)).toEqual(before);
  });

  it("tenant B's SQL sees only tenant B's rows", async () => {
    const result = await callTool(mcpB, "run_sql", {
      query:
        "select distinct instance_id::text from issues union select instance_id::text from projects",
    });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const rows = (result.structuredContent as { rows: string[][] }).rows.map((r) => r[0]);
    expect(rows).toEqual([b.instanceId]);
  });
});
