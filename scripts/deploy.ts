/**
 * `npm run deploy`: apply the database migrations to DATABASE_URL (Neon in production), then
 * `wrangler deploy`. Nothing is deployed when a migration fails; the failing one is named.
 *
 * `npm run deploy -- --dry-run` acts on nothing: it lists the pending migrations (against
 * DATABASE_URL when it is reachable; offline it lists them all and says so) and runs
 * `wrangler deploy --dry-run --outdir dist`, which bundles the Worker and checks its config.
 *
 * Options: --dry-run, --outdir <dir> (dry run bundle folder, default dist),
 * --migrations <dir> (default drizzle/migrations).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type * as PgTypes from "pg";
import { migrateDatabase } from "./lib/migrate.ts";
import {
  findFailingMigration,
  type JournalMigration,
  pendingMigrations,
  readJournal,
} from "./lib/migration-plan.ts";

const require = createRequire(import.meta.url);
const pg = require("pg") as typeof PgTypes;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const { values } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    outdir: { type: "string", default: "dist" },
    migrations: { type: "string", default: path.join(root, "drizzle/migrations") },
  },
});
const dryRun = values["dry-run"];
const migrationsFolder = path.resolve(values.migrations);
const databaseUrl = process.env.DATABASE_URL;

/** The database's host only: the URL carries a password. */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
};

async function connect(url: string): Promise<PgTypes.Client | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    console.log(`database ${hostOf(url)} is not reachable: ${(error as Error).message}`);
    return undefined;
  }
}

function printPlan(pending: JournalMigration[], note: string) {
  console.log(`\nmigrations ${note}:`);
  console.log(pending.length > 0 ? pending.map((m) => `  - ${m.tag}`).join("\n") : "  (none)");
}

function wrangler(args: string[]): number {
  console.log(`\n$ wrangler ${args.join(" ")}`);
  const bin = path.join(root, "node_modules/.bin/wrangler");
  const result = spawnSync(bin, args, { cwd: root, stdio: "inherit" });
  return result.status ?? 1;
}

async function plan(): Promise<void> {
  const journal = await readJournal(migrationsFolder);
  const client = databaseUrl ? await connect(databaseUrl) : undefined;
  if (!client) {
    printPlan(
      journal,
      databaseUrl
        ? "(database unreachable: listing all; those already applied will be skipped)"
        : "(DATABASE_URL not set: offline, listing all; those already applied will be skipped)",
    );
  } else {
    try {
      printPlan(
        await pendingMigrations(client, journal),
        `pending on ${hostOf(databaseUrl ?? "")}`,
      );
    } finally {
      await client.end();
    }
  }
  const status = wrangler(["deploy", "--dry-run", "--outdir", values.outdir]);
  console.log(status === 0 ? "\ndry run: nothing was changed." : "\nwrangler dry run failed.");
  process.exit(status);
}

async function deploy(): Promise<void> {
  if (!databaseUrl) {
    console.error("DATABASE_URL is not set: point it at the production database (Neon).");
    process.exit(1);
  }
  const journal = await readJournal(migrationsFolder);
  const client = await connect(databaseUrl);
  if (!client) {
    console.error("refusing to deploy: the database cannot be reached.");
    process.exit(1);
  }
  let pending: JournalMigration[];
  try {
    pending = await pendingMigrations(client, journal);
  } finally {
    await client.end();
  }
  printPlan(pending, `to apply on ${hostOf(databaseUrl)}`);
  try {
    await migrateDatabase(databaseUrl, migrationsFolder);
  } catch (error) {
    const diagnosis = await connect(databaseUrl);
    const failure = diagnosis
      ? await findFailingMigration(diagnosis, pending).finally(() => diagnosis.end())
      : undefined;
    console.error(
      failure
        ? `\nmigration ${failure.migration.tag} failed: ${failure.error}\n  in: ${failure.statement}`
        : `\nmigrations failed: ${(error as Error).message}`,
    );
    console.error("refusing to deploy: no migration was applied (they run in one transaction).");
    process.exit(1);
  }
  console.log("migrations applied");
  process.exit(wrangler(["deploy"]));
}

await (dryRun ? plan() : deploy());
