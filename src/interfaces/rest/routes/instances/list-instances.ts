import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { listInstances } from "../../../../application/instances/read-instances";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { callerOf, originOf, PageQuery, pageOf, security } from "../shared";
import { InstanceSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/instances",
  operationId: "listInstances",
  tags: ["Instances"],
  summary: "List the tenant's Jira sites",
  security,
  middleware: [requireScope("read")] as const,
  request: { query: PageQuery },
  responses: {
    200: jsonContent(pageOf(InstanceSchema, "JiraInstancePage"), "A page of instances"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export function registerListInstances(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const page = await listInstances(c.var.services, {
      tenantId: callerOf(c).tenantId,
      origin: originOf(c),
      limit,
      cursor,
    });
    return c.json(page, 200);
  });
}
