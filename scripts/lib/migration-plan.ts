/**
 * What `npm run deploy` would apply: drizzle-kit's journal (drizzle/migrations/meta/_journal.json)
 * against the database's `drizzle.__drizzle_migrations`, with drizzle's own rule — a migration is
 * pending when it is newer than the newest one applied.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as PgTypes from "pg";

export interface JournalMigration {
  tag: string;
  /** drizzle-kit's `when`: what drizzle records as `created_at` once applied. */
  when: number;
  file: string;
}

export async function readJournal(migrationsFolder: string): Promise<JournalMigration[]> {
  const journal = JSON.parse(
    await readFile(path.join(migrationsFolder, "meta/_journal.json"), "utf8"),
  ) as { entries: { tag: string; when: number }[] };
  return journal.entries.map((e) => ({
    tag: e.tag,
    when: e.when,
    file: path.join(migrationsFolder, `${e.tag}.sql`),
  }));
}

/** The journal's migrations not yet in the database (all of them on a fresh database). */
export async function pendingMigrations(
  client: PgTypes.Client,
  journal: JournalMigration[],
): Promise<JournalMigration[]> {
  const table = await client.query<{ exists: boolean }>(
    "select to_regclass('drizzle.__drizzle_migrations') is not null as exists",
  );
  if (!table.rows[0]?.exists) {
    return journal;
  }
  const last = await client.query<{ created_at: string | null }>(
    "select max(created_at)::text as created_at from drizzle.__drizzle_migrations",
  );
  const newest = Number(last.rows[0]?.created_at ?? 0);
  return journal.filter((m) => m.when > newest);
}

/**
 * drizzle applies every pending migration in one transaction, so a failure leaves the database as
 * it was but does not say which migration broke. Replays them one by one inside a transaction
 * that is always rolled back, and returns the first that fails, with the statement and error.
 */
export async function findFailingMigration(
  client: PgTypes.Client,
  pending: JournalMigration[],
): Promise<{ migration: JournalMigration; statement: string; error: string } | undefined> {
  await client.query("BEGIN");
  try {
    await client.query("SET LOCAL ROLE ds_owner");
    for (const migration of pending) {
      const statements = (await readFile(migration.file, "utf8")).split("--> statement-breakpoint");
      for (const statement of statements) {
        if (!statement.trim()) {
          continue;
        }
        try {
          await client.query(statement);
        } catch (error) {
          return {
            migration,
            statement: statement.trim().slice(0, 300),
            error: error instanceof Error ? error.message : String(error),
          };
        }
      }
    }
    return undefined;
  } finally {
    await client.query("ROLLBACK");
  }
}
