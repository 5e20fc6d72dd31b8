import { DomainError } from "../../domain/errors";
import type { Database } from "../../infrastructure/db/database";
import {
  ReaderBusyError,
  type ReaderLimits,
  ReaderQueryError,
  type SqlParam,
} from "../../infrastructure/db/sql-reader";
import type { Metrics } from "../../infrastructure/observability/metrics";
import { cellReader } from "./cells";
import { sqlFailure } from "./failure";

export interface RunSqlInput {
  tenantId: string;
  query: string;
  params: SqlParam[];
  maxRows: number;
}

export interface SqlResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

export const DEFAULT_SQL_LIMITS: ReaderLimits = {
  statementTimeoutMs: 5_000,
  idleTimeoutMs: 15_000,
  maxResultBytes: 8 * 1024 * 1024,
  maxConcurrentPerTenant: 4,
  workMem: "16MB",
  tempFileLimit: "256MB",
};

const QUERIES = "sql_queries_total";
const QUERIES_HELP = "Queries run through the SQL interface, by outcome.";

/**
 * Runs a caller's read-only query over its own tenant's data. Safety is the database's job (see
 * sql-reader.ts); here Postgres' refusals become 400s and cells become JSON values.
 */
export async function runSql(
  deps: { db: Database; metrics: Metrics; limits?: ReaderLimits },
  input: RunSqlInput,
): Promise<SqlResult> {
  const limits = deps.limits ?? DEFAULT_SQL_LIMITS;
  let result: Awaited<ReturnType<Database["withReader"]>>;
  try {
    result = await deps.db.withReader(
      input.tenantId,
      { text: input.query, params: input.params, maxRows: input.maxRows },
      limits,
    );
  } catch (error) {
    if (error instanceof ReaderQueryError) {
      deps.metrics.inc(QUERIES, QUERIES_HELP, { outcome: "refused" });
      throw sqlFailure(error, input.query, limits.statementTimeoutMs);
    }
    if (error instanceof ReaderBusyError) {
      deps.metrics.inc(QUERIES, QUERIES_HELP, { outcome: "busy" });
      throw new DomainError(
        "rate_limited",
        `This tenant already runs ${error.limit} SQL queries at once; retry when one has finished.`,
        [],
        { problemCode: "too_many_queries", retryable: true },
      );
    }
    throw error;
  }
  deps.metrics.inc(QUERIES, QUERIES_HELP, { outcome: result.truncated ? "truncated" : "ok" });
  const readers = result.columns.map((column) => cellReader(column.type));
  return {
    columns: result.columns,
    rows: result.rows.map((row) => row.map((cell, i) => (readers[i] ?? cellReader(""))(cell))),
    rowCount: result.rows.length,
    truncated: result.truncated,
  };
}
