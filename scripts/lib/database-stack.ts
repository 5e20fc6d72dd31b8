/**
 * The database side of every local stack — `npm run dev`, the test suite and the benches start it
 * the same way: a Postgres (the embedded one, or DATABASE_URL), the migrations, the restricted
 * login the Worker uses, and the two loopback endpoints the Neon driver needs without Neon: the
 * WebSocket proxy (interactive transactions) and SQL-over-HTTP (one-round-trip reads).
 */
import { createRequire } from "node:module";
import type * as PgTypes from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { migrateDatabase } from "./migrate.ts";
import { type SqlOverHttpHandle, startSqlOverHttp } from "./sql-over-http.ts";
import { startWsProxy } from "./ws-proxy.ts";

const require = createRequire(import.meta.url);
const pg = require("pg") as typeof PgTypes;

export interface DatabaseStackOptions {
  /** An existing database; unset: the embedded Postgres. */
  databaseUrl?: string;
  /** Keep the embedded database's data here between runs; unset: a throwaway cluster. */
  dataDir?: string;
  /** The Worker login's password (persisted by dev; any value for throwaway clusters). */
  workerPassword?: string;
  log?: (line: string) => void;
}

export interface DatabaseStack {
  /** Migration/admin login: sees every tenant (fixtures, benches). */
  adminUrl: string;
  /** The Worker's login: NOINHERIT member of app/ds_system/ds_reader, rights only via SET ROLE. */
  workerUrl: string;
  /** `DB_WS_PROXY` for the Worker; undefined for a remote database (reached directly). */
  wsProxy?: string;
  /** `DB_HTTP_ENDPOINT` for the Worker; undefined for a remote database (Neon's own /sql). */
  httpEndpoint?: string;
  sqlOverHttp?: SqlOverHttpHandle;
  label: string;
  stop(): Promise<void>;
}

export async function startDatabaseStack(
  options: DatabaseStackOptions = {},
): Promise<DatabaseStack> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) {
      await step().catch(() => {});
    }
  };
  try {
    let adminUrl = options.databaseUrl;
    let label = `DATABASE_URL (${redactUrl(adminUrl ?? "")})`;
    if (!adminUrl) {
      const started = Date.now();
      const server = await startEmbeddedPostgres({ dataDir: options.dataDir });
      stops.push(server.stop);
      adminUrl = server.url;
      label = `embedded Postgres 17 on 127.0.0.1:${server.port}${options.dataDir ? `, data in ${options.dataDir}` : " (throwaway)"}`;
      options.log?.(`Postgres started (${Date.now() - started} ms)`);
    }
    const migrated = Date.now();
    await migrateDatabase(adminUrl);
    options.log?.(`migrations applied (${Date.now() - migrated} ms)`);

    // A database we started gets the restricted Worker login; one we were given is used as given.
    const workerUrl = options.databaseUrl
      ? adminUrl
      : await ensureWorkerLogin(adminUrl, options.workerPassword ?? "ds-worker-local");
    let wsProxy: string | undefined;
    let sqlOverHttp: SqlOverHttpHandle | undefined;
    if (isLoopbackUrl(adminUrl)) {
      const proxy = await startWsProxy();
      stops.push(proxy.close);
      wsProxy = proxy.address;
      sqlOverHttp = await startSqlOverHttp();
      stops.push(sqlOverHttp.close);
    }
    return {
      adminUrl,
      workerUrl,
      wsProxy,
      httpEndpoint: sqlOverHttp?.endpoint,
      sqlOverHttp,
      label,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The login the Worker uses, as production should have it: it can only SET ROLE to the
 * restricted roles, so even a `RESET ROLE` inside a transaction leaves it with no rights.
 */
async function ensureWorkerLogin(adminUrl: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ds_worker') THEN
        CREATE ROLE ds_worker LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$;
    GRANT app, ds_system, ds_reader TO ds_worker;`);
    await client.query(`ALTER ROLE ds_worker PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.username = "ds_worker";
  url.password = password;
  return url.toString();
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(host);
  } catch {
    return false;
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = "***";
    }
    return parsed.toString();
  } catch {
    return "unparseable URL";
  }
}
