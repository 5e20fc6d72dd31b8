import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { requestSync } from "../../../../application/sync/request-sync";
import type { SyncKind } from "../../../queue/messages";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { actorOf, callerOf, security, UuidParam } from "../shared";

const SyncAccepted = z
  .object({
    kind: z.enum(["backfill", "poll", "reconcile"]),
    accepted: z.literal(true),
    coalesced: z.boolean().openapi({ description: "True when one was already queued or running." }),
  })
  .openapi("SyncAccepted");

const SUMMARIES: Record<SyncKind, string> = {
  backfill: "Full sync: fields, projects, users, all issues with comments, changelogs and links",
  poll: "Incremental sync: issues updated since the watermark (minus an overlap)",
  reconcile: "Find and repair drift: id census (deletes, missing) and field-by-field verification",
};

const routeFor = (kind: SyncKind) =>
  createRoute({
    method: "post",
    path: `/v1/instances/{id}/sync/${kind}`,
    operationId: `sync${kind[0]?.toUpperCase()}${kind.slice(1)}`,
    tags: ["Sync"],
    summary: SUMMARIES[kind],
    security,
    middleware: [requireScope("write")] as const,
    request: { params: z.object({ id: UuidParam("id") }) },
    responses: {
      202: jsonContent(SyncAccepted, "Queued (or coalesced into the one already queued)"),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  });

export function registerRequestSync(app: OpenAPIHono<AppEnv>): void {
  for (const kind of ["backfill", "poll", "reconcile"] as const) {
    app.openapi(routeFor(kind), async (c) => {
      const caller = callerOf(c);
      const { services } = c.var;
      const result = await requestSync(
        { db: services.db, instances: services.bindings.JIRA_INSTANCE },
        {
          tenantId: caller.tenantId,
          instanceId: c.req.valid("param").id,
          kind,
          actor: actorOf(caller),
          requestId: c.var.requestId,
        },
      );
      return c.json({ ...result, accepted: true as const }, 202);
    });
  }
}
