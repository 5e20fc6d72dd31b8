/**
 * Flow analytics edge cases (CONTRACT §7) on hand-made histories: issues stored through the sync
 * store's upsert (the path every sync takes), figures read through the use case with a pinned
 * "now", and the HTTP contract (validation, scopes, tenants) through the Worker.
 */
import { describe, expect, it } from "vitest";
import { getFlow } from "../../src/application/analytics/get-flow";
import type { IssueRecord } from "../../src/domain/issue-record";
import { Database, type Tx } from "../../src/infrastructure/db/database";
import {
  markIssuesDeleted,
  type SyncScope,
  upsertIssues,
  upsertStatuses,
} from "../../src/infrastructure/db/sync-store";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { createKey, createTenantWithKey } from "../helpers/tenancy";

const S = {
  todo: { id: "10000", name: "To Do", category: "new" },
  prog: { id: "3", name: "In Progress", category: "indeterminate" },
  review: { id: "10001", name: "In Review", category: "indeterminate" },
  done: { id: "10002", name: "Done", category: "done" },
} as const;
type StatusKey = keyof typeof S;

const database = () => new Database({ url: testEnv.DATABASE_URL, wsProxy: testEnv.DB_WS_PROXY });

async function inTenant<T>(scope: SyncScope, work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = database();
  try {
    return await db.withTenant(scope.tenantId, work);
  } finally {
    await db.close();
  }
}

let seq = 0;
/** An issue created at `created` in `first`, then moved along `moves` ([status, at] pairs). */
function issue(
  key: string,
  created: string,
  first: StatusKey,
  moves: [StatusKey, string][],
  extra: { type?: string; priority?: string | null; assignee?: string | null } = {},
): IssueRecord {
  const current = S[moves.at(-1)?.[0] ?? first];
  const at = (iso: string) => new Date(iso);
  let from: (typeof S)[StatusKey] = S[first];
  const changelogs = moves.map(([to, when]) => {
    seq += 1;
    const item = {
      field: "status",
      fieldtype: "jira",
      fieldId: "status",
      from: from.id,
      fromString: from.name,
      to: S[to].id,
      toString: S[to].name,
    };
    from = S[to];
    return { jiraId: String(1000 + seq), authorAccountId: null, created: at(when), items: [item] };
  });
  return {
    issue: {
      jiraId: String(5000 + Number(key.split("-")[1])),
      key,
      projectKey: key.split("-")[0] ?? "",
      projectId: null,
      summary: key,
      description: null,
      descriptionText: "",
      status: current.name,
      statusId: current.id,
      statusCategory: current.category,
      issueType: extra.type ?? "Task",
      isSubtask: false,
      priority: extra.priority === undefined ? "Medium" : extra.priority,
      priorityId: null,
      assigneeAccountId: extra.assignee ?? null,
      reporterAccountId: null,
      labels: [],
      components: [],
      fixVersions: [],
      parentKey: null,
      resolution: null,
      created: at(created),
      updated: changelogs.at(-1)?.created ?? at(created),
      resolved: null,
      customFields: {},
      raw: {},
    },
    comments: [],
    changelogs,
    links: [],
  };
}

const h = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 3_600_000;
const NOW = new Date("2025-02-01T12:00:00.000Z");

const ISSUES = [
  // Created directly in progress, then done.
  issue("ED-1", "2025-01-01T00:00:00.000Z", "prog", [["done", "2025-01-03T00:00:00.000Z"]]),
  // Created directly in done, never changed: resolved at created, no cycle time.
  issue("ED-2", "2025-01-02T06:00:00.000Z", "done", [], { type: "Bug", priority: null }),
  // Reopened: resolution is the last entry into done, cycle from the first entry into progress.
  issue("ED-3", "2024-12-31T10:00:00.000Z", "todo", [
    ["prog", "2025-01-02T00:00:00.000Z"],
    ["done", "2025-01-05T00:00:00.000Z"],
    ["review", "2025-01-06T00:00:00.000Z"],
    ["done", "2025-01-10T00:00:00.000Z"],
  ]),
  // Skipped progress: lead time, no cycle time.
  issue("ED-4", "2025-01-01T12:00:00.000Z", "todo", [["done", "2025-01-04T12:00:00.000Z"]], {
    assignee: "acc-a",
  }),
  // In progress now (aging), entered progress twice.
  issue(
    "ED-5",
    "2024-12-20T00:00:00.000Z",
    "todo",
    [
      ["review", "2024-12-29T00:00:00.000Z"],
      ["todo", "2024-12-30T00:00:00.000Z"],
      ["prog", "2025-01-07T00:00:00.000Z"],
    ],
    { assignee: "acc-a" },
  ),
  // Was done, reopened into to-do: not resolved.
  issue("ED-6", "2025-01-01T00:00:00.000Z", "todo", [
    ["done", "2025-01-02T00:00:00.000Z"],
    ["todo", "2025-01-08T00:00:00.000Z"],
  ]),
];

