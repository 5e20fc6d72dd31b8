import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { withIdempotency } from "../../../../application/idempotency";
import { createInstance } from "../../../../application/instances/create-instance";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import {
  actorOf,
  callerOf,
  IdempotencyHeaders,
  idempotencyOf,
  originOf,
  security,
} from "../shared";
import { CreatedInstanceSchema, CreateInstanceBody } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/instances",
  operationId: "createInstance",
  tags: ["Instances"],
  summary: "Connect a Jira Cloud site (credentials are verified with /myself, then encrypted)",
  security,
  middleware: [requireScope("write")] as const,
  request: {
    query: z.object({
      verify: z
        .enum(["true", "false"])
        .default("true")
        .openapi({ description: "`false` stores the credentials without calling Jira." }),
    }),
    headers: IdempotencyHeaders,
    body: { required: true, content: { "application/json": { schema: CreateInstanceBody } } },
  },
  responses: {
    201: jsonContent(CreatedInstanceSchema, "Connected"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    409: errorResponses[409],
    422: errorResponses[422],
  },
});

export function registerCreateInstance(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const caller = callerOf(c);
    const body = c.req.valid("json");
    const { services } = c.var;
    // The generated secret goes to this caller only: an idempotent replay stores no secret.
    let webhookSecret: string | undefined;
    const create = async () => {
      const created = await createInstance(
        {
          db: services.db,
          secretBox: await services.secretBox(),
          urlPolicy: {
            environment: services.config.environment,
            allowedHosts: services.config.allowedJiraHosts,
          },
        },
        {
          ...body,
          tenantId: caller.tenantId,
          actor: actorOf(caller),
          requestId: c.var.requestId,
          origin: originOf(c),
          verify: c.req.valid("query").verify === "true",
        },
      );
      webhookSecret = created.webhookSecret;
      return { status: 201, body: created.instance };
    };
    // The fingerprint is hashed before it is stored, so the credentials in the body never are.
    const { idempotencyKey, fingerprint } = idempotencyOf(c, body);
    const response = idempotencyKey
      ? await withIdempotency(
          services.db,
          { tenantId: caller.tenantId, key: idempotencyKey, fingerprint },
          create,
        )
      : { ...(await create()), replayed: false };
    const body201 = { ...(response.body as z.infer<typeof CreatedInstanceSchema>), webhookSecret };
    return c.json(body201, 201, {
      ...(response.replayed ? { "Idempotent-Replayed": "true" } : {}),
    });
  });
}
