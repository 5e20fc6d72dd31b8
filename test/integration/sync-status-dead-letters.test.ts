import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { testEnv } from "../helpers/env";
import { call, json } from "../helpers/http";
import { connectSite } from "../helpers/sync";

const deadJob = (tenantId: string, instanceId: string, id: string) => ({
  id,
  timestamp: new Date(),
  attempts: 6,
  body: {
    type: "sync",
    tenantId,
    instanceId,
    kind: "poll",
    trigger: "test",
    requestedAt: new Date().toISOString(),
  },
});

describe("GET /v1/instances/{id}/sync counts dead letters", () => {
  it("shows the instance's unreplayed dead letters, not another instance's, and 0 after a replay", async () => {
    const mine = await connectSite({ issues: 1 });
    const other = await connectSite({ issues: 1 });
    const batch = createMessageBatch("sync-jobs-dlq", [
      deadJob(mine.tenant.id, mine.instanceId, "dl-a"),
      deadJob(mine.tenant.id, mine.instanceId, "dl-b"),
      deadJob(other.tenant.id, other.instanceId, "dl-c"),
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv, ctx);
    await getQueueResult(batch, ctx);

    const status = async (site: typeof mine) => {
      const res = await call("GET", `/v1/instances/${site.instanceId}/sync`, {
        token: site.tenant.key,
      });
      expect(res.status).toBe(200);
      return (await json<{ deadLetters: number }>(res)).deadLetters;
    };
    expect(await status(mine)).toBe(2);
    expect(await status(other)).toBe(1);

    const replay = await call("POST", `/v1/instances/${mine.instanceId}/sync/replay-dead-letters`, {
      token: mine.tenant.key,
    });
    expect(await replay.json()).toEqual({ replayed: 2 });
    expect(await status(mine)).toBe(0);
    expect(await status(other)).toBe(1);
  });
});
