import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { jsonContent } from "../../openapi";

const ReadinessSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    checks: z.record(z.string(), z.string()).openapi({
      example: { database: "ok", redis: "not configured" },
    }),
  })
  .openapi("Readiness");

const route = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getReadiness",
  tags: ["Service"],
  summary: "Readiness: the database (and Redis, when configured) answer",
  responses: {
    200: jsonContent(ReadinessSchema, "Ready"),
    503: jsonContent(ReadinessSchema, "A dependency is failing; `checks` says which"),
  },
});

const CHECK_TIMEOUT_MS = 3000;

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([probe(), timeout]);
    return "ok";
  } catch (error) {
    return `error: ${error instanceof Error ? error.message : "failed"}`;
  } finally {
    clearTimeout(timer);
  }
}

export function registerReadiness(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { db, redis: upstash } = c.var.services;
    const [database, redis] = await Promise.all([
      check(() => db.ping()),
      upstash ? check(() => upstash.ping()) : Promise.resolve("not configured"),
    ]);
    const checks = { database, redis };
    const healthy = Object.values(checks).every((v) => v === "ok" || v === "not configured");
    return healthy
      ? c.json({ status: "ok" as const, checks }, 200)
      : c.json({ status: "unavailable" as const, checks }, 503);
  });
}
