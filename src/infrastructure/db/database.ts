import { neonConfig, Pool } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { drizzle as drizzleHttp, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { neon } from "@neondatabase/serverless";
import * as schema from "../../../drizzle/schema";
import { type ApiKeyAccess, type ReadCaller, readAuthorization } from "./read-authorization";
import {
  type ReaderLimits,
  type ReaderQuery,
  type ReaderResult,
  runReaderQuery,
} from "./sql-reader";

export type Schema = typeof schema;
/** A connection inside a transaction already scoped to a role (and, for tenant work, a tenant). */
export type Tx = NeonDatabase<Schema>;
/** Builds the statements of a one-round-trip read; they run as `app`, scoped to one tenant. */
export type ReadDb = NeonHttpDatabase<Schema>;

export interface DatabaseOptions {
  url: string;
  /** Local development and tests: the WebSocket→TCP proxy in front of a plain Postgres. */
  wsProxy?: string;
  /** Local development and tests: Neon's SQL-over-HTTP protocol on loopback (Neon's own otherwise). */
  httpEndpoint?: string;
  /** Per statement, for reads and the API-key check (default 5 s). */
  statementTimeoutMs?: number;
}

/** Who may read: a tenant already known, or an API key checked inside the read itself. */
export type ReadAccess = { tenantId: string } | ApiKeyAccess;

export interface ReadResult<T> {
  results: T;
  /** For an API-key read: whose key it was and what is left of its limits. */
  caller?: ReadCaller;
}

const configured = {
  wsProxy: undefined as string | undefined,
  http: undefined as string | undefined,
};

/** neonConfig is module-global; set it once per isolate for the local endpoints. */
function configureDriver(options: DatabaseOptions): void {
  const { wsProxy, httpEndpoint } = options;
  if (wsProxy && configured.wsProxy !== wsProxy) {
    neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // Pipelining the startup messages breaks SCRAM auth through the plain proxy.
    neonConfig.pipelineConnect = false;
    neonConfig.coalesceWrites = false;
    configured.wsProxy = wsProxy;
  }
  if (httpEndpoint && configured.http !== httpEndpoint) {
    neonConfig.fetchEndpoint = () => httpEndpoint;
    configured.http = httpEndpoint;
  }
}

/** A Neon driver pool (one per request or job). */
export function createPool(options: DatabaseOptions): Pool {
  configureDriver(options);
  const pool = new Pool({ connectionString: options.url, max: 4 });
  // An idle client's socket closing is not an error of any request.
  pool.on("error", () => {});
  return pool;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
/** Sync and writes move more rows per statement than a read: a wider bound, still a bound. */
const WORK_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * The only way to the database. Two paths:
 * - `read`: one HTTPS round trip (Neon's SQL-over-HTTP, a non-interactive transaction) carrying the
 *   role, the tenant scope — or the API-key check that sets it — and every statement of the read.
 * - `withTenant` / `withSystem`: interactive transactions over a WebSocket, for writes and sync,
 *   which need a statement's result before the next.
 * Every unit drops to a restricted role first — `app` with `app.tenant_id` set (RLS does the
 * scoping), or `ds_system` for the few cross-tenant lookups — so no caller can forget the tenant.
 * Create one per request or job (Workers cannot share sockets across requests) and `close()` it.
 *
 * @example
 * const { results: [issues] } = await database.read({ tenantId }, (db) => [db.select().from(schema.projects)]);
 */
export class Database {
  readonly #options: DatabaseOptions;
  #pool: Pool | undefined;
  #http: ReadDb | undefined;

  constructor(options: DatabaseOptions) {
    this.#options = options;
    configureDriver(options);
  }

  get #timeoutMs(): number {
    return this.#options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  }

  get #connections(): Pool {
    this.#pool ??= createPool(this.#options);
    return this.#pool;
  }

  get #reads(): ReadDb {
    this.#http ??= drizzleHttp({ client: neon(this.#options.url), schema });
    return this.#http;
  }

  /**
   * Runs `build`'s statements in one round trip as `app`, seeing one tenant's rows. With an API
   * key, the key check (scope, revocation) and its rate-limit count travel in the same
   * transaction; a refused key raises 401/403/429 and its statements saw no tenant's rows.
   */
  async read<const Q extends readonly [BatchItem<"pg">, ...BatchItem<"pg">[]]>(
    access: ReadAccess,
    build: (db: ReadDb) => Q,
  ): Promise<ReadResult<BatchResponse<Q>>> {
    const db = this.#reads;
    const statements = build(db);
    if ("tenantId" in access) {
      if (!UUID.test(access.tenantId)) {
        throw new Error("a tenant id must be a UUID");
      }
      const [, ...results] = await db.batch([
        db.execute(sql`select set_config('role', 'app', true),
          set_config('app.tenant_id', ${access.tenantId}, true),
          set_config('statement_timeout', ${`${this.#timeoutMs}ms`}, true)`),
        ...statements,
      ]);
      return { results: results as unknown as BatchResponse<Q> };
    }
    const all = await db.batch([
      db.execute(sql`select set_config('role', 'ds_system', true)`),
      db.execute(
        sql`select ds_authorize(${access.keyHash}, ${access.scope ?? null}, ${access.defaultTenantLimit}::int, ${this.#timeoutMs}::int) as auth`,
      ),
      db.execute(sql`select set_config('role', 'app', true)`),
      ...statements,
      db.execute(sql`select ds_count_request() as counts`),
    ]);
    const caller = readAuthorization(
      (all[1] as unknown as { rows: { auth: unknown }[] }).rows[0]?.auth,
      (all.at(-1) as unknown as { rows: { counts: unknown }[] }).rows[0]?.counts,
    );
    access.onAuthorized?.(caller);
    return { results: all.slice(3, -1) as unknown as BatchResponse<Q>, caller };
  }

  /** Checks an API key and counts the request against its limits, in one round trip. */
  async authenticate(access: Omit<ApiKeyAccess, "scope" | "onAuthorized">): Promise<ReadCaller> {
    const db = this.#reads;
    const [, result] = await db.batch([
      db.execute(sql`select set_config('role', 'ds_system', true)`),
      db.execute(
        sql`select ds_authenticate(${access.keyHash}, ${access.defaultTenantLimit}::int, ${this.#timeoutMs}::int) as auth`,
      ),
    ]);
    const auth = (result as unknown as { rows: { auth: { limits?: unknown } }[] }).rows[0]?.auth;
    return readAuthorization(auth, auth?.limits ?? null);
  }

  /**
   * Counts one use of a per-tenant budget (`name`, e.g. "ai") against `perMinute`, in one round
   * trip; a refused use is not counted.
   */
  async countTenantUse(
    tenantId: string,
    name: string,
    perMinute: number,
  ): Promise<{ allowed: boolean; limit: number; remaining: number; resetSeconds: number }> {
    const {
      results: [result],
    } = await this.read({ tenantId }, (db) => [
      db.execute(sql`select ds_tenant_limit(${name}, ${perMinute}::int) as usage`),
    ]);
    const usage = (result as unknown as { rows: { usage: unknown }[] }).rows[0]?.usage;
    return usage as { allowed: boolean; limit: number; remaining: number; resetSeconds: number };
  }

  /** Runs `work` in a transaction as `app`, seeing only `tenantId`'s rows. */
  withTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (!UUID.test(tenantId)) {
      return Promise.reject(new Error("a tenant id must be a UUID"));
    }
    // The id is a checked UUID, so it can travel inline with BEGIN in one round trip.
    return this.#transaction(
      `BEGIN; SELECT set_config('role', 'app', true), set_config('app.tenant_id', '${tenantId}', true), set_config('statement_timeout', '${WORK_STATEMENT_TIMEOUT_MS}ms', true)`,
      work,
    );
  }

  /** Runs `work` as `ds_system`: read-only, cross-tenant, limited to lookups before the tenant is known. */
  withSystem<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#transaction(
      `BEGIN READ ONLY; SELECT set_config('role', 'ds_system', true), set_config('statement_timeout', '${WORK_STATEMENT_TIMEOUT_MS}ms', true)`,
      work,
    );
  }

  /** BEGIN plus the scope settings as one simple-protocol batch, then `work`, then COMMIT. */
  async #transaction<T>(begin: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.#connections.connect();
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
    return runReaderQuery(this.#connections, tenantId, query, limits);
  }

  /** A trivial round trip over the read path, for readiness checks and benchmarks. */
  async ping(): Promise<void> {
    await this.#reads.execute(sql`select 1`);
  }

  async close(): Promise<void> {
    await this.#pool?.end();
  }
}
