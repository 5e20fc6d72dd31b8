import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { createTenant } from "../../../../application/tenancy/create-tenant";
import type { AppEnv } from "../../app-env";
import { errorResponses, jsonContent } from "../../openapi";
import { security } from "../shared";
import { TenantSchema } from "./tenant-schema";

const route = createRoute({
  method: "post",
  path: "/v1/admin/tenants",
  operationId: "createTenant",
  tags: ["Admin"],
  summary: "Create a tenant",
  security,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            name: z.string().trim().min(1).max(200).openapi({ example: "Acme" }),
            slug: z
              .string()
              .regex(
                /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
                "lower-case letters, digits and dashes",
              )
              .openapi({ example: "acme" }),
          }),
        },
      },
    },
  },
  responses: {
    201: jsonContent(TenantSchema, "Created"),
    400: errorResponses[400],
    401: errorResponses[401],
    409: errorResponses[409],
  },
});

export function registerCreateTenant(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const tenant = await createTenant(c.var.services, { ...body, requestId: c.var.requestId });
    return c.json(tenant, 201);
  });
}
