import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getInstance } from "../../../../application/instances/read-instances";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { callerOf, originOf, security, UuidParam } from "../shared";
import { InstanceSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/instances/{id}",
  operationId: "getInstance",
  tags: ["Instances"],
  summary: "One Jira site",
  security,
  middleware: [requireScope("read")] as const,
  request: { params: z.object({ id: UuidParam("id") }) },
  responses: {
    200: jsonContent(InstanceSchema, "The instance"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerGetInstance(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const instance = await getInstance(c.var.services, {
      tenantId: callerOf(c).tenantId,
      instanceId: c.req.valid("param").id,
      origin: originOf(c),
    });
    return c.json(instance, 200);
  });
}
