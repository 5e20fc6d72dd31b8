/**
 * Every filter and sort of GET /v1/issues is answered from an index: 100,000 issues for one
 * tenant (and a few thousand for another), with 20,000 users, ANALYZEd, then EXPLAIN of the exact
 * SQL the API builds (`issuePageQuery`, `issueDetailStatements`, the comments and changelog pages),
 * run as `app` with the tenant set through the one-round-trip read path, must not contain a Seq
 * Scan on issues, users, comments or changelogs — first pages and pages after a cursor alike.
 */
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueDetailStatements } from "../../src/application/issues/get-issue";
import { liveIssueIdQuery } from "../../src/application/issues/issue-view";
import { compileJql } from "../../src/application/issues/jql/compile";
import { changelogRows } from "../../src/application/issues/list-changelog";
import { commentRows } from "../../src/application/issues/list-comments";
import { issuePageQuery } from "../../src/application/issues/list-issues";
import { jqlPageQuery, jqlScopeOf } from "../../src/application/issues/search-jql";
import { parseIssueQuery } from "../../src/domain/issue-query";
import { parseJql } from "../../src/domain/jql-query/parser";
import { emailHashKey } from "../../src/infrastructure/crypto/email-hash-key";
import { Database, type ReadDb } from "../../src/infrastructure/db/database";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { insertInstance, insertTenant } from "../helpers/factories";
import { seedBulk } from "../helpers/seed-issues";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

const SORTS = [
  undefined,
  "updated",
  "-updated",
  "created",
  "-created",
  "priority",
  "-priority",
  "key",
  "-key",
];
/** A date inside the seeded two years (they end now). */
const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** A plausible cursor position for each sort (sort values as text, id last). */
const AFTER: Record<string, string[]> = {
  updated: [`${daysAgo(200)} 12:00:00+00`],
  created: [`${daysAgo(200)} 12:00:00+00`],
  priority: ["3"],
  key: ["MOB", "5000"],
  relevance: ["0.05"],
};

let tenantId = "";
let instanceId = "";
const tenants: string[] = [];
let db: Database;

