/**
 * Neon's SQL-over-HTTP protocol on loopback, in front of a `pg` pool: what Neon's `/sql` endpoint
 * does in production, so the Worker's one-round-trip read path (`neon()` / `transaction()` of
 * `@neondatabase/serverless`) runs the same code locally as on Neon.
 *
 *   POST /sql  {query, params} | {queries:[{query, params}]}   headers: Neon-Connection-String,
 *   Neon-Array-Mode, Neon-Raw-Text-Output, Neon-Batch-Isolation-Level/-Read-Only/-Deferrable
 *   → 200 {command, rowCount, rows, fields} | {results:[…]};  400 {message, code, …} on SQL errors.
 *
 * A batch is one transaction (BEGIN … COMMIT, ROLLBACK on the first error). Only loopback
 * databases are served: this must never become an open relay. `GET /stats` counts requests, so
 * tests can prove how many round trips an API call took.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type * as PgTypes from "pg";

const require = createRequire(import.meta.url);
const pg = require("pg") as typeof PgTypes;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** The error fields the Neon driver copies onto its NeonDbError. */
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;
const ISOLATION: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};
// Rows travel as text; the driver parses them by type id, exactly as with Neon.
const rawText = { getTypeParser: () => (value: string) => value };

interface QueryData {
  query: string;
  params?: unknown[];
}

export interface SqlOverHttpStats {
  requests: number;
  transactions: number;
  queries: number;
  /** Requests by the connection string's `application_name`, for tests to count round trips. */
  byApplication: Record<string, number>;
}

export interface SqlOverHttpHandle {
  port: number;
  /** Value for the Worker's `DB_HTTP_ENDPOINT` setting. */
  endpoint: string;
  stats(): SqlOverHttpStats;
  close(): Promise<void>;
}

export async function startSqlOverHttp(
  options: { port?: number; poolSize?: number } = {},
): Promise<SqlOverHttpHandle> {
  const pools = new Map<string, PgTypes.Pool>();
  const stats: SqlOverHttpStats = { requests: 0, transactions: 0, queries: 0, byApplication: {} };

  const poolFor = (connectionString: string): PgTypes.Pool => {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = new pg.Pool({
        connectionString,
        max: options.poolSize ?? 40,
        idleTimeoutMillis: 30_000,
      });
      pool.on("error", () => {}); // an idle client's socket closing is no request's error
      pools.set(connectionString, pool);
    }
    return pool;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    if (req.method === "GET" && url.pathname === "/stats") {
      return send(res, 200, stats);
    }
    if (req.method !== "POST" || url.pathname !== "/sql") {
      return send(res, 404, { message: "POST /sql only" });
    }
    stats.requests++;
    const connectionString = header(req, "neon-connection-string");
    if (!connectionString || !isLoopback(connectionString)) {
      return send(res, 400, { message: "Neon-Connection-String must name a loopback database" });
    }
    const application = new URL(connectionString).searchParams.get("application_name") ?? "";
    stats.byApplication[application] = (stats.byApplication[application] ?? 0) + 1;
    const body = JSON.parse(await readBody(req)) as QueryData | { queries: QueryData[] };
    const arrayMode = header(req, "neon-array-mode") === "true";
    const pool = poolFor(connectionString);
    const client = await pool.connect().catch((error: unknown) => {
      send(res, 503, { message: `database unavailable: ${String(error)}` });
      return undefined;
    });
    if (!client) {
      return;
    }
    let broken = false;
    try {
      if ("queries" in body) {
        stats.transactions++;
        await client.query(begin(req));
        try {
          const results = [];
          for (const query of body.queries) {
            results.push(await run(client, query, arrayMode));
          }
          await client.query("COMMIT");
          send(res, 200, { results });
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {
            broken = true;
          });
          throw error;
        }
      } else {
        send(res, 200, await run(client, body, arrayMode));
      }
    } catch (error) {
      sendSqlError(res, error);
    } finally {
      client.release(broken);
    }
  }

  async function run(client: PgTypes.PoolClient, data: QueryData, arrayMode: boolean) {
    stats.queries++;
    const result = await client.query({
      text: data.query,
      values: data.params ?? [],
      rowMode: "array",
      types: rawText,
    });
    const fields = result.fields.map((f) => ({ ...f }));
    const rows = arrayMode
      ? result.rows
      : (result.rows as unknown[][]).map((row) =>
          Object.fromEntries(fields.map((f, i) => [f.name, row[i]])),
        );
    return {
      command: result.command,
      rowCount: result.rowCount,
      rows,
      fields,
      rowAsArray: arrayMode,
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  server.keepAliveTimeout = 60_000;
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}/sql`,
    stats: () => ({ ...stats, byApplication: { ...stats.byApplication } }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
    },
  };
}

function begin(req: IncomingMessage): string {
  const parts = ["BEGIN"];
  const isolation = ISOLATION[header(req, "neon-batch-isolation-level") ?? ""];
  if (isolation) {
    parts.push(`ISOLATION LEVEL ${isolation}`);
  }
  if (header(req, "neon-batch-read-only") === "true") {
    parts.push("READ ONLY");
  }
  if (header(req, "neon-batch-deferrable") === "true") {
    parts.push("DEFERRABLE");
  }
  return parts.join(" ");
}

function sendSqlError(res: ServerResponse, error: unknown): void {
  const source = (error ?? {}) as Record<string, unknown>;
  const body: Record<string, unknown> = {
    message: error instanceof Error ? error.message : String(error),
  };
  for (const field of ERROR_FIELDS) {
    if (source[field] !== undefined) {
      body[field] = source[field];
    }
  }
  send(res, 400, body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isLoopback(connectionString: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(connectionString).hostname);
  } catch {
    return false;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
