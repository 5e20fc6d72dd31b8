import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getFlow } from "../../../../application/analytics/get-flow";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { callerOf, security } from "../shared";
import { FlowMetricsSchema, FlowQuery } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/analytics/flow",
  operationId: "getFlowMetrics",
  tags: ["Analytics"],
  summary: "Flow metrics: created/resolved/WIP series, lead and cycle time, aging WIP, breakdowns",
  description:
    "Computed from pre-computed flow tables the sync keeps current (no changelog scan). An issue " +
    "is resolved at its last entry into a done-category status, if it is in one now; lead time = " +
    "resolved − created; cycle time = resolved − first entry into an indeterminate-category status.",
  security,
  middleware: [requireScope("read")] as const,
  request: { query: FlowQuery },
  responses: {
    200: jsonContent(FlowMetricsSchema, "Flow metrics of the instance (or project) and range"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerGetFlow(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const metrics = await getFlow(
      { db: c.var.services.db },
      { tenantId: callerOf(c).tenantId, ...c.req.valid("query") },
    );
    return c.json(metrics, 200);
  });
}
