import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listAudit } from "../../../../application/audit/list-audit";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { callerOf, PageQuery, pageOf, security } from "../shared";

const AuditEntrySchema = z
  .object({
    id: z.uuid(),
    actor: z.string().openapi({ example: "key:6f1c…" }),
    action: z.string().openapi({ example: "instance.create" }),
    targetType: z.string(),
    targetId: z.string().nullable(),
    outcome: z.enum(["success", "failure", "denied"]),
    status: z.number().int().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi("AuditEntry");

const route = createRoute({
  method: "get",
  path: "/v1/audit",
  operationId: "listAudit",
  tags: ["Audit"],
  summary: "The tenant's audit log, newest first",
  security,
  middleware: [requireScope("read")] as const,
  request: {
    query: PageQuery.extend({
      action: z.string().max(100).optional().openapi({ example: "issue.transition" }),
    }),
  },
  responses: {
    200: jsonContent(pageOf(AuditEntrySchema, "AuditPage"), "A page of entries"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export function registerListAudit(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, action } = c.req.valid("query");
    const page = await listAudit(c.var.services, {
      tenantId: callerOf(c).tenantId,
      limit,
      cursor,
      action,
    });
    return c.json(page, 200);
  });
}
