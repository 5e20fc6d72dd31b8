import { sql as drizzleSql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { Database } from "../../src/infrastructure/db/database";
import { findPgError } from "../../src/infrastructure/db/errors";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { insertInstance, insertIssue } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

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
}

/**
 * Every attack here runs as tenant A with tenant B's data in the same database: each must be
 * refused (400, never 500) or bounded, and no response may ever carry a row of B's.
 */
let a: TestTenant;
let b: TestTenant;
const B_SECRET = "zanzibarsecret";

async function seed(tenant: TestTenant, prefix: string, summary: string) {
  const { id: instanceId } = await insertInstance(tenant.id);
  for (const n of [1, 2]) {
    await insertIssue(tenant.id, instanceId, `${prefix}-${n}`);
  }
  await adminQuery("update issues set summary = $2 where tenant_id = $1", [tenant.id, summary]);
  await adminQuery(
    `insert into comments (tenant_id, instance_id, issue_id, jira_id, body_text, created, updated, raw)
     select tenant_id, instance_id, id, 'c' || key, $2, now(), now(), '{}' from issues
     where tenant_id = $1`,
    [tenant.id, summary],
  );
}

beforeAll(async () => {
  [a, b] = await Promise.all([
    createTenantWithKey(["sql"]),
    createTenantWithKey(["sql", "read", "write"]),
  ]);
  await seed(a, "AAA", "alpha summary");
  await seed(b, "BBB", `${B_SECRET} summary`);
  await adminQuery("analyze issues");
});

const post = (token: string, query: string, maxRows?: number) =>
  call("POST", "/v1/sql", { token, body: { query, ...(maxRows ? { maxRows } : {}) } });

/** The query's response, checked for any trace of tenant B. */
async function asA(query: string, maxRows?: number) {
  const res = await post(a.key, query, maxRows);
  const text = await res.text();
  expect(res.status, text).not.toBe(500);
  expect(text).not.toContain("BBB");
  expect(text).not.toContain(B_SECRET);
  expect(text).not.toContain(b.id);
  return { status: res.status, body: JSON.parse(text) as SqlResult & SqlProblem };
}

async function refused(query: string, code?: string) {
  const { status, body } = await asA(query);
  expect(status, JSON.stringify(body)).toBe(400);
  if (code) {
    expect(body.sqlState).toBe(code);
    expect(body.code).toBe("invalid_query");
  }
  return body;
}

