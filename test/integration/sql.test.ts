import { beforeAll, describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { insertInstance, insertIssue } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { createKey, createTenantWithKey, type TestTenant } from "../helpers/tenancy";

interface SqlResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

interface SqlProblem {
  status: number;
  detail: string;
  code?: string;
  sqlState?: string;
  position?: number;
  errors?: { path: string; message: string }[];
}

interface SqlSchema {
  tables: {
    name: string;
    kind: string;
    description: string | null;
    columns: { name: string; type: string; nullable: boolean; description: string | null }[];
  }[];
}

const sql = (token: string, body: Record<string, unknown>) =>
  call("POST", "/v1/sql", { token, body });

async function rowsOf(token: string, query: string, params: unknown[] = []) {
  const res = await sql(token, { query, params });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<SqlResult>(res)).rows;
}

/** A tenant with a site, a project, a user, three issues (one deleted), a comment and a transition. */
async function seedTenant(prefix: string): Promise<TestTenant & { instanceId: string }> {
  const tenant = await createTenantWithKey(["read", "sql"]);
  const { id: instanceId } = await insertInstance(tenant.id);
  await adminQuery(
    `insert into projects (tenant_id, instance_id, jira_id, key, name, raw)
     values ($1, $2, '10', $3, $3 || ' project', '{}')`,
    [tenant.id, instanceId, prefix],
  );
  await adminQuery(
    `insert into users (tenant_id, instance_id, account_id, display_name, raw)
     values ($1, $2, $3, $3 || ' person', '{}')`,
    [tenant.id, instanceId, `${prefix}-acc`],
  );
  for (const n of [1, 2, 3]) {
    await insertIssue(tenant.id, instanceId, `${prefix}-${n}`);
  }
  await adminQuery(
    `update issues set assignee_account_id = $2, status = 'In Progress', labels = '{x,y}'
     where tenant_id = $1 and key = $3`,
    [tenant.id, `${prefix}-acc`, `${prefix}-1`],
  );
  await adminQuery("update issues set deleted_at = now() where tenant_id = $1 and key = $2", [
    tenant.id,
    `${prefix}-3`,
  ]);
  await adminQuery(
    `insert into comments (tenant_id, instance_id, issue_id, jira_id, author_account_id, body_text,
       created, updated, raw)
     select tenant_id, instance_id, id, '100', $2, $3, now(), now(), '{}' from issues
     where tenant_id = $1 and key = $4`,
    [tenant.id, `${prefix}-acc`, `comment of ${prefix}`, `${prefix}-1`],
  );
  await adminQuery(
    `insert into changelogs (tenant_id, instance_id, issue_id, jira_id, author_account_id, created, items)
     select tenant_id, instance_id, id, '200', $2, '2024-05-01T10:00:00Z', $3::jsonb from issues
     where tenant_id = $1 and key = $4`,
    [
      tenant.id,
      `${prefix}-acc`,
      JSON.stringify([
        {
          field: "status",
          fieldId: "status",
          from: "1",
          fromString: "To Do",
          to: "3",
          toString: "In Progress",
        },
        { field: "labels", fieldId: "labels", fromString: "", toString: "x y" },
      ]),
      `${prefix}-1`,
    ],
  );
  return { ...tenant, instanceId };
}

let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  [a, b] = await Promise.all([seedTenant("AAA"), seedTenant("BBB")]);
});

