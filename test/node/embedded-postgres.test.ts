/**
 * The embedded Postgres that dev, the suite and the benches share: a real server from npm, its
 * data kept between runs, nothing left locked by a crash, and the Neon SQL-over-HTTP endpoint in
 * front of it answering as Neon's `/sql` does — checked with the real driver.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { neon, neonConfig } from "@neondatabase/serverless";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres.ts";
import { startSqlOverHttp } from "../../scripts/lib/sql-over-http.ts";

const pg = createRequire(import.meta.url)("pg") as typeof import("pg");
const root = mkdtempSync(path.join(os.tmpdir(), "ds-embedded-pg-"));
if (process.getuid?.() === 0) {
  execFileSync("chmod", ["755", root]);
}
/** One throwaway server for the tests that need no data of their own. */
const throwaway = startEmbeddedPostgres();
afterAll(async () => {
  await (await throwaway).stop();
  rmSync(root, { recursive: true, force: true });
});

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("embedded Postgres", () => {
  it("keeps its data between runs and recovers from a run that was killed", async () => {
    const dataDir = path.join(root, "persistent", "postgres");
    const first = await startEmbeddedPostgres({ dataDir });
    await query(first.url, "create table kept (n int); insert into kept values (42)");
    // A crashed `npm run dev`: its server lives on as an orphan holding the data directory.
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    expect(() => process.kill(pid, 0)).not.toThrow();
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(() => process.kill(pid, 0)).toThrow();
      expect(await query<{ n: number }>(second.url, "select n from kept")).toEqual([{ n: 42 }]);
      const [row] = await query<{ version: string }>(second.url, "select version()");
      expect(row?.version).toMatch(/^PostgreSQL 17/);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it("cancels a statement past statement_timeout, as Neon does", async () => {
    const server = await throwaway;
    const started = Date.now();
    await expect(
      query(server.url, "set statement_timeout = 300; select pg_sleep(30)"),
    ).rejects.toThrow(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);
});

describe("SQL-over-HTTP (Neon's /sql protocol) with the real driver", () => {
  it("answers queries and non-interactive transactions, and reports SQL errors as Neon does", async () => {
    const server = await throwaway;
    const endpoint = await startSqlOverHttp();
    neonConfig.fetchEndpoint = () => endpoint.endpoint;
    try {
      const sql = neon(`${server.url}?application_name=http-test`);
      expect(
        await sql`select ${41}::int + 1 as n, now() is not null as t, '{"a":1}'::jsonb as j`,
      ).toEqual([{ n: 42, t: true, j: { a: 1 } }]);
      const [set, read] = await sql.transaction([
        sql`select set_config('app.x', 'inside', true) as v`,
        sql`select current_setting('app.x', true) as v`,
      ]);
      expect([set, read]).toEqual([[{ v: "inside" }], [{ v: "inside" }]]);
      await expect(sql`select 1/0`).rejects.toMatchObject({ code: "22012" });
      // A failed batch rolls back as one transaction.
      await expect(
        sql.transaction([sql`create table t_http (n int)`, sql`select 1/0`]),
      ).rejects.toMatchObject({ code: "22012" });
      await expect(sql`select * from t_http`).rejects.toMatchObject({ code: "42P01" });
      expect(endpoint.stats().byApplication["http-test"]).toBe(5);
      // Never an open relay: only loopback databases.
      const refused = await fetch(endpoint.endpoint, {
        method: "POST",
        headers: { "Neon-Connection-String": "postgres://u:p@db.example.com/x" },
        body: JSON.stringify({ query: "select 1", params: [] }),
      });
      expect(refused.status).toBe(400);
    } finally {
      await endpoint.close();
    }
  }, 60_000);
});
