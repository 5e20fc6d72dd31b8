import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { insertInstance, insertTenant } from "../helpers/factories";
import { call } from "../helpers/http";
import { connectSite, stubOf } from "../helpers/sync";

const syncJob = (tenantId: string, instanceId: string, kind = "poll") => ({
  type: "sync",
  tenantId,
  instanceId,
  kind,
  trigger: "test",
  requestedAt: new Date().toISOString(),
});

describe("queue consumer", () => {
  it("hands a sync job to the instance's Durable Object and acks it", async () => {
    const synced = await connectSite({ issues: 2 });
    const batch = createMessageBatch("sync-jobs", [
      {
        id: "m1",
        timestamp: new Date(),
        attempts: 1,
        body: syncJob(synced.tenant.id, synced.instanceId),
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
    const stub = stubOf(synced.instanceId);
    await expect
      .poll(async () => (await stub.getState()).lastPollAt, { timeout: 10_000, interval: 100 })
      .not.toBeNull();
  });

  it("acks (drops) a malformed message instead of retrying it forever", async () => {
    const batch = createMessageBatch("sync-jobs", [
      { id: "bad", timestamp: new Date(), attempts: 1, body: { type: "sync", kind: "nope" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["bad"]);
  });

  it("records dead letters in Postgres under the message's tenant", async () => {
    const tenant = await insertTenant();
    const instance = await insertInstance(tenant.id);
    const batch = createMessageBatch("sync-jobs-dlq", [
      {
        id: "dead-1",
        timestamp: new Date(),
        attempts: 6,
        body: syncJob(tenant.id, instance.id, "reconcile"),
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dead-1"]);
    const rows = await adminQuery<{ queue: string; attempts: number; body: { kind: string } }>(
      "select queue, attempts, body from dead_letters where tenant_id = $1",
      [tenant.id],
    );
    expect(rows).toEqual([
      { queue: "sync-jobs-dlq", attempts: 6, body: expect.objectContaining({ kind: "reconcile" }) },
    ]);
  });

  it("a real message sent to sync-jobs reaches the Durable Object", async () => {
    const synced = await connectSite({ issues: 2 });
    await testEnv.SYNC_JOBS.send(syncJob(synced.tenant.id, synced.instanceId, "reconcile"));
    const stub = stubOf(synced.instanceId);
    await expect
      .poll(async () => (await stub.getState()).lastReconcileAt, { timeout: 15_000, interval: 200 })
      .not.toBeNull();
  });
});

describe("dead-letter replay", () => {
  it("re-queues an instance's dead letters once, and they run", async () => {
    const synced = await connectSite({ issues: 2 });
    const batch = createMessageBatch("sync-jobs-dlq", [
      {
        id: "dead-replay",
        timestamp: new Date(),
        attempts: 6,
        body: syncJob(synced.tenant.id, synced.instanceId, "poll"),
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv, ctx);
    await getQueueResult(batch, ctx);
    const replay = () =>
      call("POST", `/v1/instances/${synced.instanceId}/sync/replay-dead-letters`, {
        token: synced.tenant.key,
      });
    const first = await replay();
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ replayed: 1 });
    expect(await (await replay()).json()).toEqual({ replayed: 0 });
    await expect
      .poll(async () => (await stubOf(synced.instanceId).getState()).lastPollAt, {
        timeout: 15_000,
        interval: 200,
      })
      .not.toBeNull();
  });
});

describe("scheduled handler", () => {
  it("enqueues a poll for every instance on the 5-minute cron", async () => {
    const synced = await connectSite({ issues: 2 });
    const controller = createScheduledController({
      cron: "*/5 * * * *",
      scheduledTime: Date.now(),
    });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, testEnv, ctx);
    const stub = stubOf(synced.instanceId);
    await expect
      .poll(async () => (await stub.getState()).lastPollAt, { timeout: 15_000, interval: 200 })
      .not.toBeNull();
  });
});
