/**
 * Applies the database migrations: the role bootstrap (drizzle/bootstrap.sql, as the connecting
 * admin login), then drizzle-kit's migrations as `ds_owner`, so every table is owned by that role.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type * as PgTypes from "pg";

// `pg` is CommonJS; load it the Node way so this also works inside vitest's globalSetup.
const require = createRequire(import.meta.url);
const pg = require("pg") as typeof PgTypes;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function migrateDatabase(
  databaseUrl: string,
  migrationsFolder = path.join(root, "drizzle/migrations"),
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(await readFile(path.join(root, "drizzle/bootstrap.sql"), "utf8"));
    await client.query("SET ROLE ds_owner");
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end();
  }
}
