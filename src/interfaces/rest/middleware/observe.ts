import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../app-env";

/** One structured log line and the request metrics for every request. */
export const observe: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  await next();
  // Durations are measured with the clock Workers expose; it advances across I/O.
  const seconds = (performance.now() - started) / 1000;
  const matched = routePath(c, -1);
  // Keep label cardinality bounded: unmatched paths share one label.
  const route = matched === "*" || matched === "/*" ? "unmatched" : matched;
  const status = String(c.res.status);
  const { metrics, logger } = c.var.services;
  metrics.inc("http_requests_total", "HTTP requests by route and status.", {
    method: c.req.method,
    route,
    status,
  });
  metrics.observe(
    "http_request_duration_seconds",
    "HTTP request latency by route and status.",
    { method: c.req.method, route, status },
    seconds,
  );
  logger.info("request", {
    method: c.req.method,
    route,
    path: c.req.path,
    status: c.res.status,
    durationMs: Math.round(seconds * 1000 * 100) / 100,
    requestId: c.var.requestId,
    tenant: c.var.caller?.tenantId,
  });
};
