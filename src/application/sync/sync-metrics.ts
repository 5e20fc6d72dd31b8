import { isNull, sql } from "drizzle-orm";
import { deadLetters, jiraInstances } from "../../../drizzle/schema";
import type { JiraInstance, SyncStatus } from "../../../durable-objects/jira-instance";
import type { Database } from "../../infrastructure/db/database";

/** Scrapes stay cheap: beyond this many instances, only the first ones are reported. */
const MAX_INSTANCES = 500;

export interface InstanceSyncSnapshot {
  /**
   * A keyed hash of the instance id: stable per instance (so per-instance lag stays useful) but
   * useless to an outsider, who cannot turn it back into an id to aim requests at.
   */
  instance: string;
  status: SyncStatus;
}

/** Every instance's sync state (from its Durable Object) and the dead-letter backlog. */
export async function collectSyncMetrics(deps: {
  db: Database;
  instances: DurableObjectNamespace<JiraInstance>;
  labelOf: (instanceId: string) => Promise<string>;
}) {
  const { rows, dead } = await deps.db.withSystem(async (tx) => ({
    rows: await tx.select({ id: jiraInstances.id }).from(jiraInstances).limit(MAX_INSTANCES),
    dead: await tx
      .select({ queue: deadLetters.queue, count: sql<number>`count(*)::int` })
      .from(deadLetters)
      .where(isNull(deadLetters.replayedAt))
      .groupBy(deadLetters.queue),
  }));
  const snapshots = await Promise.all(
    rows.map(
      async (row): Promise<InstanceSyncSnapshot> => ({
        instance: await deps.labelOf(row.id),
        status: await deps.instances.get(deps.instances.idFromName(row.id)).getState(),
      }),
    ),
  );
  return { snapshots, deadLetters: dead };
}

const line = (name: string, labels: Record<string, string>, value: number) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}} ${value}`;

const COUNTERS: [keyof SyncStatus["counters"], string, string][] = [
  [
    "webhooksReceived",
    "ds_sync_webhooks_received_total",
    "Webhook deliveries handed to the sync engine.",
  ],
  ["webhooksApplied", "ds_sync_webhooks_applied_total", "Webhook deliveries applied."],
  [
    "webhooksRejected",
    "ds_sync_webhooks_rejected_total",
    "Webhook deliveries refused (bad signature).",
  ],
  ["issuesUpserted", "ds_sync_issues_upserted_total", "Issues written to Postgres."],
  ["issuesDeleted", "ds_sync_issues_deleted_total", "Issues marked deleted."],
  ["retries", "ds_jira_retries_total", "Jira requests retried."],
  ["jiraRateLimited", "ds_jira_rate_limited_total", "Jira answers with 429."],
  ["failures", "ds_sync_failures_total", "Sync job attempts that failed."],
  ["reconcileRepaired", "ds_sync_reconcile_repaired_total", "Issues repaired by reconciliation."],
];

/** Prometheus text for the sync engine (counters live in each instance's Durable Object). */
export function renderSyncMetrics(
  snapshots: InstanceSyncSnapshot[],
  deadLetters: { queue: string; count: number }[],
): string {
  const out: string[] = [];
  for (const [key, name, help] of COUNTERS) {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const s of snapshots) {
      out.push(line(name, { instance: s.instance }, s.status.counters[key]));
    }
  }
  out.push("# HELP ds_jira_requests_total Requests made to Jira by response status.");
  out.push("# TYPE ds_jira_requests_total counter");
  for (const s of snapshots) {
    for (const [status, value] of Object.entries(s.status.jiraRequestsByStatus)) {
      out.push(line("ds_jira_requests_total", { instance: s.instance, status }, value));
    }
  }
  out.push("# HELP ds_sync_lag_seconds Seconds since the instance last synced successfully.");
  out.push("# TYPE ds_sync_lag_seconds gauge");
  for (const s of snapshots) {
    if (s.status.lagSeconds !== null) {
      out.push(line("ds_sync_lag_seconds", { instance: s.instance }, s.status.lagSeconds));
    }
  }
  out.push("# HELP ds_queue_lag_seconds Delay between a webhook's arrival and its application.");
  out.push("# TYPE ds_queue_lag_seconds gauge");
  for (const s of snapshots) {
    if (s.status.queueLagSeconds !== null) {
      out.push(line("ds_queue_lag_seconds", { instance: s.instance }, s.status.queueLagSeconds));
    }
  }
  out.push("# HELP ds_sync_state Current sync state of each instance (1 = in that state).");
  out.push("# TYPE ds_sync_state gauge");
  for (const s of snapshots) {
    out.push(line("ds_sync_state", { instance: s.instance, state: s.status.state }, 1));
  }
  out.push("# HELP ds_queue_dead_letters Messages in dead-letter queues not yet replayed.");
  out.push("# TYPE ds_queue_dead_letters gauge");
  for (const d of deadLetters) {
    out.push(line("ds_queue_dead_letters", { queue: d.queue }, d.count));
  }
  return `${out.join("\n")}\n`;
}
