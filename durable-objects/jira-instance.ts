import { DurableObject } from "cloudflare:workers";
import {
  type IssueWrite,
  type IssueWriteResult,
  performIssueWrite,
} from "../src/application/issues/writes/write-operations";
import {
  applyWebhookPlan,
  auditJiraChanges,
  planWebhooks,
} from "../src/application/sync/apply-webhooks";
import type { SyncContext } from "../src/application/sync/context";
import { loadConnection, saveRefreshToken } from "../src/application/sync/instance-connection";
import { DomainError } from "../src/domain/errors";
import { type Env, loadConfig } from "../src/env";
import type { SyncScope } from "../src/infrastructure/db/sync-store";
import { isJiraError } from "../src/infrastructure/jira";
import { createLogger } from "../src/infrastructure/observability/logger";
import { createServices, type Services } from "../src/infrastructure/services";
import type { WebhookEventMessage } from "../src/interfaces/queue/messages";
import { OAuthSession } from "./oauth-session";
import { buildSyncContext, type InstanceResources, pacerHolder } from "./sync-context";
import { runSyncJob, type SyncJob, type SyncRun } from "./sync-runner";
import { SyncStateStore } from "./sync-state";
import { buildSyncStatus, type SyncStatus } from "./sync-status";

export type { SyncStatus };

const DELIVERY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * One per Jira site (`idFromName(instanceId)`): the single writer of that site's sync state —
 * job queue, backfill cursor, watermark, delivery ids, counters and OAuth tokens — all in the
 * object's SQLite storage. Work runs from alarms in short steps that persist their cursor, so an
 * evicted or crashed object resumes where it stopped, never from zero and never twice.
 */
const keyOf = (event: WebhookEventMessage) => event.eventKey ?? event.deliveryId;

