import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { rotateWebhookSecret } from "../../../../application/instances/rotate-webhook-secret";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { actorOf, callerOf, security, UuidParam } from "../shared";

const RotatedSecret = z
  .object({
    id: z.uuid(),
    webhookSecret: z.string().openapi({
      description: "The new secret, shown only here. The previous one stops working at once.",
    }),
  })
  .openapi("RotatedWebhookSecret");

const route = createRoute({
  method: "post",
  path: "/v1/instances/{id}/webhook-secret",
  operationId: "rotateWebhookSecret",
  tags: ["Instances"],
  summary: "Generate a new webhook secret for the instance (returned once)",
  security,
  middleware: [requireScope("write")] as const,
  request: { params: z.object({ id: UuidParam("id") }) },
  responses: {
    200: jsonContent(RotatedSecret, "Rotated"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerRotateWebhookSecret(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const caller = callerOf(c);
    const { services } = c.var;
    const rotated = await rotateWebhookSecret(
      { db: services.db, secretBox: await services.secretBox() },
      {
        tenantId: caller.tenantId,
        instanceId: c.req.valid("param").id,
        actor: actorOf(caller),
        requestId: c.var.requestId,
      },
    );
    return c.json(rotated, 200, { "Cache-Control": "no-store" });
  });
}
