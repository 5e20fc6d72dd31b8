/**
 * Starts the real services the suite talks to — Postgres (Debian's server; PGlite only when no
 * server binaries exist), the WebSocket proxy the Neon driver needs, Redis behind an Upstash-
 * compatible HTTP shim, and the Jira Cloud simulator — and hands their addresses to the tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../scripts/lib/migrate.ts";
import { findPostgresBinaries, startPostgres } from "../scripts/lib/postgres-server.ts";
import { startWsProxy } from "../scripts/lib/ws-proxy.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Worker's login: member of app/ds_system/ds_reader only, NOINHERIT (rights only via SET ROLE). */
    databaseUrl: string;
    /** The migration/admin login, for fixtures that must see every tenant. */
    databaseAdminUrl: string;
    wsProxy: string;
    upstashUrl: string;
    upstashToken: string;
    jiraSimUrl: string;
    /** Fake OpenAI, Anthropic and Workers AI endpoints (test/ai-fakes/server.ts). */
    aiFakeUrl: string;
  }
}

type Stop = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Stop> {
  const stops: Stop[] = [];
  const database = await startDatabase();
  stops.push(database.stop);
  await migrateDatabase(database.url);
  const workerUrl = await createWorkerLogin(database.url);
  const proxy = await startWsProxy();
  stops.push(proxy.close);

  const upstash = await startUpstash();
  stops.push(upstash.stop);

  const { startJiraSimulator } = await import("./jira-sim/server.ts");
  const sim = await startJiraSimulator({ port: 0, issues: 20, seed: 1 });
  stops.push(sim.close);

  const { startAiFakes } = await import("./ai-fakes/server.ts");
  const aiFakes = await startAiFakes();
  stops.push(aiFakes.close);

  project.provide("databaseUrl", workerUrl);
  project.provide("databaseAdminUrl", database.url);
  project.provide("wsProxy", proxy.address);
  project.provide("upstashUrl", upstash.url);
  project.provide("upstashToken", upstash.token);
  project.provide("jiraSimUrl", sim.url);
  project.provide("aiFakeUrl", aiFakes.url);

  return async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => console.error("teardown:", error));
    }
  };
}

async function startDatabase(): Promise<{ url: string; stop: Stop }> {
  const binDir = findPostgresBinaries();
  if (binDir) {
    const pg = await startPostgres(binDir);
    return { url: pg.url, stop: pg.stop };
  }
  console.warn(
    "\n⚠  No Postgres server binaries found (Debian package `postgresql`): running the suite on " +
      "embedded PGlite. RLS and concurrency tests mean most on a real server — CI uses one.\n",
  );
  const { startPglite } = await import("../scripts/lib/pglite-server.ts");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ds-pglite-"));
  const pglite = await startPglite({ dataDir });
  return {
    url: pglite.url,
    stop: async () => {
      await pglite.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The login the Worker uses, as production should have it: it can only SET ROLE to the
 * restricted roles, so even a `RESET ROLE` inside a transaction leaves it with no rights.
 */
async function createWorkerLogin(adminUrl: string): Promise<string> {
  const { createRequire } = await import("node:module");
  const pg = createRequire(import.meta.url)("pg") as typeof import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ds_worker') THEN
        CREATE ROLE ds_worker LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$;
    GRANT app, ds_system, ds_reader TO ds_worker;`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.username = "ds_worker";
  return url.toString();
}

async function startUpstash(): Promise<{ url: string; token: string; stop: Stop }> {
  const { startRedis } = await import("../scripts/lib/redis-server.ts");
  const { startUpstashShim } = await import("../scripts/lib/upstash-shim.ts");
  const redis = await startRedis();
  const shim = await startUpstashShim({ redisPort: redis.port, token: "test-upstash-token" });
  return {
    url: shim.url,
    token: shim.token,
    stop: async () => {
      await shim.close();
      await redis.stop();
    },
  };
}
