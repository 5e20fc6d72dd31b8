import { describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { call } from "../helpers/http";
import {
  connectSite,
  runSync,
  type SyncedSite,
  simGet,
  simSend,
  syncStatus,
} from "../helpers/sync";
import { deliver, deliveries, recordWebhooks, sign } from "../helpers/webhooks";

async function storedIssue(synced: SyncedSite, key: string) {
  const [row] = await adminQuery<{
    summary: string;
    deleted_at: Date | null;
    comments_count: number;
  }>("select summary, deleted_at, comments_count from issues where instance_id = $1 and key = $2", [
    synced.instanceId,
    key,
  ]);
  return row;
}

async function backfilledSite(seed: number) {
  const synced = await connectSite({ seed, issues: 8 });
  await runSync(synced, "backfill");
  await recordWebhooks(synced);
  const truth = await simGet<{ issues: { key: string }[] }>(synced, "/issues?maxResults=100");
  return { synced, keys: truth.issues.map((i) => i.key) };
}

const pollFor = <T>(probe: () => Promise<T>) =>
  expect.poll(probe, { timeout: 15_000, interval: 100 });

describe("webhooks", () => {
  it("applies an issue update within seconds, re-reading the issue from Jira", async () => {
    const { synced, keys } = await backfilledSite(31);
    const key = keys[1] ?? "";
    await simSend(synced, "PATCH", `/issues/${key}`, {
      fields: { summary: "Renamed by webhook" },
      webhook: true,
    });
    const [delivery] = await deliveries(synced);
    expect(delivery?.webhookEvent).toBe("jira:issue_updated");
    const res = await deliver(synced, delivery ?? { identifier: "", body: "" });
    expect(res.status).toBe(202);
    await pollFor(async () => (await storedIssue(synced, key))?.summary).toBe("Renamed by webhook");
    const status = await syncStatus(synced);
    expect(status.counters.webhooksApplied).toBe(1);
    const audit = await call("GET", "/v1/audit?action=jira:issue_updated", {
      token: synced.tenant.key,
    });
    const entries = (await audit.json()) as { items: { actor: string; targetId: string }[] };
    expect(entries.items).toEqual([
      expect.objectContaining({ actor: expect.stringMatching(/^jira:/), targetId: key }),
    ]);
  });

  it("ignores duplicates and converges on Jira's latest version when deliveries arrive out of order", async () => {
    const { synced, keys } = await backfilledSite(32);
    const key = keys[2] ?? "";
    await simSend(synced, "PATCH", `/issues/${key}`, {
      fields: { summary: "first" },
      webhook: true,
    });
    await simSend(synced, "PATCH", `/issues/${key}`, {
      fields: { summary: "second" },
      webhook: true,
    });
    const [first, second] = await deliveries(synced);
    if (!first || !second) {
      throw new Error("expected two deliveries");
    }
    expect((await deliver(synced, second)).status).toBe(202);
    expect((await deliver(synced, first)).status).toBe(202);
    expect((await deliver(synced, first)).status).toBe(202);
    await pollFor(async () => (await syncStatus(synced)).counters.webhooksReceived).toBe(3);
    await pollFor(async () => (await storedIssue(synced, key))?.summary).toBe("second");
    const status = await syncStatus(synced);
    expect(status.counters.webhooksDuplicate).toBeGreaterThanOrEqual(1);
    expect(status.counters.webhooksApplied).toBeLessThanOrEqual(2);
  });

  it("refuses a bad signature with 401, counts it, and applies nothing", async () => {
    const { synced, keys } = await backfilledSite(33);
    const key = keys[3] ?? "";
    const before = await storedIssue(synced, key);
    await simSend(synced, "PATCH", `/issues/${key}`, {
      fields: { summary: "forged" },
      webhook: true,
    });
    const [delivery] = await deliveries(synced);
    const res = await deliver(synced, delivery ?? { identifier: "", body: "" }, {
      secret: "wrong",
    });
    expect(res.status).toBe(401);
    const unsigned = await call("POST", `/webhooks/jira/${synced.instanceId}`, {
      rawBody: delivery?.body,
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.status).toBe(401);
    await pollFor(async () => (await syncStatus(synced)).counters.webhooksRejected).toBe(2);
    expect((await syncStatus(synced)).counters.webhooksReceived).toBe(0);
    expect((await storedIssue(synced, key))?.summary).toBe(before?.summary);
  });

  it("malformed JSON is 400 and an unknown instance is 404", async () => {
    const { synced } = await backfilledSite(34);
    const body = "{not json";
    const malformed = await call("POST", `/webhooks/jira/${synced.instanceId}`, {
      rawBody: body,
      headers: { "x-hub-signature": await sign(synced.webhookSecret, body) },
    });
    expect(malformed.status).toBe(400);
    const unknown = await call("POST", `/webhooks/jira/${crypto.randomUUID()}`, { rawBody: "{}" });
    expect(unknown.status).toBe(404);
  });

  it("applies deletions and comments", async () => {
    const { synced, keys } = await backfilledSite(35);
    const before = await storedIssue(synced, keys[4] ?? "");
    await simSend(synced, "POST", `/issues/${keys[4]}/comments`, {
      text: "a new comment",
      webhook: true,
    });
    await simSend(synced, "DELETE", `/issues/${keys.at(-1)}`, { webhook: true });
    for (const delivery of await deliveries(synced)) {
      expect((await deliver(synced, delivery)).status).toBe(202);
    }
    await pollFor(async () => (await storedIssue(synced, keys[4] ?? ""))?.comments_count).toBe(
      (before?.comments_count ?? 0) + 1,
    );
    await pollFor(
      async () => (await storedIssue(synced, keys.at(-1) ?? ""))?.deleted_at,
    ).not.toBeNull();
    const res = await call("GET", `/v1/instances/${synced.instanceId}/sync`, {
      token: synced.tenant.key,
    });
    expect(res.status).toBe(200);
  });

  it("loses nothing when Jira fails while a delivery is applied: the queue retries it", async () => {
    const { synced, keys } = await backfilledSite(36);
    const key = keys[6] ?? "";
    await simSend(synced, "PATCH", `/issues/${key}`, {
      fields: { summary: "after outage" },
      webhook: true,
    });
    const [delivery] = await deliveries(synced);
    await simSend(synced, "POST", "/faults", { failNext: { status: 503, count: 7 } });
    expect((await deliver(synced, delivery ?? { identifier: "", body: "" })).status).toBe(202);
    await pollFor(async () => (await storedIssue(synced, key))?.summary).toBe("after outage");
  });

  it("accepts deliveries far larger than a queue message (the issue is re-read anyway)", async () => {
    const { synced, keys } = await backfilledSite(37);
    const key = keys[2] ?? "";
    await simSend(synced, "PATCH", `/issues/${key}`, {
      fields: { summary: "big one" },
      webhook: true,
    });
    const [delivery] = await deliveries(synced);
    const payload = JSON.parse(delivery?.body ?? "{}") as {
      issue: { fields: Record<string, unknown> };
    };
    payload.issue.fields.description = "x".repeat(2_000_000);
    const res = await deliver(synced, {
      identifier: "big-delivery",
      body: JSON.stringify(payload),
    });
    expect(res.status).toBe(202);
    await pollFor(async () => (await storedIssue(synced, key))?.summary).toBe("big one");
  });
});