async function seeded(): Promise<SyncScope & { key: string }> {
  const tenant = await createTenantWithKey(["read"]);
  const instance = await insertInstance(tenant.id);
  const scope = { tenantId: tenant.id, instanceId: instance.id };
  await inTenant(scope, async (tx) => {
    await upsertStatuses(
      tx,
      scope,
      Object.values(S).map((s) => ({ jiraId: s.id, ...s })),
    );
    await upsertIssues(tx, scope, ISSUES);
  });
  return { ...scope, key: tenant.key };
}

const flow = (scope: SyncScope, query: Record<string, string>, now = NOW) =>
  getFlow(
    { db: database() },
    { ...scope, interval: "week", agingLimit: 1000, ...query } as Parameters<typeof getFlow>[1],
    now,
  );

describe("flow facts of awkward histories", () => {
  it("created in progress or done, reopened, skipped progress, aging", async () => {
    const scope = await seeded();
    const facts = await adminQuery<Record<string, unknown>>(
      `select key, initial_status, in_progress_at, resolved_at, lead_time_hours, cycle_time_hours
       from issue_flow where instance_id = $1 order by key`,
      [scope.instanceId],
    );
    const byKey = new Map(facts.map((f) => [f.key, f]));
    expect(byKey.get("ED-1")).toMatchObject({
      initial_status: "In Progress",
      lead_time_hours: 48,
      cycle_time_hours: 48,
    });
    expect(byKey.get("ED-2")).toMatchObject({
      initial_status: "Done",
      lead_time_hours: 0,
      cycle_time_hours: null,
      in_progress_at: null,
    });
    expect(byKey.get("ED-3")).toMatchObject({
      lead_time_hours: h("2024-12-31T10:00:00Z", "2025-01-10T00:00:00Z"),
      cycle_time_hours: h("2025-01-02T00:00:00Z", "2025-01-10T00:00:00Z"),
    });
    expect(new Date(byKey.get("ED-3")?.resolved_at as Date).toISOString()).toBe(
      "2025-01-10T00:00:00.000Z",
    );
    expect(byKey.get("ED-4")).toMatchObject({ lead_time_hours: 72, cycle_time_hours: null });
    expect(byKey.get("ED-5")).toMatchObject({ resolved_at: null, lead_time_hours: null });
    expect(new Date(byKey.get("ED-5")?.in_progress_at as Date).toISOString()).toBe(
      "2024-12-29T00:00:00.000Z",
    );
    expect(byKey.get("ED-6")).toMatchObject({ resolved_at: null, lead_time_hours: null });

    const m = await flow(scope, { from: "2024-12-25", to: "2025-01-15" });
    // ISO weeks across the year end, the first and last clipped to the range.
    expect(m.series.map((b) => [b.start, b.end])).toEqual([
      ["2024-12-25T00:00:00.000Z", "2024-12-30T00:00:00.000Z"],
      ["2024-12-30T00:00:00.000Z", "2025-01-06T00:00:00.000Z"],
      ["2025-01-06T00:00:00.000Z", "2025-01-13T00:00:00.000Z"],
      ["2025-01-13T00:00:00.000Z", "2025-01-15T00:00:00.000Z"],
    ]);
    expect(m.series.map((b) => b.created)).toEqual([0, 5, 0, 0]);
    expect(m.series.map((b) => b.resolved)).toEqual([0, 3, 1, 0]);
    // WIP at each end: 12-30 ED-5 has just left review ([entered, left) is half-open) → 0;
    // 01-06 ED-3 has just entered review → 1; 01-13 and 01-15 ED-5 in progress → 1.
    expect(m.series.map((b) => b.wip)).toEqual([0, 1, 1, 1]);
    expect(m.throughput).toBe(4);
    const leads = [48, h("2024-12-31T10:00:00Z", "2025-01-10T00:00:00Z"), 0, 72].sort(
      (a, b) => a - b,
    );
    expect(m.leadTimeHours.count).toBe(4);
    expect(m.leadTimeHours.mean).toBeCloseTo(leads.reduce((a, b) => a + b) / 4, 9);
    expect(m.cycleTimeHours).toMatchObject({ count: 2 });
    expect(m.cycleTimeHours.p50).toBeCloseTo((48 + 192) / 2, 9);
    expect(m.wip).toBe(1);
    expect(m.agingWip).toEqual([
      {
        key: "ED-5",
        status: "In Progress",
        hoursInProgress: h("2024-12-29T00:00:00Z", NOW.toISOString()),
      },
    ]);
    expect(m.byStatusCategory).toEqual({ new: 1, indeterminate: 1, done: 4 });
    expect(m.byType).toEqual({ Task: 5, Bug: 1 });
    expect(m.byPriority).toEqual({ Medium: 5, "(none)": 1 });
    expect(m.byAssignee).toEqual([
      { accountId: null, displayName: null, count: 4 },
      { accountId: "acc-a", displayName: null, count: 2 },
    ]);
  });

  it("an empty range: zero counts, null percentiles; an empty [from, from) has no buckets", async () => {
    const scope = await seeded();
    const m = await flow(scope, { from: "2020-01-01", to: "2020-01-15", interval: "day" });
    expect(m.series).toHaveLength(14);
    expect(m.series.every((b) => b.created === 0 && b.resolved === 0 && b.wip === 0)).toBe(true);
    expect(m.throughput).toBe(0);
    expect(m.leadTimeHours).toEqual({ count: 0, p50: null, p85: null, p95: null, mean: null });
    expect(m.cycleTimeHours).toEqual({ count: 0, p50: null, p85: null, p95: null, mean: null });
    const none = await flow(scope, { from: "2025-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" });
    expect(none.series).toEqual([]);
    expect(none.throughput).toBe(0);
  });

  it("a one-issue range: every percentile is that issue's time", async () => {
    const scope = await seeded();
    const m = await flow(scope, { from: "2025-01-04", to: "2025-01-05", interval: "day" });
    expect(m.throughput).toBe(1);
    expect(m.leadTimeHours).toEqual({ count: 1, p50: 72, p85: 72, p95: 72, mean: 72 });
    expect(m.cycleTimeHours).toEqual({ count: 0, p50: null, p85: null, p95: null, mean: null });
    expect(m.series).toEqual([
      {
        start: "2025-01-04T00:00:00.000Z",
        end: "2025-01-05T00:00:00.000Z",
        created: 0,
        resolved: 1,
        wip: 0,
      },
    ]);
  });

  it("a status learned after the issues re-derives them; a deletion drops the issue's facts", async () => {
    const tenant = await createTenantWithKey(["read"]);
    const scope = { tenantId: tenant.id, instanceId: (await insertInstance(tenant.id)).id };
    // Only ED-1 is stored: nothing tells the category of In Progress (a status now empty).
    await inTenant(scope, (tx) => upsertIssues(tx, scope, [ISSUES[0] as IssueRecord]));
    const before = await flow(scope, { from: "2025-01-01", to: "2025-01-08" });
    expect(before.cycleTimeHours.count).toBe(0);
    await inTenant(scope, (tx) => upsertStatuses(tx, scope, [{ jiraId: S.prog.id, ...S.prog }]));
    const after = await flow(scope, { from: "2025-01-01", to: "2025-01-08" });
    expect(after.cycleTimeHours).toMatchObject({ count: 1, p50: 48 });

    await inTenant(scope, (tx) => markIssuesDeleted(tx, scope, [ISSUES[0]?.issue.jiraId ?? ""]));
    const gone = await flow(scope, { from: "2025-01-01", to: "2025-01-08" });
    expect(gone.throughput).toBe(0);
    expect(gone.byStatusCategory).toEqual({ new: 0, indeterminate: 0, done: 0 });
    const rows = await adminQuery("select 1 from issue_status_intervals where instance_id = $1", [
      scope.instanceId,
    ]);
    expect(rows).toHaveLength(0);
  });
});