describe("POST /v1/sql: happy paths", () => {
  it("returns only the caller's rows, as arrays with typed columns", async () => {
    const res = await sql(a.key, { query: "select key, summary from issues order by key" });
    expect(res.status).toBe(200);
    expect(await json<SqlResult>(res)).toEqual({
      columns: [
        { name: "key", type: "text" },
        { name: "summary", type: "text" },
      ],
      rows: [
        ["AAA-1", "Summary of AAA-1"],
        ["AAA-2", "Summary of AAA-2"],
        ["AAA-3", "Summary of AAA-3"],
      ],
      rowCount: 3,
      truncated: false,
    });
    expect(await rowsOf(b.key, "select key from issues order by key")).toEqual([
      ["BBB-1"],
      ["BBB-2"],
      ["BBB-3"],
    ]);
  });

  it("binds params of every JSON kind", async () => {
    expect(await rowsOf(a.key, "select key from issues where key = $1", ["AAA-2"])).toEqual([
      ["AAA-2"],
    ]);
    expect(
      await rowsOf(a.key, "select $1::int + 1, $2::boolean, $3::text is null, $4::numeric * 2", [
        41,
        true,
        null,
        1.25,
      ]),
    ).toEqual([[42, true, true, "2.50"]]);
  });

  it("renders each type as documented", async () => {
    const res = await sql(a.key, {
      query: `select 1::int4 as i, 9007199254740993::int8 as big, 1.50::numeric as n, true as t,
        'x'::text as s, '2024-05-01 12:00:00+02'::timestamptz as ts, '2024-05-01'::date as d,
        '{"a": [1, null]}'::jsonb as j, array['a', 'b'] as arr, null::int as nothing,
        '"42"'::json as json_string, 0.5::float8 as f, row(1, 'x') as rec,
        '00000000-0000-0000-0000-000000000001'::uuid as u`,
    });
    expect(res.status).toBe(200);
    const body = await json<SqlResult>(res);
    expect(body.columns.map((c) => c.type)).toEqual([
      "int4",
      "int8",
      "numeric",
      "bool",
      "text",
      "timestamptz",
      "date",
      "jsonb",
      "text[]",
      "int4",
      "json",
      "float8",
      "record",
      "uuid",
    ]);
    expect(body.rows).toEqual([
      [
        1,
        "9007199254740993",
        "1.50",
        true,
        "x",
        "2024-05-01T10:00:00.000Z",
        "2024-05-01",
        { a: [1, null] },
        ["a", "b"],
        null,
        "42",
        0.5,
        { f1: 1, f2: "x" },
        "00000000-0000-0000-0000-000000000001",
      ],
    ]);
  });

  it("keeps duplicate and unnamed columns in order", async () => {
    const body = await json<SqlResult>(await sql(a.key, { query: "select 1 as a, 2 as a, 3" }));
    expect(body.columns.map((c) => c.name)).toEqual(["a", "a", "?column?"]);
    expect(body.rows).toEqual([[1, 2, 3]]);
  });

  it("caps rows at maxRows and says when it truncated", async () => {
    const query = "select n from generate_series(1, 10) as n";
    const capped = await json<SqlResult>(await sql(a.key, { query, maxRows: 3 }));
    expect(capped).toMatchObject({ rows: [[1], [2], [3]], rowCount: 3, truncated: true });
    const exact = await json<SqlResult>(await sql(a.key, { query, maxRows: 10 }));
    expect(exact).toMatchObject({ rowCount: 10, truncated: false });
  });

  it("answers an empty result with its columns", async () => {
    const body = await json<SqlResult>(
      await sql(a.key, { query: "select key from issues where false" }),
    );
    expect(body).toEqual({
      columns: [{ name: "key", type: "text" }],
      rows: [],
      rowCount: 0,
      truncated: false,
    });
  });

  it("accepts WITH, VALUES, TABLE and a trailing semicolon", async () => {
    expect(
      await rowsOf(a.key, "with k as (select key from issues) select count(*) from k;"),
    ).toEqual([["3"]]);
    expect(await rowsOf(a.key, "values (1, 'one'), (2, 'two')")).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
    expect((await rowsOf(a.key, "table projects")).length).toBe(1);
  });

  it("v_issues: live issues with project and people names", async () => {
    expect(
      await rowsOf(
        a.key,
        "select key, project_name, assignee_name, status, labels from v_issues order by key",
      ),
    ).toEqual([
      ["AAA-1", "AAA project", "AAA-acc person", "In Progress", ["x", "y"]],
      ["AAA-2", "AAA project", null, null, []],
    ]);
  });

  it("v_status_transitions: one row per status change", async () => {
    expect(
      await rowsOf(
        a.key,
        "select issue_key, from_status, to_status, transitioned_at from v_status_transitions",
      ),
    ).toEqual([["AAA-1", "To Do", "In Progress", "2024-05-01T10:00:00.000Z"]]);
  });

  it("v_comments: comments with issue key and author name", async () => {
    expect(await rowsOf(b.key, "select issue_key, author_name, body_text from v_comments")).toEqual(
      [["BBB-1", "BBB-acc person", "comment of BBB"]],
    );
  });

  it("joins across the documented tables", async () => {
    const rows = await rowsOf(
      a.key,
      `select i.key, count(c.id) from issues i left join comments c on c.issue_id = i.id
       where i.deleted_at is null group by i.key order by i.key`,
    );
    expect(rows).toEqual([
      ["AAA-1", "1"],
      ["AAA-2", "0"],
    ]);
  });
});

