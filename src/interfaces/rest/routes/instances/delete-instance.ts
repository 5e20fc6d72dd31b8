import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteInstance } from "../../../../application/instances/delete-instance";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses } from "../../openapi";
import { actorOf, callerOf, security, UuidParam } from "../shared";

const route = createRoute({
  method: "delete",
  path: "/v1/instances/{id}",
  operationId: "deleteInstance",
  tags: ["Instances"],
  summary: "Disconnect a Jira site and delete all of its synced data",
  security,
  middleware: [requireScope("write")] as const,
  request: { params: z.object({ id: UuidParam("id") }) },
  responses: {
    204: { description: "Deleted" },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerDeleteInstance(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const caller = callerOf(c);
    const { services } = c.var;
    const namespace = services.bindings.JIRA_INSTANCE;
    await deleteInstance(
      {
        db: services.db,
        resetSyncState: async (id) => {
          await namespace.get(namespace.idFromName(id)).reset();
        },
      },
      {
        tenantId: caller.tenantId,
        instanceId: c.req.valid("param").id,
        actor: actorOf(caller),
        requestId: c.var.requestId,
      },
    );
    return c.body(null, 204);
  });
}
