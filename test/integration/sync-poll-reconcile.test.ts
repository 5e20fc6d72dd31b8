import { describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { connectSite, runSync, type SyncedSite, simGet, simSend } from "../helpers/sync";

async function stored(synced: SyncedSite, key: string) {
  const [row] = await adminQuery<{ summary: string; deleted_at: Date | null; labels: string[] }>(
    "select summary, deleted_at, labels from issues where instance_id = $1 and key = $2",
    [synced.instanceId, key],
  );
  return row;
}

async function keysOf(synced: SyncedSite): Promise<string[]> {
  const truth = await simGet<{ issues: { key: string }[] }>(synced, "/issues?maxResults=100");
  return truth.issues.map((i) => i.key);
}

describe("polling", () => {
  it("picks up changes whose webhooks never came, and advances the watermark", async () => {
    const synced = await connectSite({ seed: 41, issues: 6 });
    const afterBackfill = await runSync(synced, "backfill");
    const [key = ""] = await keysOf(synced);
    await simSend(synced, "PATCH", `/issues/${key}`, { fields: { summary: "changed silently" } });
    const created = (await simSend(synced, "POST", "/issues", {
      projectKey: key.split("-")[0],
      summary: "created without a webhook",
    })) as { key: string };
    const afterPoll = await runSync(synced, "poll");
    expect((await stored(synced, key))?.summary).toBe("changed silently");
    expect((await stored(synced, created.key))?.summary).toBe("created without a webhook");
    expect(afterPoll.lastPollAt).not.toBeNull();
    expect(Date.parse(afterPoll.watermark ?? "")).toBeGreaterThanOrEqual(
      Date.parse(afterBackfill.watermark ?? ""),
    );
  });
});

describe("reconciliation", () => {
  it("removes issues deleted silently, fetches missing ones and repairs silent edits", async () => {
    const synced = await connectSite({ seed: 42, issues: 8 });
    await runSync(synced, "backfill");
    const keys = await keysOf(synced);
    const gone = keys.at(-1) ?? "";
    const edited = keys[1] ?? "";
    await simSend(synced, "DELETE", `/issues/${gone}`);
    // A change that does not move Jira's `updated`: only content verification can see it.
    await simSend(synced, "PATCH", `/issues/${edited}`, {
      fields: { summary: "silent edit", labels: ["silently-added"] },
      silent: true,
    });
    await adminQuery("delete from issues where instance_id = $1 and key = $2", [
      synced.instanceId,
      keys[0],
    ]);
    const status = await runSync(synced, "reconcile");
    expect((await stored(synced, gone))?.deleted_at).not.toBeNull();
    expect(await stored(synced, edited)).toMatchObject({
      summary: "silent edit",
      labels: ["silently-added"],
    });
    expect((await stored(synced, keys[0] ?? ""))?.deleted_at).toBeNull();
    expect(status.lastReconcile).toMatchObject({ deleted: 1, missing: 1 });
    expect(status.lastReconcile?.repaired).toBeGreaterThanOrEqual(1);
    expect(status.counters.reconcileChecked).toBeGreaterThan(0);
    expect(status.lastReconcileAt).not.toBeNull();

    const again = await runSync(synced, "reconcile");
    expect(again.lastReconcile).toMatchObject({ deleted: 0, missing: 0, drifted: 0, repaired: 0 });
  });
});
