import type { Pool, PoolClient } from "@neondatabase/serverless";
import { enterLocalSlot, takeDatabaseSlot } from "./reader-slots";

export type SqlParam = string | number | boolean | null;

export interface ReaderQuery {
  text: string;
  params: readonly SqlParam[];
  maxRows: number;
}

export interface ReaderLimits {
  /** Planning and running the caller's query (and each of our statements around it). */
  statementTimeoutMs: number;
  /** Ends the session if the Worker stalls inside the transaction. */
  idleTimeoutMs: number;
  /** Rows stop once their JSON passes this size: the response must fit in a Worker. */
  maxResultBytes: number;
  /** Queries of one tenant running at once (REST and MCP together); more → ReaderBusyError. */
  maxConcurrentPerTenant: number;
  /** Memory one sort or hash may use before spilling (work_mem). */
  workMem: string;
  /** Temporary files one query may write (temp_file_limit), where the login may set it. */
  tempFileLimit: string;
}

export interface ReaderResult {
  columns: { name: string; type: string }[];
  /** Each cell is the value as JSON text, the way Postgres' row_to_json renders it. */
  rows: string[][];
  truncated: boolean;
}

/** Postgres refused or canceled the caller's query (not our own statements, not the network). */
export class ReaderQueryError extends Error {
  constructor(
    readonly sqlState: string,
    message: string,
    /** 1-based character offset into the caller's query, for parse and planning errors. */
    readonly position: number | undefined,
    readonly hint: string | undefined,
  ) {
    super(message);
    this.name = "ReaderQueryError";
  }
}

const DECLARE = "DECLARE ds_sql NO SCROLL CURSOR FOR ";

// Fetches from inside a SECURITY DEFINER function owned by ds_reader: Postgres refuses to change
// `role` there, so nothing the query runs (nested SQL of query_to_xml, ts_stat, … included) can
// leave ds_reader. Created per transaction in pg_temp because only ds_reader itself could own it
// (see drizzle/migrations/0004_sql_reader.sql for the whole guard).
const FETCH_FUNCTION = `CREATE FUNCTION pg_temp.ds_sql_fetch(cur refcursor, max_rows integer,
  max_bytes bigint) RETURNS TABLE (cells text[]) LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public AS $fetch$
DECLARE
  r record;
  j json;
  n integer := 0;
  total bigint := 0;
BEGIN
  WHILE n < max_rows LOOP
    FETCH cur INTO r;
    EXIT WHEN NOT FOUND;
    j := pg_catalog.row_to_json(r);
    total := total + pg_catalog.octet_length(j::text);
    IF total > max_bytes THEN
      IF n = 0 THEN
        RAISE EXCEPTION 'a result row is larger than the response limit of % bytes', max_bytes
          USING ERRCODE = '54000';
      END IF;
      cells := NULL;
      RETURN NEXT;
      RETURN;
    END IF;
    n := n + 1;
    cells := ARRAY(SELECT e.value::text FROM pg_catalog.json_each(j) WITH ORDINALITY AS e
      ORDER BY e.ordinality);
    RETURN NEXT;
  END LOOP;
END
$fetch$`;

const TYPE_NAMES = `SELECT t.oid::int8 AS oid, CASE WHEN t.typcategory = 'A' AND e.oid IS NOT NULL
  THEN e.typname || '[]' ELSE t.typname END AS name
  FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem
  WHERE t.oid = ANY ($1::pg_catalog.oid[])`;

const ms = (value: number) => Math.max(1, Math.trunc(value));

/** Statements whose failure is the caller's query's doing: reported to it, never a 500. */
async function callerStep<T>(step: () => Promise<T>, offset?: number): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const pg = error as { code?: unknown; message?: unknown; position?: unknown; hint?: unknown };
    // Connection, operator and internal errors are ours, not the caller's (08P01, a protocol
    // violation, is how Postgres reports a wrong number of parameters).
    if (typeof pg.code !== "string" || /^(080|57P|58|XX)|^53300$/.test(pg.code)) {
      throw error;
    }
    const at = offset === undefined ? Number.NaN : Number(pg.position) - offset;
    throw new ReaderQueryError(
      pg.code,
      String(pg.message ?? ""),
      at >= 1 ? at : undefined,
      typeof pg.hint === "string" ? pg.hint : undefined,
    );
  }
}

