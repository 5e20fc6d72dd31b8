import type { BackfillProgress, SyncJob } from "./sync-runner";
import type { SyncStateStore } from "./sync-state";

const COUNTERS = [
  "webhooksReceived",
  "webhooksApplied",
  "webhooksRejected",
  "webhooksDuplicate",
  "issuesUpserted",
  "issuesDeleted",
  "jiraRequests",
  "jiraRateLimited",
  "retries",
  "failures",
  "reconcileChecked",
  "reconcileRepaired",
] as const;

export type SyncState = "idle" | "backfilling" | "polling" | "reconciling" | "error";

/** What GET /v1/instances/{id}/sync shows (CONTRACT §4). */
export function buildSyncStatus(store: SyncStateStore, now: number) {
  const all = store.counters();
  const counters = Object.fromEntries(COUNTERS.map((name) => [name, all[name] ?? 0])) as Record<
    (typeof COUNTERS)[number],
    number
  >;
  const jiraRequestsByStatus = Object.fromEntries(
    Object.entries(all)
      .filter(([name]) => name.startsWith("jiraStatus."))
      .map(([name, value]) => [name.slice("jiraStatus.".length), value]),
  );
  const backfill = store.get<BackfillProgress>("backfill");
  const lastSyncAt = store.get<string>("lastSyncAt") ?? null;
  const cursor = backfill?.cursor;
  return {
    state: (store.get<SyncState>("state") ?? "idle") as SyncState,
    watermark: store.get<string>("watermark") ?? null,
    lagSeconds: lastSyncAt ? Math.max(0, Math.round((now - Date.parse(lastSyncAt)) / 1000)) : null,
    backfill: {
      status: (backfill?.status ?? "never") as BackfillProgress["status"] | "never",
      startedAt: backfill?.startedAt ?? null,
      finishedAt: backfill?.finishedAt ?? null,
      issuesSynced: backfill?.issuesSynced ?? 0,
      error: backfill?.error ?? null,
      progress: cursor
        ? {
            phase: cursor.phase,
            projectsDone: Math.min(cursor.projectIndex, cursor.projects.length),
            projectsTotal: cursor.projects.length,
            currentProject: cursor.projects[cursor.projectIndex] ?? null,
          }
        : null,
    },
    lastPollAt: store.get<string>("lastPollAt") ?? null,
    lastReconcileAt: store.get<string>("lastReconcileAt") ?? null,
    lastWebhookAt: store.get<string>("lastWebhookAt") ?? null,
    queueLagSeconds: store.get<number>("queueLagSeconds") ?? null,
    lastReconcile: store.get<Record<string, number>>("lastReconcile") ?? null,
    lastError: store.get<string>("lastError") ?? null,
    running: store.get<SyncJob>("running")?.kind ?? null,
    pending: (store.get<SyncJob[]>("pending") ?? []).map((job) => job.kind),
    counters,
    jiraRequestsByStatus,
  };
}

export type SyncStatus = ReturnType<typeof buildSyncStatus>;
