import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getProviderConfig } from "../../../../application/ai/provider-config";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { callerOf, security } from "../shared";
import { ProviderSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/ai/provider",
  operationId: "getAiProvider",
  tags: ["AI"],
  summary: "The tenant's AI provider (builtin unless set); the key is never shown",
  security,
  middleware: [requireScope("ai")] as const,
  responses: {
    200: jsonContent(ProviderSchema, "The provider"),
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export function registerGetAiProvider(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const view = await getProviderConfig(c.var.services, { tenantId: callerOf(c).tenantId });
    return c.json(view, 200);
  });
}
