import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { jsonContent } from "../../openapi";

const route = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["Service"],
  summary: "Liveness: the Worker answers; touches no dependency",
  responses: {
    200: jsonContent(z.object({ status: z.literal("ok") }).openapi("Health"), "Alive"),
  },
});

export function registerHealth(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, (c) => c.json({ status: "ok" as const }, 200));
}
