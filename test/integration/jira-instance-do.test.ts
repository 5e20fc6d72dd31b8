import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { JiraInstance } from "../../durable-objects/jira-instance";
import { connectSite, stubOf, waitForIdle } from "../helpers/sync";

describe("JiraInstance Durable Object", () => {
  it("starts idle with empty state over RPC", async () => {
    const state = await stubOf(crypto.randomUUID()).getState();
    expect(state).toMatchObject({
      state: "idle",
      watermark: null,
      lagSeconds: null,
      pending: [],
      running: null,
      backfill: { status: "never", issuesSynced: 0 },
    });
    expect(state.counters.webhooksReceived).toBe(0);
  });

  it("coalesces a sync requested while the same kind is queued or running", async () => {
    const synced = await connectSite({ issues: 3 });
    const stub = stubOf(synced.instanceId);
    const scope = { tenantId: synced.tenant.id, instanceId: synced.instanceId };
    const first = await stub.requestSync(scope, { kind: "poll", trigger: "test" });
    const second = await stub.requestSync(scope, { kind: "poll", trigger: "test" });
    expect(first.coalesced).toBe(false);
    expect(second.coalesced).toBe(true);
    const state = await stub.getState();
    expect(
      [...state.pending, state.running].filter((k) => k === "poll").length,
    ).toBeLessThanOrEqual(1);
    await runDurableObjectAlarm(stub);
    const after = await waitForIdle(synced);
    expect(after.lastPollAt).not.toBeNull();
  });

  it("keeps its state in SQLite storage and forgets it on reset", async () => {
    const synced = await connectSite({ issues: 3 });
    const stub = stubOf(synced.instanceId);
    await stub.recordWebhookRejected();
    const stored = await runInDurableObject(stub, (instance: JiraInstance, state) => {
      expect(instance).toBeInstanceOf(JiraInstance);
      return state.storage.sql
        .exec<{ value: number }>("SELECT value FROM counters WHERE name = 'webhooksRejected'")
        .one().value;
    });
    expect(stored).toBe(1);
    await stub.reset();
    expect((await stub.getState()).counters.webhooksRejected).toBe(0);
  });
});
