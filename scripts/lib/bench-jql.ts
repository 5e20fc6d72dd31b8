/**
 * The JQL scenario of `npm run bench`: ten JQL searches over the bulk-seeded data (see
 * seed-issues.ts for its projects, statuses, people and labels), each answered from Postgres.
 */
export const BENCH_JQL = [
  "project = CORE",
  'project in (CORE, WEB) AND status = "In Progress" ORDER BY priority DESC',
  "assignee = acc-07 ORDER BY key",
  'text ~ "login" AND project = WEB',
  'summary ~ "timeout crash" ORDER BY updated DESC',
  "labels in (label-3, label-4) AND priority = High",
  "statusCategory = indeterminate ORDER BY created",
  "updated >= -30d ORDER BY updated DESC",
  'created >= startOfMonth(-6) AND issuetype = Bug AND status != "Done"',
  "resolution is EMPTY AND assignee is not EMPTY ORDER BY key DESC",
] as const;

/**
 * autocannon requests for the ten JQL searches on one instance.
 *
 * @example
 * await measure("GET /v1/issues?jql= (10 JQL queries)", url, auth, jqlBenchRequests(instanceId))
 */
export function jqlBenchRequests(instanceId: string): { method: string; path: string }[] {
  return BENCH_JQL.map((jql) => ({
    method: "GET",
    path: `/v1/issues?${new URLSearchParams({ instanceId, jql })}`,
  }));
}
