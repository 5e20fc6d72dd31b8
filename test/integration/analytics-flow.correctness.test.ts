/**
 * Every figure of GET /v1/analytics/flow (CONTRACT §7) against a second computation straight from
 * the simulator's ground truth (test/helpers/flow-reference.ts), on a backfilled 1500-issue site,
 * then again after webhooks changed issues and after a reconcile repaired drift. MCP
 * get_flow_metrics must return the very same figures as the REST call.
 */
import { describe, expect, it } from "vitest";
import type { FlowMetrics } from "../../src/application/analytics/get-flow";
import { adminQuery } from "../helpers/admin-db";
import {
  type RefIssue,
  referenceFlow,
  referenceIssues,
  type TruthIssue,
} from "../helpers/flow-reference";
import { call, json } from "../helpers/http";
import { simCall } from "../helpers/jira-site";
import { callTool, connectMcp } from "../helpers/mcp";
import { connectSite, runSync, type SyncedSite, simSend, waitForIdle } from "../helpers/sync";
import { deliver, deliveries, recordWebhooks } from "../helpers/webhooks";

const HOUR = 3_600_000;
const ISSUES = 1500;

async function groundTruth(synced: SyncedSite): Promise<RefIssue[]> {
  const { site } = synced;
  const auth = `Basic ${btoa(`${site.email}:${site.apiToken}`)}`;
  const res = await fetch(`${site.url}/rest/api/3/status`, { headers: { authorization: auth } });
  const statuses = (await res.json()) as { id: string; statusCategory: { key: string } }[];
  const categories = new Map(statuses.map((st) => [st.id, st.statusCategory.key]));
  const truth = await simCall<{ issues: TruthIssue[] }>(`${site.url}/_sim/issues`);
  return referenceIssues(truth.issues, categories);
}

interface Query {
  project?: string;
  from: string;
  to: string;
  interval: "day" | "week";
}

async function restFlow(synced: SyncedSite, q: Query): Promise<FlowMetrics> {
  const params = new URLSearchParams({ instanceId: synced.instanceId, from: q.from, to: q.to });
  params.set("interval", q.interval);
  if (q.project) {
    params.set("project", q.project);
  }
  const res = await call("GET", `/v1/analytics/flow?${params}`, { token: synced.tenant.key });
  expect(res.status).toBe(200);
  return json<FlowMetrics>(res);
}

const close = (actual: number | null, expected: number | null, what: string) => {
  if (expected === null) {
    expect(actual, what).toBeNull();
  } else {
    expect(
      Math.abs((actual ?? Number.NaN) - expected),
      `${what}: ${actual} vs ${expected}`,
    ).toBeLessThanOrEqual(0.001);
  }
};

/** The REST answer for `q`, compared figure by figure with the reference; returns it. */
async function compare(synced: SyncedSite, truth: RefIssue[], q: Query): Promise<FlowMetrics> {
  const before = Date.now();
  const actual = await restFlow(synced, q);
  const after = Date.now();
  // Every instant of the series is ≤ now; between `before` and `after` nothing changes, so the
  // reference's WIP at min(end, now) is the same for any now in that window.
  const expected = referenceFlow(truth, {
    ...q,
    from: Date.parse(q.from),
    to: Date.parse(q.to),
    now: after,
  });
  const label = JSON.stringify(q);
  expect(actual.series, label).toEqual(expected.series);
  expect(actual.throughput, label).toBe(expected.throughput);
  for (const k of ["count", "p50", "p85", "p95", "mean"] as const) {
    close(actual.leadTimeHours[k], expected.leadTimeHours[k], `${label} lead ${k}`);
    close(actual.cycleTimeHours[k], expected.cycleTimeHours[k], `${label} cycle ${k}`);
  }
  expect(actual.wip, label).toBe(expected.wip);
  expect(actual.agingWip.map((a) => [a.key, a.status])).toEqual(
    expected.agingWip.map((a) => [a.key, a.status]),
  );
  // hoursInProgress = now − first entry into progress: one `now` for all, inside the call.
  expected.agingWip.forEach((ref, i) => {
    const implied = ref.since + (actual.agingWip[i]?.hoursInProgress ?? Number.NaN) * HOUR;
    expect(implied).toBeGreaterThanOrEqual(before - 1);
    expect(implied).toBeLessThanOrEqual(after + 1);
  });
  expect(actual.byStatusCategory, label).toEqual(expected.byStatusCategory);
  expect(actual.byType, label).toEqual(expected.byType);
  expect(actual.byPriority, label).toEqual(expected.byPriority);
  expect(actual.byAssignee, label).toEqual(expected.byAssignee);
  return actual;
}

