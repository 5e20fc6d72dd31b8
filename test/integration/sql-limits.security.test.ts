import { beforeAll, describe, expect, it } from "vitest";
import { insertInstance, insertIssue } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { callTool, connectMcp } from "../helpers/mcp";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

interface SqlBody {
  rows: unknown[][];
  code?: string;
  sqlState?: string;
  detail?: string;
}

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  [a, b] = await Promise.all([createTenantWithKey(), createTenantWithKey()]);
  for (const [tenant, prefix] of [
    [a, "AAA"],
    [b, "BBB"],
  ] as const) {
    const { id } = await insertInstance(tenant.id);
    await insertIssue(tenant.id, id, `${prefix}-1`);
  }
});

const sql = (tenant: TestTenant, query: string) =>
  call("POST", "/v1/sql", { token: tenant.key, body: { query } });

describe("statistics and sizes are not readable by the SQL reader", () => {
  for (const query of [
    "select * from pg_stat_user_tables",
    "select n_live_tup from pg_stat_all_tables where relname = 'issues'",
    "select * from pg_statio_user_tables",
    "select * from pg_stat_database",
    "select pg_relation_size('issues')",
    "select pg_total_relation_size('issues')",
    "select pg_table_size('comments')",
    "select pg_database_size(current_database())",
    "select pg_stat_get_live_tuples('issues'::regclass)",
    "select reltuples from pg_class where relname = 'issues'",
    "select * from pg_stats where tablename = 'issues'",
  ]) {
    it(query, async () => {
      const res = await sql(a, query);
      const body = await json<SqlBody>(res);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.sqlState).toBe("42501");
    });
  }

  it("the catalog itself stays usable (names, not sizes)", async () => {
    const res = await sql(a, "select relname from pg_class where relname = 'issues'");
    expect(res.status).toBe(200);
    expect((await json<SqlBody>(res)).rows).toEqual([["issues"]]);
  });
});

describe("resource bounds of one query", () => {
  it("runs with a bounded work_mem and temp_file_limit the query cannot raise", async () => {
    const res = await sql(
      a,
      "select current_setting('work_mem'), current_setting('temp_file_limit')",
    );
    const body = await json<SqlBody>(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.rows).toEqual([["16MB", "256MB"]]);
    const raise = await sql(a, "select set_config('temp_file_limit', '-1', true)");
    expect(raise.status).toBe(400);
  });
});

describe("concurrent queries per tenant", () => {
  it("many slow queries of one tenant are bounded (429) and another tenant keeps working", async () => {
    const flood = Array.from({ length: 24 }, () => sql(a, "select pg_sleep(2)"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bIssues = await call("GET", "/v1/issues?limit=5", { token: b.key });
    expect(bIssues.status).toBe(200);
    expect((await json<{ items: { key: string }[] }>(bIssues)).items.map((i) => i.key)).toEqual([
      "BBB-1",
    ]);
    const bSql = await sql(b, "select count(*) from issues");
    expect(bSql.status).toBe(200);

    const results = await Promise.all(flood);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const busy = results.find((r) => r.status === 429);
    expect(await json<SqlBody>(busy ?? new Response("{}"))).toMatchObject({
      code: "too_many_queries",
    });
  });

  it("MCP run_sql shares the tenant's bound", async () => {
    const client = await connectMcp(a.key);
    const slow = Array.from({ length: 4 }, () => sql(a, "select pg_sleep(1.5)"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await callTool(client, "run_sql", { query: "select 1" });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/at once/);
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await client.close();
  });
});

describe("MCP batches", () => {
  it("a JSON-RPC batch is refused as a whole: nothing in it runs", async () => {
    const batch = Array.from({ length: 5 }, (_, i) => ({
      jsonrpc: "2.0",
      id: i + 1,
      method: "tools/call",
      params: { name: "run_sql", arguments: { query: "select pg_sleep(1)" } },
    }));
    const started = Date.now();
    const res = await call("POST", "/mcp", {
      token: a.key,
      body: batch,
      headers: { accept: "application/json, text/event-stream" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32600 }, id: null });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
