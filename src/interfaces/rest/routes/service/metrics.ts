import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";

/** Prometheus scrape endpoint (text format, so not part of the JSON OpenAPI surface). */
export function registerMetrics(app: OpenAPIHono<AppEnv>): void {
  app.get("/metrics", (c) =>
    c.body(c.var.services.metrics.render(), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    }),
  );
}
