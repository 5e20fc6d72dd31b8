/**
 * Flow analytics for the benchmark: gives the bulk-seeded issues (scripts/lib/seed-issues.ts)
 * status histories flow analytics can use, derives their flow facts with the same SQL function
 * the sync uses (`refresh_issue_flow`), then measures GET /v1/analytics/flow.
 *
 * The bulk seed writes one status change per issue without status ids; here each issue gets the
 * shape of a real workflow instead: To Do → (In Progress at the midpoint, for issues that got
 * past To Do) → its current status at `updated`, with ids, and the statuses catalogue.
 */
import type { Query } from "./seed-issues.ts";

export interface FlowBenchResult {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
}

export type Measure = (
  name: string,
  url: string,
  headers: Record<string, string>,
  requests: unknown[],
) => Promise<FlowBenchResult>;

const item = (from: string, to: string) =>
  `jsonb_build_array(jsonb_build_object('field', 'status', 'fieldtype', 'jira', 'fieldId', 'status',
    'from', ${from}, 'fromString', ${from}, 'to', ${to}, 'toString', ${to}))`;

/** Histories with status ids, the statuses catalogue, and every issue's flow facts. */
export async function prepareFlowData(query: Query, instanceId: string): Promise<void> {
  const scope = `i.instance_id = $1 and i.deleted_at is null`;
  await query(
    `insert into statuses (tenant_id, instance_id, jira_id, name, category)
     select distinct on (i.status_id) i.tenant_id, i.instance_id, i.status_id, i.status, i.status_category
     from issues i where ${scope} and i.status_id is not null
     union all select j.tenant_id, j.id, v.name, v.name, v.cat
       from jira_instances j, (values ('To Do', 'new'), ('In Progress', 'indeterminate')) as v(name, cat)
       where j.id = $1
     on conflict do nothing`,
    [instanceId],
  );
  // Issues past To Do passed through In Progress halfway between created and updated.
  await query(
    `insert into changelogs (tenant_id, instance_id, issue_id, jira_id, author_account_id, created, items)
     select i.tenant_id, i.instance_id, i.id, 'p' || i.jira_id, i.reporter_account_id,
       i.created + (i.updated - i.created) / 2, ${item("'To Do'", "'In Progress'")}
     from issues i where ${scope} and i.status_category <> 'new' and i.status <> 'In Progress'
     on conflict do nothing`,
    [instanceId],
  );
  await query(
    `update changelogs c set items = ${item(
      "case when i.status_category = 'new' or i.status = 'In Progress' then 'To Do' else 'In Progress' end",
      "i.status",
    )}
     from issues i where c.issue_id = i.id and c.jira_id = 'h' || i.jira_id and ${scope}`,
    [instanceId],
  );
  // Bounded batches: one statement per 10,000 issues keeps memory and WAL per statement modest.
  await query(
    `select refresh_issue_flow(ids) from (
       select array_agg(id) as ids from (
         select id, row_number() over (order by id) / 10000 as batch from issues i where ${scope}
       ) s group by batch) b`,
    [instanceId],
  );
  await query("analyze issue_flow", []);
  await query("analyze issue_status_intervals", []);
}

/** p50/p95/p99 of GET /v1/analytics/flow over a mix of ranges, projects and intervals. */
export async function benchFlow(options: {
  url: string;
  headers: Record<string, string>;
  instanceId: string;
  query: Query;
  measure: Measure;
}): Promise<FlowBenchResult> {
  await prepareFlowData(options.query, options.instanceId);
  const day = (daysAgo: number) =>
    new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const requests = [
    "",
    "project=CORE",
    "interval=day",
    `from=${day(365)}&interval=week`,
    `project=WEB&from=${day(180)}&interval=day`,
  ].map((q) => ({
    method: "GET",
    path: `/v1/analytics/flow?instanceId=${options.instanceId}&${q}`,
  }));
  return options.measure(
    "GET /v1/analytics/flow (5 query shapes)",
    options.url,
    options.headers,
    requests,
  );
}
