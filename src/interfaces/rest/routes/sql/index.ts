import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { registerGetSqlSchema } from "./get-sql-schema";
import { registerRunSql } from "./run-sql";

export function registerSqlRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRunSql(app);
  registerGetSqlSchema(app);
}
