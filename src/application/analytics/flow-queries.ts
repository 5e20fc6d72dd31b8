/**
 * The SQL behind GET /v1/analytics/flow: each query reads the pre-computed flow tables through
 * an index range scan (see drizzle/schema/issue-flow.ts and issue-status-intervals.ts), never
 * the changelog. Every function runs inside the caller's tenant transaction (RLS applies).
 */
import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../infrastructure/db/database";

export interface FlowScope {
  instanceId: string;
  project?: string;
}

const inScope = (scope: FlowScope, alias: string) =>
  sql`${sql.raw(alias)}.instance_id = ${scope.instanceId}
    and (${scope.project ?? null}::text is null or ${sql.raw(alias)}.project_key = ${scope.project ?? null})`;

const timestamps = (values: readonly Date[]): SQL =>
  sql`${sql.param(values.map((v) => v.toISOString()))}::timestamptz[]`;

const iso = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/** The statements, apart from running them: the query-plan test EXPLAINs each one. */
export const FLOW_SQL = {
  /** `width_bucket` puts each instant of `[first, end)` into the bucket whose start it is at or after. */
  perBucket: (
    scope: FlowScope,
    column: "created" | "resolved_at",
    starts: readonly Date[],
    first: Date,
    end: Date,
  ) => {
    const col = sql.raw(`f.${column}`);
    return sql`
      select width_bucket(${col}, ${timestamps(starts)}) as b, count(*)::int as n
      from issue_flow f
      where ${inScope(scope, "f")} and ${col} >= ${iso(first)} and ${col} < ${iso(end)}
      group by 1`;
  },
  durations: (scope: FlowScope, from: Date, to: Date) => sql`
    select count(lead_time_hours)::int as lead_n,
      percentile_cont(array[0.5, 0.85, 0.95]) within group (order by lead_time_hours) as lead_p,
      avg(lead_time_hours)::float8 as lead_mean,
      count(cycle_time_hours)::int as cycle_n,
      percentile_cont(array[0.5, 0.85, 0.95]) within group (order by cycle_time_hours) as cycle_p,
      avg(cycle_time_hours)::float8 as cycle_mean
    from issue_flow f
    where ${inScope(scope, "f")} and f.resolved_at >= ${iso(from)} and f.resolved_at < ${iso(to)}`,
  wipNow: (scope: FlowScope, now: Date) => sql`
    select count(*)::int as n from issue_status_intervals v
    where ${inScope(scope, "v")} and v.category = 'indeterminate'
      and v.entered <= ${iso(now)} and (v.left is null or v.left > ${iso(now)})`,
  // Events at x count for the instants before x: width_bucket(x - 1 ms) = #instants < x, exact
  // because every stored and requested instant has millisecond precision.
  wipEvents: (scope: FlowScope, instants: readonly Date[], first: Date, now: Date) => sql`
    select width_bucket(e.at - interval '1 millisecond', ${timestamps(instants)}) as m,
      sum(e.d)::int as d
    from (
      select v.entered as at, -1 as d from issue_status_intervals v
      where ${inScope(scope, "v")} and v.category = 'indeterminate'
        and v.entered > ${iso(first)} and v.entered <= ${iso(now)}
      union all
      select v.left, 1 from issue_status_intervals v
      where ${inScope(scope, "v")} and v.category = 'indeterminate'
        and v.left > ${iso(first)} and v.left <= ${iso(now)}
    ) e
    group by 1`,
  aging: (scope: FlowScope, limit: number) => sql`
    select f.key, f.status, f.in_progress_at as at from issue_flow f
    where ${inScope(scope, "f")} and f.status_category = 'indeterminate'
      and f.in_progress_at is not null
    order by f.in_progress_at, f.key collate "C"
    limit ${limit}`,
  breakdowns: (scope: FlowScope) => sql`
    select grouping(f.status_category, f.issue_type, f.priority, f.assignee_account_id) as g,
      f.status_category as category, f.issue_type as type, f.priority,
      f.assignee_account_id as assignee, count(*)::int as n
    from issue_flow f
    where ${inScope(scope, "f")}
    group by grouping sets ((f.status_category), (f.issue_type), (f.priority),
      (f.assignee_account_id))`,
};

/**
 * Per bucket, how many instants of `column` fall in it: `width_bucket` puts each instant of
 * `[starts[0], end)` into the bucket whose start it is at or after (1-based) in one pass.
 */
async function countPerBucket(
  tx: Tx,
  scope: FlowScope,
  column: "created" | "resolved_at",
  starts: readonly Date[],
  end: Date,
): Promise<number[]> {
  const counts = starts.map(() => 0);
  const first = starts[0];
  if (first === undefined) {
    return counts;
  }
  const result = await tx.execute<{ b: number; n: number }>(
    FLOW_SQL.perBucket(scope, column, starts, first, end),
  );
  for (const row of result.rows) {
    counts[row.b - 1] = row.n;
  }
  return counts;
}

