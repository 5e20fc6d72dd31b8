import { DomainError } from "../../domain/errors";

const QUERY_CANCELED = "57014";

/**
 * Postgres refused the caller's query: a 400 (`invalid_query`) that carries the SQLSTATE and where
 * it failed — or, past the statement timeout, a 422 `statement_timeout`.
 */
export class SqlQueryError extends DomainError {
  readonly sqlState: string;
  readonly position: number | undefined;
  readonly hint: string | undefined;

  constructor(sqlState: string, detail: string, position?: number, hint?: string) {
    const timedOut = sqlState === QUERY_CANCELED;
    super(timedOut ? "timeout" : "invalid", detail, [], {
      problemCode: timedOut ? "statement_timeout" : "invalid_query",
      retryable: false,
    });
    this.name = "SqlQueryError";
    this.sqlState = sqlState;
    this.position = position;
    this.hint = hint;
  }
}

export interface PgRefusal {
  sqlState: string;
  message: string;
  position: number | undefined;
  hint: string | undefined;
}

const ONE_QUERY = "Only one SELECT (or WITH … SELECT, VALUES, TABLE) query can run here";

/** Removes what a caller has no business seeing: role names, temp schemas, OIDs, file paths. */
export function scrub(text: string): string {
  return text
    .replace(/\bds_(?:reader|worker|system|owner)\b/g, "the SQL role")
    .replace(/\bpg_temp_\d+\b/g, "pg_temp")
    .replace(/\bOID \d+/gi, "OID …")
    .replace(/\b(file|directory)( "[^"]*")/gi, "$1")
    .replace(/\b(prepared statement|cursor|function) "?(pg_temp\.)?ds_sql\w*"?/g, "the query");
}

/** Where the query's first token starts (1-based), past blanks and comments. */
function firstTokenAt(query: string): number {
  const lead = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(query);
  return (lead?.[0].length ?? 0) + 1;
}

function explain(refusal: PgRefusal, query: string, timeoutMs: number): string {
  const { sqlState, message } = refusal;
  if (sqlState === "57014") {
    return /statement timeout/.test(message)
      ? `The query was canceled: it ran longer than the ${timeoutMs / 1000} s statement timeout.`
      : "The query was canceled.";
  }
  if (/multiple commands/.test(message)) {
    return `${ONE_QUERY}: send one statement per call.`;
  }
  if (/parameter "(role|session_authorization)"|permission denied to set role/.test(message)) {
    return "Changing the role is not allowed in the SQL interface.";
  }
  if (/must be (a )?superuser|have privileges of|member of role/.test(message)) {
    return "Permission denied: this needs rights the SQL interface does not have.";
  }
  if (sqlState === "42601" && refusal.position === firstTokenAt(query)) {
    return `${ONE_QUERY} (${scrub(message)}).`;
  }
  if (sqlState === "25006") {
    return `${scrub(message)}: the SQL interface is read-only.`;
  }
  if (sqlState === "54000" && message.startsWith("a result row is larger")) {
    return "A single result row is larger than the response limit; select fewer or smaller columns.";
  }
  return scrub(message);
}

export function sqlFailure(refusal: PgRefusal, query: string, timeoutMs: number): SqlQueryError {
  return new SqlQueryError(
    refusal.sqlState,
    explain(refusal, query, timeoutMs),
    refusal.position !== undefined && refusal.position <= query.length + 1
      ? refusal.position
      : undefined,
    refusal.hint === undefined ? undefined : scrub(refusal.hint),
  );
}