async function run(
  client: PoolClient,
  statement: string,
  tenantId: string,
  query: ReaderQuery,
  limits: ReaderLimits,
) {
  await client.query("BEGIN");
  // The guard row is written as app for app's own tenant (its policy checks both).
  await client.query(
    "SELECT set_config('role', 'app', true), set_config('app.tenant_id', $1, true)",
    [tenantId],
  );
  await client.query(
    "INSERT INTO reader_guards (xact_id, tenant_id) VALUES (pg_current_xact_id(), $1)",
    [tenantId],
  );
  // temp_file_limit is superuser-only unless granted (migration security_reader_limits grants
  // SET on it to app); set here, as app, ds_reader cannot raise it again.
  await client.query(
    `SELECT pg_catalog.set_config('temp_file_limit', $1, true)
     WHERE pg_catalog.has_parameter_privilege('temp_file_limit', 'SET')`,
    [limits.tempFileLimit],
  );
  // From here the transaction is read-only for good and everything runs as ds_reader.
  await client.query(`SELECT set_config('role', 'ds_reader', true), set_config('app.tenant_id', '', true);
    ${FETCH_FUNCTION};
    SET TRANSACTION READ ONLY;
    SET LOCAL TimeZone = 'UTC';
    SET LOCAL work_mem = '${limits.workMem.replace(/[^0-9A-Za-z]/g, "")}';
    SET LOCAL statement_timeout = ${ms(limits.statementTimeoutMs)};
    SET LOCAL idle_in_transaction_session_timeout = ${ms(limits.idleTimeoutMs)}`);
  // A named statement always takes the extended protocol, which refuses a second statement; the
  // cursor refuses anything but a query.
  const declare = { name: statement, text: DECLARE + query.text, values: [...query.params] };
  await callerStep(() => client.query(declare), DECLARE.length);
  const described = await callerStep(() => client.query("FETCH FORWARD 0 FROM ds_sql"));
  const oids = described.fields.map((field) => field.dataTypeID);
  const types = await client.query<{ oid: string; name: string }>(TYPE_NAMES, [oids]);
  const typeName = new Map(types.rows.map((row) => [Number(row.oid), row.name]));
  const fetched = await callerStep(() =>
    client.query<{ cells: string[] | null }>(
      "SELECT cells FROM pg_temp.ds_sql_fetch('ds_sql', $1, $2)",
      [query.maxRows + 1, limits.maxResultBytes],
    ),
  );
  const rows = fetched.rows.flatMap((row) => (row.cells ? [row.cells] : []));
  return {
    columns: described.fields.map((field) => ({
      name: field.name,
      type: typeName.get(field.dataTypeID) ?? String(field.dataTypeID),
    })),
    rows: rows.slice(0, query.maxRows),
    truncated: rows.length > query.maxRows || rows.length < fetched.rows.length,
  };
}

/**
 * Runs a caller's SQL as ds_reader inside `tenantId`, on a connection of its own that is rolled
 * back and discarded afterwards (a query can leave session state, such as advisory locks, behind).
 *
 * @example
 * await runReaderQuery(pool, tenantId, { text: "select key from issues", params: [], maxRows: 10 },
 *   { statementTimeoutMs: 5000, idleTimeoutMs: 10000, maxResultBytes: 8 << 20,
 *     maxConcurrentPerTenant: 4, workMem: "16MB", tempFileLimit: "256MB" });
 */
export async function runReaderQuery(
  pool: Pool,
  tenantId: string,
  query: ReaderQuery,
  limits: ReaderLimits,
): Promise<ReaderResult> {
  const leave = enterLocalSlot(tenantId, limits.maxConcurrentPerTenant);
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    leave();
    throw error;
  }
  // Unique, so a pooled backend that outlived a failed cleanup never sees the same name twice.
  const statement = `ds_sql_${crypto.randomUUID().replaceAll("-", "")}`;
  try {
    await takeDatabaseSlot(client, tenantId, limits.maxConcurrentPerTenant);
    return await run(client, statement, tenantId, query, limits);
  } finally {
    leave();
    // Rolls back the guard row and every setting; session-level advisory locks and the prepared
    // statement outlive a transaction and need their own statements.
    await client
      .query(`ROLLBACK; SELECT pg_catalog.pg_advisory_unlock_all(); DEALLOCATE ${statement}`)
      .catch(() => {});
    client.release(true);
  }
}

export { ReaderBusyError } from "./reader-slots";
