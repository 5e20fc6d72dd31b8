import {
  type BackfillCursor,
  backfillStep,
  newBackfillCursor,
} from "../src/application/sync/backfill";
import type { SyncContext } from "../src/application/sync/context";
import { POLL_OVERLAP_MS, poll } from "../src/application/sync/poll";
import { reconcile } from "../src/application/sync/reconcile";
import { rememberJiraAccount } from "../src/application/sync/remember-jira-account";
import { DomainError } from "../src/domain/errors";
import { isJiraError } from "../src/infrastructure/jira";
import type { SyncKind } from "../src/interfaces/queue/messages";
import type { SyncStateStore } from "./sync-state";

export interface SyncJob {
  kind: SyncKind;
  /** Reconcile only: verify every issue (on demand) or the next 1/24 slice (hourly). */
  verify?: "all" | "slice";
  trigger: string;
}

export interface BackfillProgress {
  status: "running" | "done" | "failed";
  startedAt: string;
  finishedAt: string | null;
  issuesSynced: number;
  error: string | null;
  cursor: BackfillCursor;
}

/** When the alarm should fire again; undefined = nothing left to do. */
export interface SyncRun {
  next?: number;
}

const STATE_OF = { backfill: "backfilling", poll: "polling", reconcile: "reconciling" } as const;
/** Work per alarm before yielding (and persisting): well inside Workers' limits. */
const STEP_BUDGET_MS = 15_000;
const MAX_ATTEMPTS = 5;
const SLICES_PER_DAY = 24;

const describe = (error: unknown): string =>
  isJiraError(error) || error instanceof DomainError ? error.message : "internal error (see logs)";

/** Runs (a step of) the current or next job, persisting progress as it goes. */
export async function runSyncJob(ctx: SyncContext, store: SyncStateStore): Promise<SyncRun> {
  let job = store.get<SyncJob>("running");
  if (!job) {
    const [next, ...rest] = store.get<SyncJob[]>("pending") ?? [];
    if (!next) {
      store.set("state", store.get<string>("state") === "error" ? "error" : "idle");
      return {};
    }
    job = next;
    store.set("pending", rest);
    store.set("running", job);
  }
  store.set("state", STATE_OF[job.kind]);
  try {
    if (!store.get<string>("timeZone")) {
      const me = await ctx.jira.myself();
      store.set("timeZone", typeof me.timeZone === "string" ? me.timeZone : "UTC");
      ctx.timeZone = store.get<string>("timeZone") ?? "UTC";
      await rememberJiraAccount(ctx, { accountId: me.accountId, timeZone: ctx.timeZone });
    }
    const finished = await runJob(ctx, store, job);
    if (!finished) {
      return { next: Date.now() };
    }
    store.set("running", undefined);
    store.set("attempts", 0);
    store.set("lastError", undefined);
    store.set("lastSyncAt", new Date().toISOString());
    store.set("state", "idle");
  } catch (error) {
    store.count("failures");
    ctx.logger.error("sync job failed", { kind: job.kind, error });
    if (error instanceof DomainError && error.code === "not_found") {
      // The instance was deleted under us: nothing to retry.
      store.set("running", undefined);
      store.set("pending", []);
      store.set("state", "idle");
      return {};
    }
    const attempts = (store.get<number>("attempts") ?? 0) + 1;
    store.set("lastError", describe(error));
    if (attempts < MAX_ATTEMPTS) {
      store.set("attempts", attempts);
      const delay = Math.min(300_000, 2 ** attempts * 1000) * (0.5 + Math.random() / 2);
      return { next: Date.now() + delay };
    }
    store.set("attempts", 0);
    store.set("running", undefined);
    store.set("state", "error");
    const backfill = store.get<BackfillProgress>("backfill");
    if (job.kind === "backfill" && backfill) {
      store.set("backfill", { ...backfill, status: "failed", error: describe(error) });
    }
  }
  const pending = store.get<SyncJob[]>("pending") ?? [];
  return pending.length > 0 ? { next: Date.now() } : {};
}

/** True when the job is complete; false when it yielded and must continue. */
async function runJob(ctx: SyncContext, store: SyncStateStore, job: SyncJob): Promise<boolean> {
  const now = new Date();
  if (job.kind === "backfill") {
    return backfillSteps(ctx, store);
  }
  if (job.kind === "poll") {
    const watermark = store.get<string>("watermark");
    if (watermark) {
      const result = await poll(ctx, new Date(watermark));
      store.set("watermark", result.watermark.toISOString());
    }
    store.set("lastPollAt", now.toISOString());
    return true;
  }
  const slice = store.get<number>("reconcileSlice") ?? 0;
  const report = await reconcile(ctx, job.verify === "all" ? "all" : { slice, of: SLICES_PER_DAY });
  if (job.verify !== "all") {
    store.set("reconcileSlice", (slice + 1) % SLICES_PER_DAY);
  }
  store.set("lastReconcile", report);
  store.set("lastReconcileAt", now.toISOString());
  return true;
}

async function backfillSteps(ctx: SyncContext, store: SyncStateStore): Promise<boolean> {
  let progress = store.get<BackfillProgress>("backfill");
  if (!progress || progress.status === "done") {
    progress = {
      status: "running",
      startedAt: new Date().toISOString(),
      finishedAt: null,
      issuesSynced: 0,
      error: null,
      cursor: newBackfillCursor(),
    };
  }
  // A failed backfill resumes from its cursor.
  progress = { ...progress, status: "running", error: null };
  store.set("backfill", progress);
  // Tests shorten the budget (one step per alarm) to exercise eviction between steps.
  const deadline = Date.now() + (store.get<number>("stepBudgetMs") ?? STEP_BUDGET_MS);
  while (progress.cursor.phase !== "done" && Date.now() < deadline) {
    const cursor = await backfillStep(ctx, progress.cursor);
    progress = { ...progress, cursor, issuesSynced: cursor.issuesSynced };
    store.set("backfill", progress);
  }
  if (progress.cursor.phase !== "done") {
    return false;
  }
  // Anything updated since the backfill started is picked up by the next poll.
  const start = Date.parse(progress.startedAt) - POLL_OVERLAP_MS;
  const current = Date.parse(store.get<string>("watermark") ?? "") || 0;
  store.set("watermark", new Date(Math.max(start, current)).toISOString());
  store.set("backfill", { ...progress, status: "done", finishedAt: new Date().toISOString() });
  return true;
}
