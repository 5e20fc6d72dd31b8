import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "../../../drizzle/schema";
import {
  type ReaderLimits,
  type ReaderQuery,
  type ReaderResult,
  runReaderQuery,
} from "./sql-reader";

export type Schema = typeof schema;
/** A connection inside a transaction already scoped to a role (and, for tenant work, a tenant). */
export type Tx = NeonDatabase<Schema>;

export interface DatabaseOptions {
  url: string;
  /** Local development and tests: the WebSocket→TCP proxy in front of a plain Postgres. */
  wsProxy?: string;
}

let configuredProxy: string | undefined;

/** neonConfig is module-global; set it once per isolate for the local proxy. */
function configureDriver(wsProxy: string | undefined): void {
  if (!wsProxy || configuredProxy === wsProxy) {
    return;
  }
  neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  // Pipelining the startup messages breaks SCRAM auth through the plain proxy.
  neonConfig.pipelineConnect = false;
  neonConfig.coalesceWrites = false;
  configuredProxy = wsProxy;
}

/** A Neon driver pool (one per request or job). */
export function createPool(options: DatabaseOptions): Pool {
  configureDriver(options.wsProxy);
  const pool = new Pool({ connectionString: options.url, max: 4 });
  // An idle client's socket closing is not an error of any request.
  pool.on("error", () => {});
  return pool;
}

/**
 * The only way to the database. Every unit of work is a transaction that first drops to a
 * restricted role — `app` with `app.tenant_id` set (RLS does the scoping), or `ds_system` for the
 * few cross-tenant lookups — so no caller can forget the tenant or run with the login's rights.
 * Create one per request or job (Workers cannot share sockets across requests) and `close()` it.
 *
 * @example
 * const issues = await database.withTenant(tenantId, (tx) => tx.select().from(schema.issues));
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Database {
  readonly #pool: Pool;

  constructor(options: DatabaseOptions) {
    this.#pool = createPool(options);
  }

  /** Runs `work` in a transaction as `app`, seeing only `tenantId`'s rows. */
  withTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (!UUID.test(tenantId)) {
      return Promise.reject(new Error("a tenant id must be a UUID"));
    }
    // The id is a checked UUID, so it can travel inline with BEGIN in one round trip.
    return this.#transaction(
      `BEGIN; SELECT set_config('role', 'app', true), set_config('app.tenant_id', '${tenantId}', true)`,
      work,
    );
  }

  /** Runs `work` as `ds_system`: read-only, cross-tenant, limited to lookups before the tenant is known. */
  withSystem<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#transaction("BEGIN READ ONLY; SELECT set_config('role', 'ds_system', true)", work);
  }

  /** BEGIN plus the scope settings as one simple-protocol batch, then `work`, then COMMIT. */
  async #transaction<T>(begin: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(drizzle({ client, schema }));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Runs a caller's read-only SQL as `ds_reader`, seeing only `tenantId`'s rows (sql-reader.ts). */
  withReader(tenantId: string, query: ReaderQuery, limits: ReaderLimits): Promise<ReaderResult> {
    return runReaderQuery(this.#pool, tenantId, query, limits);
  }

  /** A trivial round trip, for readiness checks and benchmarks. */
  async ping(): Promise<void> {
    await this.#pool.query("select 1");
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
