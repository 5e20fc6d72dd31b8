import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getSyncStatus } from "../../../../application/sync/get-sync-status";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { callerOf, security, UuidParam } from "../shared";

const nullableTime = z.iso.datetime().nullable();

export const SyncStatusSchema = z
  .object({
    state: z.enum(["idle", "backfilling", "polling", "reconciling", "error"]),
    watermark: nullableTime,
    lagSeconds: z.number().int().nullable().openapi({
      description: "Seconds since the last successful sync activity (job or webhook).",
    }),
    backfill: z.object({
      status: z.enum(["never", "running", "done", "failed"]),
      startedAt: nullableTime,
      finishedAt: nullableTime,
      issuesSynced: z.number().int(),
      error: z.string().nullable(),
      progress: z
        .object({
          phase: z.enum(["catalog", "issues", "done"]),
          projectsDone: z.number().int(),
          projectsTotal: z.number().int(),
          currentProject: z.string().nullable(),
        })
        .nullable(),
    }),
    lastPollAt: nullableTime,
    lastReconcileAt: nullableTime,
    lastWebhookAt: nullableTime,
    queueLagSeconds: z.number().nullable(),
    lastReconcile: z.record(z.string(), z.number()).nullable(),
    lastError: z.string().nullable(),
    running: z.string().nullable(),
    pending: z.array(z.string()),
    counters: z.object({
      webhooksReceived: z.number().int(),
      webhooksApplied: z.number().int(),
      webhooksRejected: z.number().int(),
      webhooksDuplicate: z.number().int(),
      issuesUpserted: z.number().int(),
      issuesDeleted: z.number().int(),
      jiraRequests: z.number().int(),
      jiraRateLimited: z.number().int(),
      retries: z.number().int(),
      failures: z.number().int(),
      reconcileChecked: z.number().int(),
      reconcileRepaired: z.number().int(),
    }),
    jiraRequestsByStatus: z.record(z.string(), z.number()),
    deadLetters: z.number().int().openapi({
      description: "The instance's queue messages that exhausted their retries, not yet replayed.",
    }),
  })
  .openapi("SyncStatus");

const route = createRoute({
  method: "get",
  path: "/v1/instances/{id}/sync",
  operationId: "getSyncStatus",
  tags: ["Sync"],
  summary: "Sync state, watermark, backfill progress and counters",
  security,
  middleware: [requireScope("read")] as const,
  request: { params: z.object({ id: UuidParam("id") }) },
  responses: {
    200: jsonContent(SyncStatusSchema, "The instance's sync status"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerGetSyncStatus(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { services } = c.var;
    const status = await getSyncStatus(
      { db: services.db, instances: services.bindings.JIRA_INSTANCE },
      { tenantId: callerOf(c).tenantId, instanceId: c.req.valid("param").id },
    );
    return c.json(status, 200);
  });
}
