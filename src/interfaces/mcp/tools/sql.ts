import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { describeSqlSchema } from "../../../application/sql/describe-schema";
import { SqlQueryError } from "../../../application/sql/failure";
import { DEFAULT_SQL_LIMITS, runSql } from "../../../application/sql/run-sql";
import { DomainError } from "../../../domain/errors";
import { guarded, type ToolContext } from "../context";

const RunInput = z.strictObject({
  query: z
    .string()
    .min(1)
    .max(100_000)
    .describe(
      "One read-only query (SELECT, WITH … SELECT, VALUES or TABLE). Use $1, $2… for params. " +
        "Handy views: v_issues (live issues with project and people names), " +
        "v_status_transitions (one row per status change), v_comments. get_sql_schema lists all.",
    ),
  params: z
    .array(z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()]))
    .max(100)
    .default([])
    .describe("Values for $1, $2, …"),
  maxRows: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(200)
    .describe("Return at most this many rows; truncated says whether there were more."),
});

const NoInput = z.strictObject({});

const SqlResult = z.looseObject({
  columns: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  rows: z
    .array(z.array(z.unknown()))
    .describe("Rows in column order; int8/numeric as strings, timestamps as ISO-8601 UTC."),
  rowCount: z.number(),
  truncated: z.boolean(),
});

const SqlSchema = z.looseObject({
  tables: z.array(
    z.looseObject({
      name: z.string(),
      kind: z.enum(["table", "view"]),
      description: z.string().nullable(),
      columns: z.array(
        z.looseObject({
          name: z.string(),
          type: z.string(),
          nullable: z.boolean(),
          description: z.string().nullable(),
        }),
      ),
    }),
  ),
});

/** Postgres' reason, with the SQLSTATE and position, so the assistant can fix its query. */
function sqlRefusal(error: SqlQueryError): DomainError {
  const where = [
    { path: "sqlState", message: error.sqlState },
    ...(error.position === undefined
      ? []
      : [{ path: "position", message: `character ${error.position} of the query` }]),
    ...(error.hint === undefined ? [] : [{ path: "hint", message: error.hint }]),
  ];
  return new DomainError(error.code, `The query was refused: ${error.message}`, where, {
    problemCode: error.problemCode,
  });
}

export function registerSqlTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "run_sql",
    {
      title: "Run a read-only SQL query",
      description:
        "Run one read-only SQL (Postgres) query over your tenant's synced Jira data, for counts, groupings, trends and anything search_issues cannot express. Read-only, limited to your tenant, with a statement timeout. Call get_sql_schema first to see the tables and columns. Needs the sql scope.",
      inputSchema: RunInput,
      outputSchema: SqlResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "sql", async (args: z.infer<typeof RunInput>) => {
      const { services } = ctx;
      try {
        const result = await runSql(
          {
            db: services.db,
            metrics: services.metrics,
            limits: {
              ...DEFAULT_SQL_LIMITS,
              statementTimeoutMs: services.config.statementTimeoutMs,
            },
          },
          { tenantId: ctx.caller.tenantId, ...args },
        );
        const more = result.truncated ? " (truncated: raise maxRows or aggregate)" : "";
        const names = result.columns.map((c) => c.name).join(", ");
        return {
          summary: `${result.rowCount} row(s)${more}; columns: ${names}`,
          data: { ...result },
        };
      } catch (error) {
        throw error instanceof SqlQueryError ? sqlRefusal(error) : error;
      }
    }),
  );

  server.registerTool(
    "get_sql_schema",
    {
      title: "Describe the SQL schema",
      description:
        "List the tables and views run_sql can query, with every column's type and meaning. Call it before writing a query. Needs the sql scope.",
      inputSchema: NoInput,
      outputSchema: SqlSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "sql", async () => {
      const tables = await describeSqlSchema({ db: ctx.services.db });
      return {
        summary: `${tables.length} tables and views: ${tables.map((t) => t.name).join(", ")}`,
        data: { tables },
      };
    }),
  );
}
