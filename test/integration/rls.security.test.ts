import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { issues, jiraInstances, tenants } from "../../drizzle/schema";
import { Database } from "../../src/infrastructure/db/database";
import { findPgError } from "../../src/infrastructure/db/errors";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { insertInstance, insertIssue, insertTenant } from "../helpers/factories";

/** Resolves to Postgres' message for a rejected promise (drizzle wraps it). */
async function pgFailure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return findPgError(error)?.message ?? String(error);
  }
  throw new Error("expected the database to refuse");
}

const database = () => new Database({ url: testEnv.DATABASE_URL, wsProxy: testEnv.DB_WS_PROXY });

async function twoTenantsWithIssues() {
  const a = await insertTenant("A");
  const b = await insertTenant("B");
  const ia = await insertInstance(a.id);
  const ib = await insertInstance(b.id);
  await insertIssue(a.id, ia.id, "AAA-1");
  await insertIssue(a.id, ia.id, "AAA-2");
  await insertIssue(b.id, ib.id, "BBB-1");
  return { a, b, ia, ib };
}

describe("row-level security", () => {
  it("as app, a transaction sees only the current tenant's rows", async () => {
    const { a, b } = await twoTenantsWithIssues();
    const db = database();
    try {
      const seenByA = await db.withTenant(a.id, (tx) =>
        tx.select({ key: issues.key }).from(issues),
      );
      expect(seenByA.map((r) => r.key).sort()).toEqual(["AAA-1", "AAA-2"]);
      const seenByB = await db.withTenant(b.id, (tx) =>
        tx.select({ id: tenants.id }).from(tenants),
      );
      expect(seenByB).toEqual([{ id: b.id }]);
    } finally {
      await db.close();
    }
  });

  it("with no tenant set, app sees nothing", async () => {
    await twoTenantsWithIssues();
    const db = database();
    try {
      const count = await db.withTenant("00000000-0000-0000-0000-000000000000", async (tx) => {
        await tx.execute(sql`select set_config('app.tenant_id', '', true)`);
        const result = await tx.select({ key: issues.key }).from(issues);
        return result.length;
      });
      expect(count).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("rejects inserting a row for another tenant", async () => {
    const { a, b, ib } = await twoTenantsWithIssues();
    const db = database();
    try {
      expect(
        await pgFailure(
          db.withTenant(a.id, (tx) =>
            tx.execute(
              sql`insert into issues (tenant_id, instance_id, jira_id, key, project_key, created, updated, jira_updated, raw)
                values (${b.id}, ${ib.id}, '999', 'BBB-9', 'BBB', now(), now(), now(), '{}')`,
            ),
          ),
        ),
      ).toMatch(/row-level security/);
      const stored = await adminQuery(
        "select 1 from issues where key = 'BBB-9' and tenant_id = $1",
        [b.id],
      );
      expect(stored).toHaveLength(0);
    } finally {
      await db.close();
    }
  });

  it("cannot be escaped by resetting the role: the Worker's login has no rights of its own", async () => {
    const { a } = await twoTenantsWithIssues();
    const db = database();
    try {
      expect(
        await pgFailure(
          db.withTenant(a.id, async (tx) => {
            await tx.execute(sql`reset role`);
            return tx.select().from(issues);
          }),
        ),
      ).toMatch(/permission denied/);
    } finally {
      await db.close();
    }
  });

  it("the system scope is read-only and cannot read tenant data", async () => {
    const { ia } = await twoTenantsWithIssues();
    const db = database();
    try {
      const instances = await db.withSystem((tx) =>
        tx.select({ id: jiraInstances.id }).from(jiraInstances),
      );
      expect(instances.map((i) => i.id)).toContain(ia.id);
      expect(await pgFailure(db.withSystem((tx) => tx.select().from(issues)))).toMatch(
        /permission denied/,
      );
      expect(
        await pgFailure(
          db.withSystem((tx) => tx.execute(sql`delete from jira_instances where id = ${ia.id}`)),
        ),
      ).toMatch(/read-only|permission denied/);
    } finally {
      await db.close();
    }
  });

  it("every tenant-owned table has RLS enabled and forced, with a policy", async () => {
    const rows = await adminQuery<{
      relname: string;
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
      policies: number;
    }>(
      `select c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id')
               or c.relname = 'tenants')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(14);
    for (const row of rows) {
      expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
      expect(row.policies, row.relname).toBeGreaterThan(0);
    }
  });

  it("app is not a superuser, cannot bypass RLS and owns no table", async () => {
    const [role] = await adminQuery<{ rolsuper: boolean; rolbypassrls: boolean }>(
      "select rolsuper, rolbypassrls from pg_roles where rolname = 'app'",
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await adminQuery(
      "select tablename from pg_tables where schemaname = 'public' and tableowner = 'app'",
    );
    expect(owned).toEqual([]);
  });
});
