import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { DEFAULT_AI_HOSTS, putProviderConfig } from "../../../../application/ai/provider-config";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { actorOf, callerOf, security } from "../shared";
import { ProviderBody, ProviderSchema } from "./schemas";

const route = createRoute({
  method: "put",
  path: "/v1/ai/provider",
  operationId: "putAiProvider",
  tags: ["AI"],
  summary: "Choose the tenant's AI provider (builtin, openai, anthropic, workers-ai)",
  description:
    "Needs the `write` scope. The API key is encrypted at rest and never returned. In " +
    "production a baseUrl must be https on a public host: api.openai.com, api.anthropic.com " +
    "or one listed in ALLOWED_AI_HOSTS.",
  security,
  middleware: [requireScope("write")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ProviderBody } } } },
  responses: {
    200: jsonContent(ProviderSchema, "The provider now in use"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export function registerPutAiProvider(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { services } = c.var;
    const caller = callerOf(c);
    const view = await putProviderConfig(
      {
        db: services.db,
        secretBox: await services.secretBox(),
        urlPolicy: {
          environment: services.config.environment,
          allowedHosts: [...DEFAULT_AI_HOSTS, ...services.config.allowedAiHosts],
        },
      },
      {
        tenantId: caller.tenantId,
        actor: actorOf(caller),
        requestId: c.var.requestId,
        setting: c.req.valid("json"),
      },
    );
    return c.json(view, 200);
  });
}
