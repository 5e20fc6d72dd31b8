import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { revokeApiKey } from "../../../../application/tenancy/revoke-api-key";
import type { AppEnv } from "../../app-env";
import { errorResponses } from "../../openapi";
import { security, UuidParam } from "../shared";

const route = createRoute({
  method: "delete",
  path: "/v1/admin/tenants/{tenantId}/api-keys/{keyId}",
  operationId: "revokeApiKey",
  tags: ["Admin"],
  summary: "Revoke an API key (it stops working at once)",
  security,
  request: {
    params: z.object({ tenantId: UuidParam("tenantId"), keyId: UuidParam("keyId") }),
  },
  responses: {
    204: { description: "Revoked" },
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

export function registerRevokeApiKey(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { tenantId, keyId } = c.req.valid("param");
    await revokeApiKey(c.var.services, { tenantId, keyId, requestId: c.var.requestId });
    return c.body(null, 204);
  });
}
