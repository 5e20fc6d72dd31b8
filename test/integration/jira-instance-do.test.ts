import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { JiraInstance } from "../../durable-objects/jira-instance";
import { testEnv } from "../helpers/env";

const stubFor = (name: string) => testEnv.JIRA_INSTANCE.get(testEnv.JIRA_INSTANCE.idFromName(name));

describe("JiraInstance Durable Object", () => {
  it("starts idle with empty state over RPC", async () => {
    const state = await stubFor(crypto.randomUUID()).getState();
    expect(state).toMatchObject({ state: "idle", watermark: null, pending: [], counters: {} });
  });

  it("coalesces a sync requested while the same kind is pending, and runs it from the alarm", async () => {
    const stub = stubFor(crypto.randomUUID());
    expect(await stub.requestSync("poll")).toEqual({ accepted: true, coalesced: false });
    expect(await stub.requestSync("poll")).toEqual({ accepted: true, coalesced: true });
    expect((await stub.getState()).pending).toEqual(["poll"]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const state = await stub.getState();
    expect(state.pending).toEqual([]);
    expect(state.lastPollAt).not.toBeNull();
    expect(state.counters["runs.poll"]).toBe(1);
  });

  it("detects duplicate webhook deliveries and keeps them across restarts", async () => {
    const stub = stubFor(crypto.randomUUID());
    expect(await stub.markDelivery("d-1")).toBe(true);
    expect(await stub.markDelivery("d-1")).toBe(false);
    expect(await stub.markDelivery("d-2")).toBe(true);
    const stored = await runInDurableObject(stub, (instance: JiraInstance, state) => {
      expect(instance).toBeInstanceOf(JiraInstance);
      return state.storage.sql.exec("SELECT count(*) AS n FROM deliveries").one().n;
    });
    expect(stored).toBe(2);
    expect((await stub.getState()).counters.webhooksReceived).toBe(3);
  });
});
