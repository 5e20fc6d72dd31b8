import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { type Env, loadConfig } from "../../env";
import { createLogger } from "../../infrastructure/observability/logger";
import { createServices, type Services } from "../../infrastructure/services";
import { registerMcp } from "../mcp/register-mcp";
import { registerJiraWebhook } from "../webhooks/jira-webhook";
import type { AppEnv } from "./app-env";
import { notFound, onError, validationHook } from "./errors";
import { apiKeyAuth } from "./middleware/api-key-auth";
import { cleanInput } from "./middleware/clean-input";
import { observe } from "./middleware/observe";
import { problem } from "./problem";
import { registerAdminRoutes } from "./routes/admin";
import { registerGetFlow } from "./routes/analytics/get-flow";
import { registerAiRoutes } from "./routes/ai";
import { registerListAudit } from "./routes/audit/list-audit";
import { registerInstanceRoutes } from "./routes/instances";
import { registerIssueReadRoutes } from "./routes/issues";
import { registerIssueWriteRoutes } from "./routes/issues/write-routes";
import { registerJqlAutocomplete } from "./routes/jql/autocomplete";
import { registerDocs } from "./routes/service/docs";
import { registerHealth } from "./routes/service/health";
import { registerMetrics } from "./routes/service/metrics";
import { registerProblemPages } from "./routes/service/problems";
import { registerReadiness } from "./routes/service/readiness";
import { registerWebPages } from "./routes/service/web-pages";
import { registerSqlRoutes } from "./routes/sql";
import { registerGetSyncStatus } from "./routes/sync/get-sync-status";
import { registerReplayDeadLetters } from "./routes/sync/replay-dead-letters";
import { registerRequestSync } from "./routes/sync/request-sync";

export type MakeServices = (env: Env, requestId: string) => Services;

export interface AppOptions {
  /** Builds the per-request services; tests pass their own wiring (e.g. a dead database URL). */
  makeServices?: MakeServices;
}

const MiB = 1024 * 1024;

const defaultServices: MakeServices = (env, id) =>
  createServices(loadConfig(env), createLogger({ service: "api", requestId: id }), env);

const limitBody = (mebibytes: number) =>
  bodyLimit({
    maxSize: mebibytes * MiB,
    onError: (c) => problem(c, 413, `The request body is larger than ${mebibytes} MiB.`),
  });

export function createApp(options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const makeServices = options.makeServices ?? defaultServices;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  // Echoes a client's id when it is short and plain (safe in logs), else makes one.
  app.use(requestId({ headerName: "X-Request-Id", limitLength: 128 }));
  app.use(async (c, next) => {
    const services = makeServices(c.env, c.var.requestId);
    c.set("services", services);
    c.set("logger", services.logger);
    try {
      await next();
    } finally {
      // Sockets must not outlive the request; close them after the response is sent.
      c.executionCtx.waitUntil(services.dispose());
    }
  });
  app.use(observe);
  app.use(cleanInput);
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problem(c, 405, `${c.req.method} is not allowed here; use ${methods.join(", ")}.`, {
          headers: { Allow: methods.join(", ") },
        }),
    }),
  );
  app.use("/webhooks/*", limitBody(10));
  app.use("/v1/*", limitBody(1));
  app.use("/mcp", limitBody(1));

  registerHealth(app);
  registerReadiness(app);
  registerMetrics(app);
  registerDocs(app);
  registerProblemPages(app);
  registerWebPages(app);

  registerAdminRoutes(app);
  // Everything else under /v1 (and /mcp) is a tenant's: API key, scopes, rate limits.
  app.use("/v1/*", async (c, next) =>
    c.req.path.startsWith("/v1/admin/") ? next() : apiKeyAuth(c, next),
  );
  registerInstanceRoutes(app);
  registerRequestSync(app);
  registerGetSyncStatus(app);
  registerReplayDeadLetters(app);
  registerListAudit(app);
  registerIssueReadRoutes(app);
  registerIssueWriteRoutes(app);
  registerJqlAutocomplete(app);
  registerSqlRoutes(app);
  registerGetFlow(app);
  registerAiRoutes(app);
  registerJiraWebhook(app);
  registerMcp(app);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