beforeAll(async () => {
  const started = Date.now();
  const big = await insertTenant("Plans big");
  const small = await insertTenant("Plans small");
  tenantId = big.id;
  tenants.push(big.id, small.id);
  instanceId = (await insertInstance(big.id)).id;
  const smallInstance = (await insertInstance(small.id)).id;
  await Promise.all([
    seedBulk({ tenantId, instanceId, count: 100_000, children: false, parallel: 4, catalog: true }),
    seedBulk({
      tenantId: small.id,
      instanceId: smallInstance,
      count: 3_000,
      salt: 7,
      children: false,
    }),
  ]);
  // Enough people that reading a display name by account must use the index.
  await adminQuery(
    `insert into users (tenant_id, instance_id, account_id, display_name, active, raw)
     select $1, $2, case when n < 100 then 'acc-' || lpad(n::text, 2, '0') else 'acc-x' || n end,
       'User ' || n, true, '{}'
     from generate_series(0, 19999) as n on conflict do nothing`,
    [tenantId, instanceId],
  );
  await adminQuery("analyze issues");
  await adminQuery("analyze users");
  console.log(`query plans: seeded and analysed in ${Date.now() - started} ms`);
  db = new Database({
    url: testEnv.DATABASE_URL,
    wsProxy: testEnv.DB_WS_PROXY,
    httpEndpoint: testEnv.DB_HTTP_ENDPOINT,
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
  // 100,000 rows would slow every later test that reads across tenants (analytics, SQL).
  await adminQuery("delete from jira_instances where tenant_id = any($1::uuid[])", [tenants]);
});

const FILTERS: Record<string, Record<string, string[]>> = {
  none: {},
  instanceId: { instanceId: ["(instance)"] },
  project: { project: ["CORE"] },
  projects: { project: ["CORE,WEB,API"] },
  status: { status: ["In Review"] },
  statuses: { status: ["Done", "Closed"] },
  statusCategory: { statusCategory: ["indeterminate"] },
  type: { type: ["Bug"] },
  priority: { priority: ["Highest"] },
  assignee: { assignee: ["acc-07"] },
  label: { label: ["label-3"] },
  labels: { label: ["label-3,label-4"] },
  updatedRange: { updatedFrom: [daysAgo(400)], updatedTo: [daysAgo(370)] },
  updatedFrom: { updatedFrom: [new Date(Date.now() - 7 * 86_400_000).toISOString()] },
  createdRange: { createdFrom: [daysAgo(300)], createdTo: [daysAgo(270)] },
  createdTo: { createdTo: [daysAgo(600)] },
  q: { q: ["login"] },
  qPhrase: { q: ['"payment checkout" -android'] },
  cfText: { "cf.customfield_10010": ["Atlas"] },
  cfNumber: { "cf.customfield_10020": ["13"] },
  cfOption: { "cf.customfield_10030": ["Sev-1"] },
  cfMultiSelect: { "cf.customfield_10040": ["macOS"] },
  cfPlainArray: { "cf.customfield_10050": ["gamma"] },
  cfUser: { "cf.customfield_10060": ["acc-01"] },
  cfTwoValues: { "cf.customfield_10010": ["Atlas", "Boreal"] },
};

const COMBOS: Record<string, Record<string, string[]>> = {
  qProjectStatus: { q: ["login"], project: ["CORE"], status: ["Done"] },
  qCf: { q: ["crash"], "cf.customfield_10030": ["Sev-2"] },
  qLabelAssignee: { q: ["search"], label: ["label-1"], assignee: ["acc-02"] },
  twoCf: { "cf.customfield_10010": ["Gale"], "cf.customfield_10020": ["8"] },
  cfProjectUpdated: {
    "cf.customfield_10040": ["Windows"],
    project: ["OPS"],
    updatedFrom: [daysAgo(90)],
  },
  assigneeStatusType: { assignee: ["acc-11"], status: ["In Progress"], type: ["Story"] },
  lowSelectivity: { type: ["Bug"], priority: ["High"], statusCategory: ["done"] },
  projectCategoryRange: { project: ["SEC"], statusCategory: ["new"], createdFrom: [daysAgo(180)] },
  labelPriority: { label: ["label-9"], priority: ["Low"] },
  everything: {
    ...{ instanceId: ["(instance)"], project: ["CORE,WEB"], status: ["Done,Closed,In Review"] },
    ...{ statusCategory: ["done,indeterminate"], type: ["Bug,Task"], priority: ["High,Highest"] },
    ...{ assignee: ["acc-01,acc-02,acc-03"], label: ["label-1,label-2"], q: ["cache"] },
    ...{
      updatedFrom: [daysAgo(365)],
      createdTo: [daysAgo(30)],
      "cf.customfield_10010": ["Atlas"],
    },
  },
  instanceProject: { instanceId: ["(instance)"], project: ["DOCS"] },
};

async function explain(params: Record<string, string[]>, withCursor: boolean): Promise<PlanNode> {
  const resolved = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, v.map((x) => x.replace("(instance)", instanceId))]),
  );
  const query = parseIssueQuery(resolved);
  const after = withCursor
    ? [...(AFTER[query.sort.field] ?? []), "7f000000-0000-4000-8000-000000000000"]
    : undefined;
  const {
    results: [result],
  } = await db.read({ tenantId }, (rdb) => [
    rdb.execute(
      sql`explain (format json) ${issuePageQuery(rdb, { query, limit: 50, after }).getSQL()}`,
    ),
  ]);
  const [row] = result.rows as { "QUERY PLAN": [{ Plan: PlanNode }] }[];
  const plan = row?.["QUERY PLAN"][0].Plan;
  if (!plan) {
    throw new Error("no plan");
  }
  return plan;
}

function cases(): [string, Record<string, string[]>][] {
  const out: [string, Record<string, string[]>][] = [];
  for (const [name, filter] of Object.entries({ ...FILTERS, ...COMBOS })) {
    for (const sort of SORTS) {
      out.push([
        `${name} sort=${sort ?? "(default)"}`,
        sort ? { ...filter, sort: [sort] } : filter,
      ]);
    }
  }
  return out;
}

const WATCHED = new Set(["issues", "users", "comments", "changelogs"]);
const seqScansIn = (plan: PlanNode) =>
  nodes(plan).filter((n) => n["Node Type"] === "Seq Scan" && WATCHED.has(n["Relation Name"] ?? ""));

type Built = { getSQL(): SQL };

/** EXPLAIN of a statement as the read path runs it (as `app`, tenant set, one round trip). */
async function explainBuilt(build: (rdb: ReadDb) => Built): Promise<PlanNode> {
  const {
    results: [result],
  } = await db.read({ tenantId }, (rdb) => [
    rdb.execute(sql`explain (format json) ${build(rdb).getSQL()}`),
  ]);
  const [row] = result.rows as { "QUERY PLAN": [{ Plan: PlanNode }] }[];
  const plan = row?.["QUERY PLAN"][0].Plan;
  if (!plan) {
    throw new Error("no plan");
  }
  return plan;
}

