import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { SqlQueryError } from "../../../../application/sql/failure";
import { DEFAULT_SQL_LIMITS, runSql } from "../../../../application/sql/run-sql";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { problemBody } from "../../problem";
import { callerOf, security } from "../shared";
import { SqlProblemSchema, SqlQueryBody, SqlResultSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/sql",
  operationId: "runSql",
  tags: ["SQL"],
  summary: "Run one read-only SQL query over your tenant's synced data",
  description:
    "Runs as a database role that can only SELECT the tables and views of GET /v1/sql/schema, " +
    "under row-level security for your tenant, in a read-only transaction with a statement " +
    "timeout. Anything Postgres refuses is a 400 with its reason and SQLSTATE (`code`).",
  security,
  middleware: [requireScope("sql")] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: SqlQueryBody } } },
  },
  responses: {
    200: jsonContent(SqlResultSchema, "The result"),
    400: {
      description: "The body is invalid, or Postgres refused or canceled the query.",
      content: { "application/problem+json": { schema: SqlProblemSchema } },
    },
    401: errorResponses[401],
    403: errorResponses[403],
    422: {
      description:
        "The query ran past the statement timeout (`statement_timeout`) and was canceled.",
      content: { "application/problem+json": { schema: SqlProblemSchema } },
    },
  },
});

/** problem+json with Postgres' SQLSTATE and, when it has one, where the query failed. */
const sqlProblem = (c: Context<AppEnv>, error: SqlQueryError) => {
  const status = error.code === "timeout" ? 422 : 400;
  return c.json(
    {
      ...problemBody(c, status, error.message, undefined, error.problemCode),
      sqlState: error.sqlState,
      ...(error.position === undefined ? {} : { position: error.position }),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    },
    status,
    { "Content-Type": "application/problem+json" },
  );
};

export function registerRunSql(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { services } = c.var;
    try {
      const result = await runSql(
        {
          db: services.db,
          metrics: services.metrics,
          limits: { ...DEFAULT_SQL_LIMITS, statementTimeoutMs: services.config.statementTimeoutMs },
        },
        { ...body, tenantId: callerOf(c).tenantId },
      );
      return c.json(result, 200);
    } catch (error) {
      if (error instanceof SqlQueryError) {
        return sqlProblem(c, error);
      }
      throw error;
    }
  });
}
