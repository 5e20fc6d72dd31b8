import { describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { call } from "../helpers/http";
import { connectSite, runSync, type SyncedSite, simSend } from "../helpers/sync";

async function row(synced: SyncedSite, key: string) {
  const [found] = await adminQuery<{
    summary: string;
    deleted_at: Date | null;
    jira_updated: string;
  }>("select summary, deleted_at, jira_updated from issues where instance_id = $1 and key = $2", [
    synced.instanceId,
    key,
  ]);
  if (!found) {
    throw new Error(`no stored issue ${key}`);
  }
  return found;
}

describe("reconciliation heals a mirror poisoned with future versions", () => {
  it("restores a falsely deleted issue, lets real edits in again and counts only real repairs", async () => {
    const synced = await connectSite({ seed: 121, issues: 5 });
    await runSync(synced, "backfill");
    const keys = (
      await adminQuery<{ key: string }>(
        "select key from issues where instance_id = $1 order by key limit 2",
        [synced.instanceId],
      )
    ).map((r) => r.key);
    const [deleted = "", live = ""] = keys;
    // What a forged far-future delete did before payloads stopped being trusted.
    await adminQuery(
      `update issues set deleted_at = now(), jira_updated = to_timestamp(253402214400)
       where instance_id = $1 and key = $2`,
      [synced.instanceId, deleted],
    );
    await adminQuery(
      "update issues set jira_updated = to_timestamp(253402214400) where instance_id = $1 and key = $2",
      [synced.instanceId, live],
    );
    await simSend(synced, "PATCH", `/issues/${live}`, { fields: { summary: "a real edit" } });

    const status = await runSync(synced, "reconcile");
    expect(status.lastReconcile).toMatchObject({ futureVersions: 2 });
    expect((await row(synced, deleted)).deleted_at).toBeNull();
    expect((await row(synced, live)).summary).toBe("a real edit");
    for (const key of keys) {
      expect(new Date((await row(synced, key)).jira_updated).getTime()).toBeLessThanOrEqual(
        Date.now(),
      );
    }
    const read = await call("GET", `/v1/issues/${deleted}?instanceId=${synced.instanceId}`, {
      token: synced.tenant.key,
    });
    expect(read.status).toBe(200);

    // Nothing left to repair: the counter does not move again.
    const repaired = status.counters.reconcileRepaired;
    expect(repaired).toBeGreaterThanOrEqual(2);
    const again = await runSync(synced, "reconcile");
    expect(again.counters.reconcileRepaired).toBe(repaired);
    expect(again.lastReconcile).toMatchObject({ futureVersions: 0, missing: 0, drifted: 0 });
  });
});