async function rows(query: string) {
  const { status, body } = await asA(query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.rows;
}

const setB = () => `set_config('app.tenant_id', '${b.id}', false)`;

describe("tenant boundary: set_config cannot move the reader to another tenant", () => {
  it("in the select list", async () => {
    expect(await rows(`select ${setB()} is not null, (select count(*) from issues)`)).toEqual([
      [true, "2"],
    ]);
  });

  it("in a CTE", async () => {
    expect(
      await rows(`with s as (select ${setB()}) select (select string_agg(key, ',' order by key)
        from issues) from s`),
    ).toEqual([["AAA-1,AAA-2"]]);
  });

  it("in a WHERE subquery and a lateral join", async () => {
    expect(
      await rows(`select i.key from (select ${setB()}) s, lateral (select key from issues
        where ${setB()} is not null) i order by 1`),
    ).toEqual([["AAA-1"], ["AAA-2"]]);
  });

  it("set with is_local = true, then read through a view", async () => {
    expect(
      await rows(`select set_config('app.tenant_id', '${b.id}', true) is not null,
        (select count(*) from v_issues)`),
    ).toEqual([[true, "2"]]);
  });

  it("then SQL planned at run time: query_to_xml", async () => {
    const [[, xml]] = (await rows(
      `select ${setB()} is not null, query_to_xml('select key, summary from issues', true, false, '')`,
    )) as [[unknown, string]];
    expect(xml).toContain("AAA-1");
  });

  it("then SQL planned at run time: ts_stat over summaries and comments", async () => {
    const words = await rows(
      `select ${setB()} is not null, (select string_agg(word, ' ') from ts_stat('select to_tsvector(''simple'',
        summary) from issues union all select to_tsvector(''simple'', body_text) from comments'))`,
    );
    expect(JSON.stringify(words)).toContain("alpha");
  });

  it("current_setting shows no tenant, and the guard reads no setting", async () => {
    expect(await rows("select current_setting('app.tenant_id', true)")).toEqual([[""]]);
  });
});

describe("roles: the query cannot leave ds_reader", () => {
  // What each role could read if the switch worked: B's issues, every tenant's instance ids, or
  // (as the Worker's login) other sessions' queries.
  const loot: Record<string, string> = {
    app: "select key, summary from issues",
    ds_system: "select tenant_id from jira_instances",
    ds_worker: "select query from pg_stat_activity",
    none: "select query from pg_stat_activity",
  };
  for (const [role, nested] of Object.entries(loot)) {
    it(`set_config('role', '${role}') is refused`, async () => {
      const problem = await refused(
        `select ${setB()} is not null, set_config('role', '${role}', false) is not null,
          query_to_xml('${nested}', true, false, '')`,
        "42501",
      );
      expect(problem.detail).toMatch(/role/);
      expect(problem.detail).not.toMatch(/ds_reader|security-definer/);
    });
  }

  it("set_config('session_authorization') is refused", async () => {
    await refused("select set_config('session_authorization', 'postgres', false)", "42501");
  });

  for (const statement of ["SET ROLE app", "SET ROLE ds_worker", "RESET ROLE", "RESET ALL"]) {
    it(`${statement} is refused, as a statement and as nested SQL`, async () => {
      const direct = await refused(statement, "42601");
      expect(direct.detail).toMatch(/Only one SELECT/);
      await refused(`select query_to_xml('${statement}', true, false, '')`);
    });
  }
});

describe("server files, programs and extensions", () => {
  const cases: [string, string, string][] = [
    ["pg_read_file", "select pg_read_file('/etc/passwd')", "42501"],
    ["pg_read_binary_file", "select pg_read_binary_file('/etc/passwd')", "42501"],
    ["pg_ls_dir", "select pg_ls_dir('.')", "42501"],
    ["pg_stat_file", "select pg_stat_file('postgresql.conf')", "42501"],
    ["lo_import", "select lo_import('/etc/passwd')", "42501"],
    ["lo_export", "select lo_export(1, '/tmp/x')", "42501"],
    ["dblink", "select dblink('host=127.0.0.1', 'select 1')", "42883"],
    ["COPY TO STDOUT", "COPY issues TO STDOUT", "42601"],
    ["COPY TO PROGRAM", "COPY (select 1) TO PROGRAM 'id'", "42601"],
    [
      "nested COPY TO PROGRAM",
      "select query_to_xml('copy (select 1) to program ''id''', true, false, '')",
      "",
    ],
    ["data_directory", "select current_setting('data_directory')", "42501"],
  ];
  for (const [name, query, code] of cases) {
    it(`${name} is refused`, async () => {
      const problem = await refused(query, code || undefined);
      expect(problem.detail).not.toMatch(/\/etc\/|\/tmp\/|ds_reader|ds_worker/);
    });
  }
});

describe("only one read-only query per call", () => {
  const statements: [string, string][] = [
    ["CREATE TABLE", "CREATE TABLE stolen (a int)"],
    ["CREATE TEMP TABLE", "CREATE TEMP TABLE stolen (a int)"],
    ["INSERT", "INSERT INTO issues DEFAULT VALUES"],
    ["UPDATE", "UPDATE issues SET summary = 'pwned'"],
    ["DELETE", "DELETE FROM issues"],
    ["TRUNCATE", "TRUNCATE issues"],
    ["DO", "DO $$ BEGIN PERFORM 1; END $$"],
    ["PREPARE", "PREPARE p AS SELECT 1"],
    ["LISTEN", "LISTEN channel"],
    ["EXPLAIN", "EXPLAIN SELECT * FROM issues"],
    ["BEGIN", "BEGIN"],
    ["COMMIT", "COMMIT"],
  ];
  for (const [name, query] of statements) {
    it(`${name} is refused`, async () => {
      const problem = await refused(query, "42601");
      expect(problem.detail).toMatch(/Only one SELECT/);
    });
  }

  it("two statements are refused", async () => {
    const problem = await refused("select 1; select 2", "42601");
    expect(problem.detail).toMatch(/one statement per call/);
    await refused("select 1; delete from issues");
  });

  it("a data-modifying CTE is refused", async () => {
    await refused("with d as (delete from issues returning 1) select * from d");
  });

  it("writes from nested SQL are refused (read-only transaction)", async () => {
    await refused("select query_to_xml('delete from issues returning 1', true, false, '')");
    await refused("select query_to_xml('create temp table t (a int)', true, false, '')");
  });

  it("SELECT … FOR UPDATE is refused", async () => {
    const problem = await refused("select * from issues for update", "25006");
    expect(problem.detail).toMatch(/read-only/);
  });

  it("the transaction cannot be made read-write", async () => {
    await refused("select set_config('transaction_read_only', 'off', false)", "25001");
  });

  it("nothing was changed by any of it", async () => {
    const stored = await adminQuery<{ n: string }>(
      "select count(*)::text as n from issues where tenant_id = any($1) and summary <> 'pwned'",
      [[a.id, b.id]],
    );
    expect(stored[0]?.n).toBe("4");
    expect(await adminQuery("select 1 from pg_class where relname = 'stolen'")).toHaveLength(0);
  });
});

describe("other tenants' and internal tables", () => {
  for (const table of [
    "tenants",
    "api_keys",
    "jira_instances",
    "audit_log",
    "idempotency_keys",
    "dead_letters",
    "reader_guards",
    "issues_live",
    "drizzle.__drizzle_migrations",
  ]) {
    it(`${table} is not readable`, async () => {
      await refused(`select * from ${table}`, "42501");
      await refused(`select query_to_xml('select * from ${table}', true, false, '')`, "42501");
    });
  }

  it("planner statistics of tenant tables stay hidden (pg_stats)", async () => {
    await refused(
      "select count(*) from pg_stats where tablename in ('issues', 'comments')",
      "42501",
    );
  });

  it("a leaky expression never sees another tenant's row", async () => {
    // Division by zero on a row of B would surface as an error: RLS filters before it runs.
    expect(
      await rows(
        "select key from issues where 1 / (case when key like 'BBB%' then 0 else 1 end) = 1 order by 1",
      ),
    ).toEqual([["AAA-1"], ["AAA-2"]]);
  });
});

describe("other sessions", () => {
  it("cannot see or signal another tenant's running query", async () => {
    const marker = `marker_${crypto.randomUUID().slice(0, 8)}`;
    const slow = post(b.key, `select pg_sleep(1.5), '${marker}'`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await refused(
      `select count(*) from pg_stat_activity where query like '%${marker}%' and pid <> pg_backend_pid()`,
      "42501",
    );
    await refused(
      "select pg_cancel_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and usename is not null",
      "42501",
    );
    expect((await slow).status).toBe(200);
  });

  it("session state dies with the request: advisory locks, settings", async () => {
    const lock = 0x5eed;
    expect(
      await rows(`select 1, ${setB()} is not null from (select pg_advisory_lock(${lock})) l`),
    ).toEqual([[1, true]]);
    const res = await post(b.key, `select pg_try_advisory_lock(${lock})`);
    expect((await json<SqlResult>(res)).rows).toEqual([[true]]);
    expect(await rows("select count(*) from issues")).toEqual([["2"]]);
  });
});

describe("bounded", () => {
  it("pg_sleep(60) ends at the statement timeout as a 422 statement_timeout, others keep being served", async () => {
    const started = Date.now();
    const sleeping = asA("select pg_sleep(60)");
    // Meanwhile the other tenant's reads are answered, each well within the timeout.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 5; i++) {
      const readStarted = Date.now();
      const res = await call("GET", "/v1/issues", { token: b.key });
      expect(res.status).toBe(200);
      expect(Date.now() - readStarted).toBeLessThan(2_000);
    }
    const { status, body } = await sleeping;
    const elapsed = Date.now() - started;
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: "statement_timeout", sqlState: "57014" });
    expect(body.detail).toMatch(/canceled.*5 s statement timeout/);
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
    expect(elapsed).toBeLessThan(20_000);
  });

  it("a huge result is truncated at maxRows", async () => {
    const { status, body } = await asA("select generate_series(1, 1e6)");
    expect(status).toBe(200);
    expect(body).toMatchObject({ rowCount: 1000, truncated: true });
    expect(body.rows.at(-1)).toEqual(["1000"]);
  });

  it("a result too large for a response is truncated by size", async () => {
    const { status, body } = await asA(
      "select repeat('x', 1000000) from generate_series(1, 20)",
      20,
    );
    expect(status).toBe(200);
    expect(body.truncated).toBe(true);
    expect(body.rowCount).toBeLessThan(20);
  });

  it("a single row too large for a response is a 400", async () => {
    await refused("select repeat('x', 20000000)", "54000");
  });
});

