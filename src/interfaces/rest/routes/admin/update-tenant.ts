import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { updateTenant } from "../../../../application/tenancy/update-tenant";
import type { AppEnv } from "../../app-env";
import { errorResponses, jsonContent } from "../../openapi";
import { security, UuidParam } from "../shared";
import { TenantSchema } from "./tenant-schema";

const route = createRoute({
  method: "patch",
  path: "/v1/admin/tenants/{tenantId}",
  operationId: "updateTenant",
  tags: ["Admin"],
  summary: "Rename a tenant or set its rate limit",
  security,
  request: {
    params: z.object({ tenantId: UuidParam("tenantId") }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              name: z.string().trim().min(1).max(200).optional().openapi({ example: "Acme Inc." }),
              rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional().openapi({
                description: "Requests per minute across all the tenant's keys.",
                example: 3000,
              }),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: jsonContent(TenantSchema, "The tenant as it is now"),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export function registerUpdateTenant(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const tenant = await updateTenant(c.var.services, {
      tenantId: c.req.valid("param").tenantId,
      ...c.req.valid("json"),
      requestId: c.var.requestId,
    });
    return c.json(tenant, 200);
  });
}
