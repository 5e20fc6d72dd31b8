import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { receiveWebhook } from "../../application/sync/receive-webhook";
import type { AppEnv } from "../rest/app-env";
import { throttleAuthFailures } from "../rest/middleware/auth-throttle";
import { errorResponses, jsonContent } from "../rest/openapi";
import { UuidParam } from "../rest/routes/shared";

/** Queue messages are at most 128 KB: bigger deliveries are re-read from Jira by issue id instead. */
const route = createRoute({
  method: "post",
  path: "/webhooks/jira/{instanceId}",
  operationId: "receiveJiraWebhook",
  tags: ["Webhooks"],
  summary: "Jira Cloud webhook deliveries (X-Hub-Signature: HMAC-SHA256 of the raw body)",
  middleware: [throttleAuthFailures] as const,
  request: { params: z.object({ instanceId: UuidParam("instanceId") }) },
  responses: {
    202: jsonContent(
      z.object({ accepted: z.literal(true), deliveryId: z.string() }).openapi("WebhookAccepted"),
      "Durably queued; applied within about a second",
    ),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    429: errorResponses[429],
  },
});

export function registerJiraWebhook(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { services } = c.var;
    const { JIRA_INSTANCE, SYNC_EVENTS } = services.bindings;
    const result = await receiveWebhook(
      {
        db: services.db,
        secretBox: await services.secretBox(),
        enqueue: async (message) => {
          await SYNC_EVENTS.send(message);
        },
        applySoon: (message) => {
          const stub = JIRA_INSTANCE.get(JIRA_INSTANCE.idFromName(message.instanceId));
          const scope = { tenantId: message.tenantId, instanceId: message.instanceId };
          c.executionCtx.waitUntil(
            stub.applyWebhooks(scope, [message], "direct").catch((error: unknown) => {
              // The queued copy will be applied (and retried) anyway.
              services.logger.warn("direct webhook apply failed", { error });
            }),
          );
        },
        onRejected: (id) => JIRA_INSTANCE.get(JIRA_INSTANCE.idFromName(id)).recordWebhookRejected(),
      },
      {
        instanceId: c.req.valid("param").instanceId,
        rawBody: new Uint8Array(await c.req.arrayBuffer()),
        signature: c.req.header("x-hub-signature"),
        deliveryId: c.req.header("x-atlassian-webhook-identifier"),
      },
    );
    services.metrics.inc("webhooks_received_total", "Webhook deliveries accepted.");
    return c.json(result, 202);
  });
}
