import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createApiKey } from "../../../../application/tenancy/create-api-key";
import { SCOPES } from "../../../../domain/scopes";
import type { AppEnv } from "../../app-env";
import { errorResponses, jsonContent } from "../../openapi";
import { security, UuidParam } from "../shared";

const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    rateLimitPerMinute: z.number().int(),
    key: z.string().openapi({ description: "Shown only in this response; store it now." }),
    createdAt: z.iso.datetime(),
  })
  .openapi("ApiKey");

const route = createRoute({
  method: "post",
  path: "/v1/admin/tenants/{tenantId}/api-keys",
  operationId: "createApiKey",
  tags: ["Admin"],
  summary: "Issue an API key for a tenant",
  security,
  request: {
    params: z.object({ tenantId: UuidParam("tenantId") }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            name: z.string().trim().min(1).max(200).openapi({ example: "ci-bot" }),
            scopes: z
              .array(z.enum(SCOPES))
              .min(1)
              .openapi({ example: ["read", "write"] }),
            rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
          }),
        },
      },
    },
  },
  responses: {
    201: jsonContent(ApiKeySchema, "Created; `key` is shown only here"),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export function registerCreateApiKey(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { tenantId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = await createApiKey(c.var.services, {
      tenantId,
      ...body,
      requestId: c.var.requestId,
    });
    return c.json(key, 201);
  });
}