function queries(truth: RefIssue[]): Query[] {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const project = truth[0]?.project ?? "";
  return [
    { from: "2024-01-01", to: "2025-07-07", interval: "week" },
    { from: "2025-03-01", to: "2025-05-30T12:00:00.000Z", interval: "day", project },
    { from: "2024-06-03T09:30:00.000Z", to: "2025-01-15", interval: "week", project },
    // Up to now and beyond: the last buckets' WIP is WIP now, today's transitions count.
    { from: "2025-06-01", to: tomorrow, interval: "week" },
  ];
}

describe("flow analytics against the simulator's ground truth", () => {
  it("matches every §7 figure after a backfill, after webhooks and after a reconcile", async () => {
    const synced = await connectSite({ seed: 2026, issues: ISSUES });
    await runSync(synced, "backfill", 240_000);
    let truth = await groundTruth(synced);
    expect(truth).toHaveLength(ISSUES);
    const first = queries(truth);
    const checked = [];
    for (const q of first) {
      checked.push(await compare(synced, truth, q));
    }
    // Not a vacuous comparison: the history has real flow in it.
    expect(checked[0]?.throughput).toBeGreaterThan(500);
    expect(checked[0]?.cycleTimeHours.count).toBeGreaterThan(100);
    expect(checked[0]?.wip).toBeGreaterThan(100);

    // MCP returns the same figures as REST.
    const mcp = await connectMcp(synced.tenant.key);
    const q0 = first[1] as Query;
    const tool = await callTool(mcp, "get_flow_metrics", { instanceId: synced.instanceId, ...q0 });
    expect(tool.isError).toBeFalsy();
    const rest = await restFlow(synced, q0);
    const { agingWip: toolAging, ...toolRest } = tool.structuredContent as unknown as FlowMetrics;
    const { agingWip: restAging, ...restRest } = rest;
    expect(toolRest).toEqual(restRest);
    expect(toolAging.map((a) => a.key)).toEqual(restAging.map((a) => a.key));
    await mcp.close();

    // Webhooks: transitions (into done, back to progress, reopened), a new issue, a deletion.
    await recordWebhooks(synced);
    const keys = truth.map((i) => i.key);
    const moves: [string, string][] = [
      [keys[10] ?? "", "Done"],
      [keys[11] ?? "", "In Progress"],
      [keys[12] ?? "", "To Do"],
      [keys[13] ?? "", "In Review"],
      [keys[13] ?? "", "Done"],
      [keys[14] ?? "", "Done"],
      [keys[14] ?? "", "In Progress"],
    ];
    for (const [key, to] of moves) {
      const current = truth.find((i) => i.key === key)?.status;
      if (current !== to) {
        await simSend(synced, "POST", `/issues/${key}/transition`, { to, webhook: true });
      }
    }
    const created = (await simSend(synced, "POST", "/issues", {
      projectKey: truth[0]?.project,
      summary: "made during the test",
      webhook: true,
    })) as { key: string };
    await simSend(synced, "POST", `/issues/${created.key}/transition`, {
      to: "In Progress",
      webhook: true,
    });
    await simSend(synced, "DELETE", `/issues/${keys[20]}`, { webhook: true });
    for (const delivery of await deliveries(synced)) {
      expect((await deliver(synced, delivery)).status).toBe(202);
    }
    await expect
      .poll(
        async () =>
          (
            await adminQuery("select 1 from issues where instance_id = $1 and key = $2", [
              synced.instanceId,
              created.key,
            ])
          ).length,
        { timeout: 30_000 },
      )
      .toBe(1);
    await waitForIdle(synced);
    truth = await groundTruth(synced);
    expect(truth).toHaveLength(ISSUES);
    for (const q of queries(truth)) {
      await compare(synced, truth, q);
    }

    // Drift the webhooks never told: a silent transition, a silent deletion, a lost row.
    await simSend(synced, "DELETE", "/webhooks");
    await simSend(synced, "POST", `/issues/${keys[30]}/transition`, {
      to: truth.find((i) => i.key === keys[30])?.status === "Done" ? "In Progress" : "Done",
    });
    await simSend(synced, "DELETE", `/issues/${keys[31]}`);
    await adminQuery("delete from issues where instance_id = $1 and key = $2", [
      synced.instanceId,
      keys[32],
    ]);
    const status = await runSync(synced, "reconcile", 120_000);
    // The silent deletion takes its sub-tasks with it (as in Jira).
    expect(status.lastReconcile).toMatchObject({ missing: 1 });
    expect(status.lastReconcile?.deleted).toBeGreaterThanOrEqual(1);
    truth = await groundTruth(synced);
    for (const q of queries(truth)) {
      await compare(synced, truth, q);
    }
    const stale = await adminQuery(
      "select 1 from issue_flow where instance_id = $1 and key = any($2)",
      [synced.instanceId, [keys[20], keys[31]]],
    );
    expect(stale).toHaveLength(0);
  }, 420_000);
});
