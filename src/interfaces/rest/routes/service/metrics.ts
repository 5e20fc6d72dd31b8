import type { OpenAPIHono } from "@hono/zod-openapi";
import { collectSyncMetrics, renderSyncMetrics } from "../../../../application/sync/sync-metrics";
import { tokensEqual } from "../../../../infrastructure/crypto/tokens";
import { instanceMetricsLabel } from "../../../../infrastructure/observability/metric-labels";
import type { AppEnv } from "../../app-env";
import { bearerToken } from "../../middleware/admin-auth";
import { problem } from "../../problem";

/** Prometheus scrape endpoint (text format, so not part of the JSON OpenAPI surface). */
export function registerMetrics(app: OpenAPIHono<AppEnv>): void {
  app.get("/metrics", async (c) => {
    const { services } = c.var;
    const expected = services.config.metricsToken;
    if (!expected && services.config.environment === "production") {
      // Refuse to serve an open scrape in production rather than expose it to anyone.
      return problem(c, 404, "GET /metrics is not served here until METRICS_TOKEN is set.");
    }
    const token = bearerToken(c.req.header("authorization"));
    if (expected && !(token && (await tokensEqual(token, expected)))) {
      return problem(c, 401, "GET /metrics needs the metrics token (Authorization: Bearer …).");
    }
    let sync = "";
    try {
      const { snapshots, deadLetters } = await collectSyncMetrics({
        db: services.db,
        instances: services.bindings.JIRA_INSTANCE,
        labelOf: (id) => instanceMetricsLabel(services.config.encryptionKey, id),
      });
      sync = renderSyncMetrics(snapshots, deadLetters);
    } catch (error) {
      // Request metrics stay scrapeable when the database is down.
      services.logger.warn("sync metrics unavailable", { error });
      sync = "# sync metrics unavailable: the database did not answer\n";
    }
    return c.body(services.metrics.render() + sync, 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });
}
