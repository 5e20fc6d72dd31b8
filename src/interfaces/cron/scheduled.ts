import { jiraInstances } from "../../../drizzle/schema";
import { type Env, loadConfig } from "../../env";
import { createLogger } from "../../infrastructure/observability/logger";
import { createServices } from "../../infrastructure/services";
import type { SyncJobMessage, SyncKind } from "../queue/messages";

/** Which sync each cron expression of wrangler.toml runs. */
export const CRON_JOBS: Record<string, SyncKind> = {
  "*/5 * * * *": "poll",
  "0 * * * *": "reconcile",
};

const SEND_BATCH_LIMIT = 100;

/** Enqueues the cron's sync kind for every instance of every tenant. */
export async function handleScheduled(
  controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const services = createServices(
    loadConfig(env),
    createLogger({ service: "cron", cron: controller.cron }),
    env,
  );
  try {
    const kind = CRON_JOBS[controller.cron];
    if (!kind) {
      services.logger.warn("unknown cron expression", { cron: controller.cron });
      return;
    }
    const instances = await services.db.withSystem((tx) =>
      tx.select({ id: jiraInstances.id, tenantId: jiraInstances.tenantId }).from(jiraInstances),
    );
    const requestedAt = new Date(controller.scheduledTime).toISOString();
    const messages = instances.map((instance): { body: SyncJobMessage } => ({
      body: {
        type: "sync",
        tenantId: instance.tenantId,
        instanceId: instance.id,
        kind,
        trigger: "cron",
        requestedAt,
      },
    }));
    for (let i = 0; i < messages.length; i += SEND_BATCH_LIMIT) {
      await env.SYNC_JOBS.sendBatch(messages.slice(i, i + SEND_BATCH_LIMIT));
    }
    services.metrics.inc("cron_runs_total", "Cron runs by kind.", { kind });
    services.logger.info("cron enqueued sync jobs", { kind, instances: instances.length });
  } finally {
    ctx.waitUntil(services.dispose());
  }
}
