import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { replayDeadLetters } from "../../../../application/sync/replay-dead-letters";
import { instanceStub } from "../../../../application/sync/request-sync";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { actorOf, callerOf, security, UuidParam } from "../shared";

const route = createRoute({
  method: "post",
  path: "/v1/instances/{id}/sync/replay-dead-letters",
  operationId: "replayDeadLetters",
  tags: ["Sync"],
  summary: "Re-queue the instance's webhook deliveries and jobs that exhausted their retries",
  security,
  middleware: [requireScope("write")] as const,
  request: { params: z.object({ id: UuidParam("id") }) },
  responses: {
    202: jsonContent(z.object({ replayed: z.number().int() }).openapi("Replayed"), "Re-queued"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerReplayDeadLetters(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const caller = callerOf(c);
    const { services } = c.var;
    const instanceId = c.req.valid("param").id;
    await instanceStub(
      { db: services.db, instances: services.bindings.JIRA_INSTANCE },
      caller.tenantId,
      instanceId,
    );
    const { SYNC_EVENTS, SYNC_JOBS } = services.bindings;
    const result = await replayDeadLetters(
      {
        db: services.db,
        send: async (queue, message) => {
          await (queue === "events" ? SYNC_EVENTS : SYNC_JOBS).send(message);
        },
      },
      { tenantId: caller.tenantId, instanceId, actor: actorOf(caller), requestId: c.var.requestId },
    );
    return c.json(result, 202);
  });
}
