import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { adminAuth } from "../../middleware/admin-auth";
import { registerCreateApiKey } from "./create-api-key";
import { registerCreateTenant } from "./create-tenant";
import { registerRevokeApiKey } from "./revoke-api-key";
import { registerUpdateTenant } from "./update-tenant";

export function registerAdminRoutes(app: OpenAPIHono<AppEnv>): void {
  app.use("/v1/admin/*", adminAuth);
  registerCreateTenant(app);
  registerUpdateTenant(app);
  registerCreateApiKey(app);
  registerRevokeApiKey(app);
}
