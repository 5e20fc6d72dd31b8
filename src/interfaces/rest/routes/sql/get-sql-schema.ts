import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { describeSqlSchema } from "../../../../application/sql/describe-schema";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { security } from "../shared";
import { SqlSchemaSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/sql/schema",
  operationId: "getSqlSchema",
  tags: ["SQL"],
  summary: "The tables, views and columns POST /v1/sql can read",
  security,
  middleware: [requireScope("sql")] as const,
  responses: {
    200: jsonContent(SqlSchemaSchema, "Queryable tables and views"),
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export function registerGetSqlSchema(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const tables = await describeSqlSchema({ db: c.var.services.db });
    return c.json({ tables }, 200);
  });
}
