import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/env";

export type SyncState = "idle" | "backfilling" | "polling" | "reconciling" | "error";

export interface InstanceSyncState {
  state: SyncState;
  watermark: string | null;
  lastPollAt: string | null;
  lastReconcileAt: string | null;
  lastWebhookAt: string | null;
  pending: string[];
  counters: Record<string, number>;
}

/** How long delivery ids are remembered for duplicate detection (Jira retries for ~30 min). */
const DELIVERY_ID_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * One per Jira site (`idFromName(instanceId)`): the single writer of that site's sync state.
 * State lives in the object's SQLite storage, so an evicted or restarted object resumes.
 */
export class JiraInstance extends DurableObject<Env> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.#migrate());
  }

  #migrate(): void {
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    this.#sql.exec(
      `CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)`,
    );
    this.#sql.exec(
      `CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
    );
  }

  /** Forgets everything (the instance was deleted): alarms, state, delivery ids, counters. */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#migrate();
  }

  async getState(): Promise<InstanceSyncState> {
    const counters: Record<string, number> = {};
    for (const row of this.#sql.exec<{ name: string; value: number }>(
      "SELECT name, value FROM counters",
    )) {
      counters[row.name] = row.value;
    }
    return {
      state: (this.#get("state") as SyncState | null) ?? "idle",
      watermark: this.#get("watermark"),
      lastPollAt: this.#get("lastPollAt"),
      lastReconcileAt: this.#get("lastReconcileAt"),
      lastWebhookAt: this.#get("lastWebhookAt"),
      pending: JSON.parse(this.#get("pending") ?? "[]") as string[],
      counters,
    };
  }

  /** Records a sync request; a request of a kind already pending is coalesced into it. */
  async requestSync(kind: string): Promise<{ accepted: boolean; coalesced: boolean }> {
    const pending = JSON.parse(this.#get("pending") ?? "[]") as string[];
    if (pending.includes(kind)) {
      return { accepted: true, coalesced: true };
    }
    pending.push(kind);
    this.#set("pending", JSON.stringify(pending));
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now());
    }
    return { accepted: true, coalesced: false };
  }

  /** Marks a webhook delivery as seen; false when it was seen before (a duplicate). */
  async markDelivery(deliveryId: string): Promise<boolean> {
    const now = Date.now();
    const seen = this.#sql
      .exec<{ id: string }>("SELECT id FROM deliveries WHERE id = ?", deliveryId)
      .toArray();
    this.#count("webhooksReceived");
    if (seen.length > 0) {
      return false;
    }
    this.#sql.exec("INSERT INTO deliveries (id, seen_at) VALUES (?, ?)", deliveryId, now);
    this.#sql.exec("DELETE FROM deliveries WHERE seen_at < ?", now - DELIVERY_ID_TTL_MS);
    this.#set("lastWebhookAt", new Date(now).toISOString());
    return true;
  }

  /** Runs the pending sync work, one kind at a time, rescheduling itself until none is left. */
  override async alarm(): Promise<void> {
    const pending = JSON.parse(this.#get("pending") ?? "[]") as string[];
    const kind = pending.shift();
    if (!kind) {
      return;
    }
    const now = new Date().toISOString();
    if (kind === "poll") {
      this.#set("lastPollAt", now);
    } else if (kind === "reconcile") {
      this.#set("lastReconcileAt", now);
    }
    this.#count(`runs.${kind}`);
    this.#set("pending", JSON.stringify(pending));
    this.#set("state", "idle");
    if (pending.length > 0) {
      await this.ctx.storage.setAlarm(Date.now());
    }
  }

  #get(key: string): string | null {
    const row = this.#sql
      .exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key)
      .toArray();
    return row[0]?.value ?? null;
  }

  #set(key: string, value: string): void {
    this.#sql.exec(
      "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
  }

  #count(name: string, by = 1): void {
    this.#sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + ?",
      name,
      by,
      by,
    );
  }
}