describe("query plans of GET /v1/issues on 100,000 issues", () => {
  it("uses an index for every filter, combination and sort, with and without a cursor", async () => {
    const seqScans: string[] = [];
    for (const [name, params] of cases()) {
      for (const withCursor of [false, true]) {
        const plan = await explain(params, withCursor);
        const scans = seqScansIn(plan);
        if (scans.length > 0) {
          const shape = nodes(plan).map(
            (n) =>
              n["Index Name"] ??
              `${n["Node Type"]}${n["Relation Name"] ? ` on ${n["Relation Name"]}` : ""}`,
          );
          seqScans.push(`${name}${withCursor ? " (after a cursor)" : ""}: ${shape.join(" > ")}`);
        }
      }
    }
    expect(seqScans).toEqual([]);
  }, 60_000);
});

describe("query plans of the other reads", () => {
  it("one issue (with comments and changelog) and its comment and changelog pages use indexes", async () => {
    const [{ key } = { key: "" }] = await adminQuery<{ key: string }>(
      "select key from issues where tenant_id = $1 order by updated desc limit 1",
      [tenantId],
    );
    const issueId = liveIssueIdQuery(instanceId, key);
    const after = { t: `${daysAgo(10)} 00:00:00+00`, id: "7f000000-0000-4000-8000-000000000000" };
    const detail = (i: number) => (rdb: ReadDb) =>
      issueDetailStatements(rdb, {
        instanceId,
        key,
        include: { comments: true, changelog: true },
      })[i] as unknown as Built;
    const reads: [string, (rdb: ReadDb) => Built][] = [
      ["the issue with links and names", detail(0)],
      ["its comments", detail(1)],
      ["its changelog", detail(2)],
      ["a comments page", (rdb) => commentRows(rdb, issueId, { limit: 50, after })],
      ["a changelog page", (rdb) => changelogRows(rdb, issueId, { limit: 50, after })],
    ];
    const seqScans: string[] = [];
    for (const [name, build] of reads) {
      const plan = await explainBuilt(build);
      if (seqScansIn(plan).length > 0) {
        const shape = nodes(plan).map(
          (n) =>
            n["Index Name"] ??
            `${n["Node Type"]}${n["Relation Name"] ? ` on ${n["Relation Name"]}` : ""}`,
        );
        seqScans.push(`${name}: ${shape.join(" > ")}`);
      }
    }
    expect(seqScans).toEqual([]);
  }, 60_000);
});

/** JQL searches (GET /v1/issues?jql=) over the same data: the page query of each. */
const JQL = [
  "project = CORE",
  "project in (CORE, WEB) AND status = Done",
  'status = "In Review" ORDER BY updated DESC',
  "assignee = acc-07 ORDER BY created",
  "labels in (label-3, label-4)",
  'text ~ "login"',
  'summary ~ "payment checkout" AND project = CORE',
  "cf[10010] = Atlas",
  "updated >= -7d",
  'created >= "2025-01-01" AND created < "2025-02-01"',
  "ORDER BY key",
  "ORDER BY created DESC",
  "project = SEC AND statusCategory = new ORDER BY priority DESC",
  'assignee = acc-11 AND status = "In Progress" AND issuetype = Story',
];

describe("query plans of JQL searches on 100,000 issues", () => {
  it("uses an index for each, with and without a cursor", async () => {
    await adminQuery(
      `insert into custom_fields (tenant_id, instance_id, field_id, name, custom, schema_type, raw)
       values ($1, $2, 'customfield_10010', 'Team', true, 'string', '{}')`,
      [tenantId, instanceId],
    );
    const seqScans: string[] = [];
    for (const jql of JQL) {
      for (const withCursor of [false, true]) {
        const plan = await db.withTenant(tenantId, async (tx) => {
          const scope = await jqlScopeOf(
            tx,
            instanceId,
            Date.now(),
            await emailHashKey("query-plans-email-hash-key-0123456789", tenantId),
          );
          const compiled = await compileJql(scope, parseJql(jql));
          const after = withCursor
            ? compiled.order.map((t) =>
                t.type === "timestamptz"
                  ? `${daysAgo(200)} 12:00:00+00`
                  : t.type === "uuid"
                    ? "7f000000-0000-4000-8000-000000000000"
                    : t.type === "text"
                      ? "MOB"
                      : "3",
              )
            : undefined;
          const page = jqlPageQuery(tx, compiled, { instanceId, limit: 50, after });
          const result = await tx.execute(sql`explain (format json) ${page.getSQL()}`);
          return (result.rows as { "QUERY PLAN": [{ Plan: PlanNode }] }[])[0]?.["QUERY PLAN"][0]
            .Plan;
        });
        if (!plan) {
          throw new Error("no plan");
        }
        const scans = nodes(plan).filter(
          (n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "issues",
        );
        if (scans.length > 0) {
          const shape = nodes(plan).map((n) => n["Index Name"] ?? n["Node Type"]);
          seqScans.push(`${jql}${withCursor ? " (after a cursor)" : ""}: ${shape.join(" > ")}`);
        }
      }
    }
    expect(seqScans).toEqual([]);
  }, 60_000);
});