export class JiraInstance extends DurableObject<Env> {
  readonly #store: SyncStateStore;
  readonly #resources: InstanceResources;
  /** Deliveries being applied right now, by id (in memory: a restart loses nothing durable). */
  readonly #applying = new Map<string, Promise<unknown>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new SyncStateStore(ctx.storage.sql);
    this.#resources = {
      store: this.#store,
      oauth: new OAuthSession(this.#store, (token) => this.#persistRefreshToken(token)),
      pacer: pacerHolder(),
    };
  }

  async getState(): Promise<SyncStatus> {
    return buildSyncStatus(this.#store, Date.now());
  }

  /** Queues a sync; one of a kind already queued or running is coalesced into it. */
  async requestSync(
    scope: SyncScope,
    job: SyncJob,
  ): Promise<{ accepted: true; coalesced: boolean }> {
    this.#remember(scope);
    const running = this.#store.get<SyncJob>("running");
    const pending = this.#store.get<SyncJob[]>("pending") ?? [];
    if (running?.kind === job.kind || pending.some((p) => p.kind === job.kind)) {
      return { accepted: true, coalesced: true };
    }
    this.#store.set("pending", [...pending, job]);
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now());
    }
    return { accepted: true, coalesced: false };
  }

  /**
   * Applies webhook deliveries. Duplicates (same delivery id) change nothing; the rest are folded
   * into one re-read of the touched issues. Each delivery arrives twice by design: `direct` right
   * after the edge queued it (for latency), and `queue` from the durable queue (which guarantees
   * it). Ids are remembered only after the work is stored, so a failure is retried by the queue.
   * A delivery is known by its body hash when it has one: a replay of a signed event under a new
   * X-Atlassian-Webhook-Identifier is the same event.
   */
  async applyWebhooks(
    scope: SyncScope,
    events: WebhookEventMessage[],
    via: "queue" | "direct" = "queue",
  ) {
    this.#remember(scope);
    const unique = [...new Map(events.map((e) => [keyOf(e), e])).values()];
    // The same delivery being applied through the other path: wait for that outcome first.
    await Promise.all(unique.map((e) => this.#applying.get(keyOf(e))?.catch(() => {})));
    const fresh: WebhookEventMessage[] = [];
    let duplicates = events.length - unique.length;
    for (const event of unique) {
      const seen = this.#store.delivery(keyOf(event));
      if (!seen) {
        fresh.push(event);
      } else if (via === "queue" && !seen.queued) {
        this.#store.markQueued(keyOf(event)); // applied directly before: not a duplicate
      } else {
        duplicates++;
      }
    }
    if (via === "queue") {
      this.#store.count("webhooksReceived", events.length);
      this.#store.count("webhooksDuplicate", duplicates);
    }
    if (fresh.length > 0) {
      const work = this.#withContext(scope, async (ctx) => {
        await applyWebhookPlan(ctx, planWebhooks(fresh.map((e) => e.payload)));
        await auditJiraChanges(ctx, fresh);
      });
      for (const event of fresh) {
        this.#applying.set(keyOf(event), work);
      }
      try {
        await work;
      } finally {
        for (const event of fresh) {
          this.#applying.delete(keyOf(event));
        }
      }
      const ids = fresh.map((e) => keyOf(e));
      this.#store.rememberDeliveries(ids, Date.now(), DELIVERY_TTL_MS, via === "queue");
      this.#store.count("webhooksApplied", fresh.length);
      const oldest = Math.min(...fresh.map((e) => Date.parse(e.receivedAt)));
      this.#store.set("queueLagSeconds", Math.max(0, (Date.now() - oldest) / 1000));
      this.#store.set("lastWebhookAt", new Date().toISOString());
      this.#store.set("lastSyncAt", new Date().toISOString());
    }
    return { applied: fresh.length, duplicates };
  }

  /**
   * A write to Jira (create, edit, transition, comment), serialized with the site's sync work
   * and paced by the same budget; Jira's answer is stored before this returns.
   */
  async writeIssue(scope: SyncScope, write: IssueWrite): Promise<IssueWriteResult> {
    this.#remember(scope);
    try {
      const key = await this.#withContext(scope, (ctx) => performIssueWrite(ctx, write));
      this.#store.set("lastSyncAt", new Date().toISOString());
      return { ok: true, key };
    } catch (error) {
      // Error classes do not survive RPC; domain errors travel as data.
      if (error instanceof DomainError) {
        return { ok: false, code: error.code, message: error.message, errors: error.errors };
      }
      if (isJiraError(error)) {
        return {
          ok: false,
          code: "upstream_unavailable",
          message: "Jira did not answer in time; nothing is known to have changed. Retry later.",
          errors: [],
        };
      }
      throw error;
    }
  }

  /** A delivery refused at the edge (bad signature), counted with the rest. */
  async recordWebhookRejected(): Promise<void> {
    this.#store.count("webhooksRejected");
  }

  /** Forgets everything (the instance was deleted): alarms, state, delivery ids, counters. */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#store.migrate();
  }

  override async alarm(): Promise<void> {
    const scope = this.#store.get<SyncScope>("scope");
    if (!scope) {
      return;
    }
    const run: SyncRun = await this.#withContext(scope, (ctx) => runSyncJob(ctx, this.#store));
    if (run.next !== undefined) {
      await this.ctx.storage.setAlarm(run.next);
    }
  }

  #remember(scope: SyncScope): void {
    const known = this.#store.get<SyncScope>("scope");
    if (!known || known.instanceId !== scope.instanceId || known.tenantId !== scope.tenantId) {
      this.#store.set("scope", { tenantId: scope.tenantId, instanceId: scope.instanceId });
    }
  }

  async #services(): Promise<Services> {
    return createServices(
      loadConfig(this.env),
      createLogger({
        service: "sync",
        instanceId: this.#store.get<SyncScope>("scope")?.instanceId,
      }),
      this.env,
    );
  }

  /** Runs one unit of work with a fresh sync context; its database connections end with it. */
  async #withContext<T>(scope: SyncScope, work: (ctx: SyncContext) => Promise<T>): Promise<T> {
    const services = await this.#services();
    try {
      return await work(await buildSyncContext(services, this.#resources, scope));
    } finally {
      await services.dispose();
    }
  }

  async #persistRefreshToken(refreshToken: string): Promise<void> {
    const scope = this.#store.get<SyncScope>("scope");
    if (!scope) {
      return;
    }
    const services = await this.#services();
    try {
      const deps = { db: services.db, secretBox: await services.secretBox() };
      const { secrets } = await loadConnection(deps, scope);
      if (secrets.type === "oauth2") {
        await saveRefreshToken(deps, scope, secrets, refreshToken);
      }
    } finally {
      await services.dispose();
    }
  }
}