describe("GET /v1/analytics/flow", () => {
  it("answers §7's shape; bare dates are 00:00 UTC; default interval week", async () => {
    const scope = await seeded();
    const res = await call(
      "GET",
      `/v1/analytics/flow?instanceId=${scope.instanceId}&from=2024-12-25&to=2025-01-15`,
      { token: scope.key },
    );
    expect(res.status).toBe(200);
    const body = await json<Record<string, unknown>>(res);
    expect(body).toMatchObject({
      instanceId: scope.instanceId,
      project: null,
      from: "2024-12-25T00:00:00.000Z",
      to: "2025-01-15T00:00:00.000Z",
      interval: "week",
      throughput: 4,
      wip: 1,
    });
    const direct = await flow(scope, { from: "2024-12-25", to: "2025-01-15" }, new Date());
    expect(body.series).toEqual(direct.series);
    expect(body.leadTimeHours).toEqual(direct.leadTimeHours);

    const project = await call(
      "GET",
      `/v1/analytics/flow?instanceId=${scope.instanceId}&project=NOPE&from=2024-12-25&to=2025-01-15`,
      { token: scope.key },
    );
    expect(await json(project)).toMatchObject({ project: "NOPE", throughput: 0, wip: 0 });
  });

  it("refuses bad input with 400 problems, another tenant's instance with 404, no scope with 403", async () => {
    const scope = await seeded();
    const base = `/v1/analytics/flow?instanceId=${scope.instanceId}`;
    for (const query of [
      "&from=2025-02-01&to=2025-01-01",
      "&interval=month",
      "&from=2025-02-30",
      "&from=yesterday",
      "&to=2025-01-01T10:00:00",
      "&project=A%00B",
      "&from=2000-01-01&to=2025-01-01&interval=day",
      "&agingLimit=0",
    ]) {
      const res = await call("GET", `${base}${query}`, { token: scope.key });
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await json(res)).toMatchObject({ code: "invalid_request" });
    }
    const noInstance = await call("GET", "/v1/analytics/flow", { token: scope.key });
    expect(noInstance.status).toBe(400);

    const other = await createTenantWithKey(["read"]);
    const foreign = await call("GET", base, { token: other.key });
    expect(foreign.status).toBe(404);
    expect(await json(foreign)).toMatchObject({ code: "not_found" });

    const sqlOnly = await createKey(scope.tenantId, ["sql"]);
    expect((await call("GET", base, { token: sqlOnly.key })).status).toBe(403);
    expect((await call("GET", base)).status).toBe(401);
  });

  it("the flow tables are readable through /v1/sql, only the caller's rows", async () => {
    const scope = await seeded();
    const tenant = await createKey(scope.tenantId, ["sql"]);
    const res = await call("POST", "/v1/sql", {
      token: tenant.key,
      body: {
        query:
          "select count(*)::int as n, count(resolved_at)::int as resolved, " +
          "(select count(*)::int from issue_status_intervals) as intervals, " +
          "(select count(*)::int from statuses) as statuses from issue_flow",
      },
    });
    expect(res.status).toBe(200);
    expect((await json<{ rows: unknown[][] }>(res)).rows).toEqual([[6, 4, 17, 4]]);
    const schema = await call("GET", "/v1/sql/schema", { token: tenant.key });
    const names = (await json<{ tables: { name: string; description: string | null }[] }>(schema))
      .tables;
    for (const table of ["issue_flow", "issue_status_intervals", "statuses"]) {
      expect(names.find((t) => t.name === table)?.description).toBeTruthy();
    }
  });
});