describe("GET /v1/sql/schema", () => {
  it("lists the readable tables, views and columns with descriptions", async () => {
    const res = await call("GET", "/v1/sql/schema", { token: a.key });
    expect(res.status).toBe(200);
    const { tables } = await json<SqlSchema>(res);
    const names = tables.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "projects",
        "users",
        "custom_fields",
        "issues",
        "comments",
        "changelogs",
        "issue_links",
        "sync_watermarks",
        "v_issues",
        "v_status_transitions",
        "v_comments",
      ]),
    );
    for (const hidden of [
      "tenants",
      "api_keys",
      "jira_instances",
      "audit_log",
      "idempotency_keys",
      "dead_letters",
      "reader_guards",
      "issues_live",
    ]) {
      expect(names).not.toContain(hidden);
    }
    const issues = tables.find((t) => t.name === "issues");
    expect(issues?.kind).toBe("table");
    expect(issues?.columns.find((c) => c.name === "key")).toEqual({
      name: "key",
      type: "text",
      nullable: false,
      description: "Issue key, e.g. PROJ-12.",
    });
    expect(issues?.columns.find((c) => c.name === "labels")?.type).toBe("text[]");
    const transitions = tables.find((t) => t.name === "v_status_transitions");
    expect(transitions?.kind).toBe("view");
    expect(transitions?.description).toMatch(/status change/);
    expect(transitions?.columns.map((c) => c.name)).toContain("to_status");
    // Every described column is really queryable.
    const res2 = await sql(a.key, {
      query: `select ${issues?.columns.map((c) => `"${c.name}"`).join(", ")} from issues limit 1`,
    });
    expect(res2.status).toBe(200);
  });
});

describe("POST /v1/sql: scopes", () => {
  it("needs the sql scope (403) and a key (401)", async () => {
    const { key } = await createKey(a.id, ["read", "write", "ai"]);
    expect((await sql(key, { query: "select 1" })).status).toBe(403);
    expect((await call("GET", "/v1/sql/schema", { token: key })).status).toBe(403);
    expect((await call("POST", "/v1/sql", { body: { query: "select 1" } })).status).toBe(401);
    expect((await call("GET", "/v1/sql/schema")).status).toBe(401);
  });
});

describe("POST /v1/sql: bad input", () => {
  const cases: [string, unknown][] = [
    ["no query", {}],
    ["an empty query", { query: "" }],
    ["a blank query", { query: "  \n " }],
    ["a query over 100 KB", { query: `select '${"x".repeat(100 * 1024)}'` }],
    ["a NUL in the query", { query: "select 1\u0000; drop table issues" }],
    ["maxRows 0", { query: "select 1", maxRows: 0 }],
    ["maxRows 10001", { query: "select 1", maxRows: 10_001 }],
    ["a fractional maxRows", { query: "select 1", maxRows: 1.5 }],
    ["101 params", { query: "select 1", params: Array.from({ length: 101 }, () => 1) }],
    ["an object param", { query: "select $1", params: [{ a: 1 }] }],
    ["params that are not an array", { query: "select 1", params: "x" }],
  ];
  for (const [name, body] of cases) {
    it(`refuses ${name} (400 naming the field)`, async () => {
      const res = await call("POST", "/v1/sql", { token: a.key, body });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect((await json<SqlProblem>(res)).errors?.length).toBeGreaterThan(0);
    });
  }

  it("reports a syntax error with its SQLSTATE and position in the query", async () => {
    const res = await sql(a.key, { query: "select key fromm issues" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = await json<SqlProblem>(res);
    expect(problem).toMatchObject({
      status: 400,
      code: "invalid_query",
      sqlState: "42601",
      position: 18,
    });
    expect(problem.detail).toMatch(/syntax error at or near "issues"/);
  });

  it("reports an unknown column and a runtime error", async () => {
    const missing = await json<SqlProblem>(await sql(a.key, { query: "select nope from issues" }));
    expect(missing).toMatchObject({ sqlState: "42703", position: 8 });
    expect(missing.detail).toMatch(/column "nope" does not exist/);
    const zero = await json<SqlProblem>(await sql(a.key, { query: "select 1 / 0" }));
    expect(zero).toMatchObject({ status: 400, sqlState: "22012", detail: "division by zero" });
  });

  it("reports a wrong number of params", async () => {
    const res = await sql(a.key, { query: "select $1::int + $2::int", params: [1] });
    expect(res.status).toBe(400);
    const problem = await json<SqlProblem>(res);
    expect(problem.sqlState).toBe("08P01");
    expect(problem.detail).not.toMatch(/ds_sql/);
  });
});