export const createdPerBucket = (tx: Tx, scope: FlowScope, starts: readonly Date[], end: Date) =>
  countPerBucket(tx, scope, "created", starts, end);

export const resolvedPerBucket = (tx: Tx, scope: FlowScope, starts: readonly Date[], end: Date) =>
  countPerBucket(tx, scope, "resolved_at", starts, end);

export interface DurationStats {
  count: number;
  p50: number | null;
  p85: number | null;
  p95: number | null;
  mean: number | null;
}

/** Lead and cycle time statistics of the issues resolved in `[from, to)` (continuous percentiles). */
export async function durationStats(tx: Tx, scope: FlowScope, from: Date, to: Date) {
  const result = await tx.execute<{
    lead_n: number;
    lead_p: number[] | null;
    lead_mean: number | null;
    cycle_n: number;
    cycle_p: number[] | null;
    cycle_mean: number | null;
  }>(FLOW_SQL.durations(scope, from, to));
  const row = result.rows[0];
  const stats = (n: number, p: number[] | null, mean: number | null): DurationStats => ({
    count: n,
    p50: n > 0 ? (p?.[0] ?? null) : null,
    p85: n > 0 ? (p?.[1] ?? null) : null,
    p95: n > 0 ? (p?.[2] ?? null) : null,
    mean: n > 0 ? mean : null,
  });
  return {
    lead: stats(row?.lead_n ?? 0, row?.lead_p ?? null, row?.lead_mean ?? null),
    cycle: stats(row?.cycle_n ?? 0, row?.cycle_p ?? null, row?.cycle_mean ?? null),
  };
}

/**
 * WIP at each of the ascending `instants` (all ≤ `now`): WIP now, minus in-progress intervals
 * entered after the instant, plus those left after it (up to now). Only intervals that started
 * or ended since the first instant are read, however long the history.
 */
export async function wipAt(
  tx: Tx,
  scope: FlowScope,
  instants: readonly Date[],
  now: Date,
): Promise<number[]> {
  const first = instants[0];
  const current = await tx.execute<{ n: number }>(FLOW_SQL.wipNow(scope, now));
  const wipNow = current.rows[0]?.n ?? 0;
  if (first === undefined) {
    return [];
  }
  const result = await tx.execute<{ m: number; d: number }>(
    FLOW_SQL.wipEvents(scope, instants, first, now),
  );
  const perCount = new Map(result.rows.map((row) => [row.m, row.d]));
  // Instant k (1-based) gets every event with more than k-1 instants before it: a suffix sum.
  const out = instants.map(() => wipNow);
  let suffix = 0;
  for (let k = instants.length; k >= 1; k--) {
    suffix += perCount.get(k) ?? 0;
    out[k - 1] = wipNow + suffix;
  }
  return out;
}

export interface AgingRow {
  key: string;
  status: string | null;
  inProgressAt: Date;
}

/** Issues in progress now, oldest first entry into progress first (ties by key). */
export async function agingWip(tx: Tx, scope: FlowScope, limit: number): Promise<AgingRow[]> {
  const result = await tx.execute<{ key: string; status: string | null; at: string | Date }>(
    FLOW_SQL.aging(scope, limit),
  );
  return result.rows.map((row) => ({
    key: row.key,
    status: row.status,
    inProgressAt: new Date(row.at),
  }));
}

export interface BreakdownRow {
  dimension: "category" | "type" | "priority" | "assignee";
  value: string | null;
  count: number;
}

/** Current counts per status category, type, priority and assignee, in one pass. */
export async function breakdowns(tx: Tx, scope: FlowScope): Promise<BreakdownRow[]> {
  const result = await tx.execute<{
    g: number;
    category: string | null;
    type: string | null;
    priority: string | null;
    assignee: string | null;
    n: number;
  }>(FLOW_SQL.breakdowns(scope));
  // grouping() sets a bit per column left out: 0b0111 = grouped by status_category alone, etc.
  const dimensions: Record<number, BreakdownRow["dimension"]> = {
    7: "category",
    11: "type",
    13: "priority",
    14: "assignee",
  };
  return result.rows.flatMap((row): BreakdownRow[] => {
    const dimension = dimensions[row.g];
    if (dimension === undefined) {
      return [];
    }
    const value = {
      category: row.category,
      type: row.type,
      priority: row.priority,
      assignee: row.assignee,
    }[dimension];
    return [{ dimension, value, count: row.n }];
  });
}

/** Display names of the given account ids in the instance. */
export async function displayNames(
  tx: Tx,
  instanceId: string,
  accountIds: readonly string[],
): Promise<Map<string, string>> {
  if (accountIds.length === 0) {
    return new Map();
  }
  const result = await tx.execute<{ account_id: string; display_name: string }>(sql`
    select account_id, display_name from users
    where instance_id = ${instanceId} and account_id = any(${sql.param([...accountIds])}::text[])`);
  return new Map(result.rows.map((row) => [row.account_id, row.display_name]));
}
