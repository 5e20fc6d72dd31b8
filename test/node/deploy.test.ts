/** `npm run deploy`: the dry run offline (as CI runs it), the plan against a database, and refusal. */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type * as PgTypes from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readJournal } from "../../scripts/lib/migration-plan.ts";

const pg = createRequire(import.meta.url)("pg") as typeof PgTypes;
const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "ds-deploy-"));
const journal = await readJournal(path.join(root, "drizzle/migrations"));

function deploy(args: string[], env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    XDG_CONFIG_HOME: path.join(dir, ".config"),
    ...env,
  };
  for (const [name, value] of Object.entries(childEnv)) {
    if (value === undefined) {
      delete childEnv[name];
    }
  }
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/deploy.ts"), ...args], {
      cwd: root,
      env: childEnv,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("close", (code) => resolve({ code, output }));
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run deploy -- --dry-run", () => {
  it("works offline: lists every migration, says so, and bundles without deploying", async () => {
    const outdir = path.join(dir, "dist");
    const { code, output } = await deploy(["--dry-run", "--outdir", outdir], {
      DATABASE_URL: undefined,
    });
    expect(code, output).toBe(0);
    expect(output).toContain("DATABASE_URL not set: offline");
    for (const migration of journal) {
      expect(output).toContain(`  - ${migration.tag}`);
    }
    expect(output).toContain("wrangler deploy --dry-run");
    // wrangler's own summary of what the bundle binds.
    expect(output).toContain("env.JIRA_INSTANCE");
    expect(output).toContain("nothing was changed");
    expect(existsSync(path.join(outdir, "index.js"))).toBe(true);
  }, 180_000);
});

describe("npm run deploy against a database", () => {
  const database = `deploy_${process.pid}_${Date.now()}`;
  let url: string;
  let admin: PgTypes.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject("databaseAdminUrl") });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const target = new URL(inject("databaseAdminUrl"));
    target.pathname = `/${database}`;
    url = target.toString();
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it("refuses to deploy when a migration fails, names it, and applies nothing", async () => {
    // The project's migrations plus a broken one at the end.
    const folder = path.join(dir, "migrations");
    cpSync(path.join(root, "drizzle/migrations"), folder, { recursive: true });
    const meta = JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8"));
    const last = meta.entries.at(-1);
    meta.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: "9999_broken" });
    writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(meta));
    writeFileSync(
      path.join(folder, "9999_broken.sql"),
      'ALTER TABLE "issues" ADD COLUMN "x" integer;--> statement-breakpoint\nALTER TABLE "no_such_table" ADD COLUMN "y" integer;',
    );

    const plan = await deploy(
      ["--dry-run", "--migrations", folder, "--outdir", path.join(dir, "d2")],
      {
        DATABASE_URL: url,
      },
    );
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toContain(`pending on ${new URL(url).host}`);
    expect(plan.output).toContain("  - 0000_init");
    expect(plan.output).toContain("  - 9999_broken");
    expect(plan.output).not.toContain(new URL(url).password || "never-a-password");

    const failed = await deploy(["--migrations", folder], { DATABASE_URL: url });
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("migration 9999_broken failed");
    expect(failed.output).toContain('relation "no_such_table" does not exist');
    expect(failed.output).toContain("refusing to deploy");
    expect(failed.output).not.toContain("$ wrangler");

    // One transaction: the good migrations before it were not applied either.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query("select to_regclass('public.issues') as t");
    await client.end();
    expect(tables.rows[0].t).toBeNull();
  }, 180_000);

  it("lists only what is pending once the database is migrated", async () => {
    const { migrateDatabase } = await import("../../scripts/lib/migrate.ts");
    await migrateDatabase(url);
    const plan = await deploy(["--dry-run", "--outdir", path.join(dir, "d3")], {
      DATABASE_URL: url,
    });
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toMatch(/pending on [^\n]+:\n {2}\(none\)/);
  }, 180_000);
});