describe("the guard itself", () => {
  const database = () => new Database({ url: testEnv.DATABASE_URL, wsProxy: testEnv.DB_WS_PROXY });

  it("no guard row ever persists", async () => {
    expect(await adminQuery("select 1 from reader_guards")).toHaveLength(0);
  });

  it("ds_reader without a guard row sees nothing, whatever app.tenant_id says", async () => {
    const db = database();
    try {
      const count = await db.withTenant(a.id, async (tx) => {
        await tx.execute(drizzleSql`select set_config('role', 'ds_reader', true)`);
        const result = await tx.execute<{ n: string }>(
          drizzleSql`select count(*)::text as n from issues`,
        );
        return result.rows[0]?.n;
      });
      expect(count).toBe("0");
    } finally {
      await db.close();
    }
  });

  it("app cannot open a guard for another tenant or another transaction", async () => {
    const db = database();
    try {
      for (const statement of [
        drizzleSql`insert into reader_guards values (pg_current_xact_id(), ${b.id})`,
        drizzleSql`insert into reader_guards values ('1'::xid8, ${a.id})`,
      ]) {
        const failure = await db
          .withTenant(a.id, (tx) => tx.execute(statement))
          .then(
            () => "accepted",
            (error: unknown) => findPgError(error)?.message ?? String(error),
          );
        expect(failure).toMatch(/row-level security/);
      }
    } finally {
      await db.close();
    }
  });

  it("catalog: every policy for ds_reader uses the guard; no setting-based one applies", async () => {
    const policies = await adminQuery<{ tablename: string; qual: string; roles: string[] }>(
      `select tablename, qual, roles::text[] as roles from pg_policies
       where ('ds_reader' = any(roles) or 'public' = any(roles))
         and has_table_privilege('ds_reader', format('%I.%I', schemaname, tablename), 'SELECT')`,
    );
    expect(policies.length).toBeGreaterThanOrEqual(8);
    for (const policy of policies) {
      expect(policy.roles).toEqual(["ds_reader"]);
      expect(policy.qual).toMatch(/app_reader_tenant\(\)/);
      expect(policy.qual).not.toMatch(/app_current_tenant|current_setting/);
    }
  });

  it("catalog: views ds_reader reads run with its rights; it is no member of any role", async () => {
    const ownerRights = await adminQuery(
      `select c.relname from pg_class c where c.relkind in ('v', 'm')
         and has_table_privilege('ds_reader', c.oid, 'SELECT')
         and c.relnamespace = 'public'::regnamespace
         and not coalesce('security_invoker=true' = any(c.reloptions), false)`,
    );
    expect(ownerRights).toEqual([]);
    expect(
      await adminQuery("select 1 from pg_auth_members where member = 'ds_reader'::regrole"),
    ).toHaveLength(0);
    const definers = await adminQuery<{ proname: string }>(
      `select proname from pg_proc where prosecdef and pronamespace = 'public'::regnamespace
         and has_function_privilege('ds_reader', oid, 'EXECUTE')`,
    );
    expect(definers.map((d) => d.proname)).toEqual(["app_reader_tenant"]);
  });

  it("the server is healthy afterwards and an ordinary query works", async () => {
    expect((await call("GET", "/healthz")).status).toBe(200);
    expect(await rows("select key from issues order by key")).toEqual([["AAA-1"], ["AAA-2"]]);
  });
});
