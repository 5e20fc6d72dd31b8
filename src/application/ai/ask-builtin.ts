import { and, eq, isNull, sql } from "drizzle-orm";
import { issues, users } from "../../../drizzle/schema";
import type { Dimension, Filter, ParsedQuestion, Vocabulary } from "../../domain/ai/question";
import type { Database } from "../../infrastructure/db/database";
import type { SqlParam } from "../../infrastructure/db/sql-reader";

/** The values questions may name, from the tenant's own data (live issues of the instance). */
export async function loadVocabulary(
  db: Database,
  input: { tenantId: string; instanceId: string },
): Promise<Vocabulary> {
  return db.withTenant(input.tenantId, async (tx) => {
    const live = and(eq(issues.instanceId, input.instanceId), isNull(issues.deletedAt));
    const distinct = (expr: ReturnType<typeof sql>) =>
      tx
        .selectDistinct({ value: sql<string>`${expr}` })
        .from(issues)
        .where(live)
        .limit(500)
        .then((rows) => rows.map((r) => r.value).filter((v): v is string => typeof v === "string"));
    const [projects, statuses, types, priorities, labels, components, people] = await Promise.all([
      distinct(sql`${issues.projectKey}`),
      distinct(sql`${issues.status}`),
      distinct(sql`${issues.issueType}`),
      distinct(sql`${issues.priority}`),
      distinct(sql`unnest(${issues.labels})`),
      distinct(sql`unnest(${issues.components})`),
      tx
        .select({ accountId: users.accountId, displayName: users.displayName })
        .from(users)
        .where(eq(users.instanceId, input.instanceId))
        .limit(5000),
    ]);
    return { projects, statuses, types, priorities, labels, components, people };
  });
}

export interface CompiledQuery {
  text: string;
  params: SqlParam[];
}

const DIMENSION_SQL: Record<Dimension, { expr: string; name: string; from?: string }> = {
  status: { expr: "status", name: "status" },
  type: { expr: "issue_type", name: "issue_type" },
  priority: { expr: "priority", name: "priority" },
  assignee: { expr: "coalesce(assignee_name, 'Unassigned')", name: "assignee" },
  project: { expr: "project_key", name: "project_key" },
  label: { expr: "label", name: "label", from: " cross join unnest(labels) as label" },
  component: {
    expr: "component",
    name: "component",
    from: " cross join unnest(components) as component",
  },
  month: { expr: "to_char(date_trunc('month', created), 'YYYY-MM')", name: "month" },
  week: { expr: "to_char(date_trunc('week', created), 'YYYY-MM-DD')", name: "week" },
};

/** One WHERE condition per filter, every value a parameter. */
function condition(filter: Filter, param: (value: SqlParam) => string): string {
  switch (filter.kind) {
    case "equals":
      return `${filter.column} = ${param(filter.value)}`;
    case "assignee":
      return `assignee_account_id = ${param(filter.accountId)}`;
    case "unassigned":
      return "assignee_account_id is null";
    case "label":
      return `${param(filter.value)} = any (labels)`;
    case "component":
      return `${param(filter.value)} = any (components)`;
    case "category":
      return filter.done ? "status_category = 'done'" : "status_category is distinct from 'done'";
    case "date": {
      const parts = [];
      if (filter.from) {
        parts.push(`${filter.field} >= ${param(filter.from)}::timestamptz`);
      }
      if (filter.to) {
        parts.push(`${filter.field} < ${param(filter.to)}::timestamptz`);
      }
      return parts.join(" and ") || "true";
    }
  }
}

const DAYS = (from: string) => `extract(epoch from (resolved - ${from})) / 86400`;

/**
 * Compiles a parsed question into one parameterized SELECT over v_issues (run through the same
 * read-only, tenant-bound path as POST /v1/sql). $1 is always the instance.
 */
export function compileQuestion(question: ParsedQuestion, instanceId: string): CompiledQuery {
  const params: SqlParam[] = [instanceId];
  const param = (value: SqlParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ["instance_id = $1::uuid", ...question.filters.map((f) => condition(f, param))];
  const group = question.groupBy ? DIMENSION_SQL[question.groupBy] : undefined;
  const from = `v_issues${group?.from ?? ""}`;
  const select = (measures: string) =>
    group
      ? `select ${group.expr} as ${group.name}, ${measures} from ${from} where ${where.join(" and ")} group by 1`
      : `select ${measures} from ${from} where ${where.join(" and ")}`;
  switch (question.measure) {
    case "count":
      return {
        text: `${select("count(*) as issues")}${group ? " order by 2 desc, 1 limit 100" : ""}`,
        params,
      };
    case "list":
      return {
        text: `select key, summary, status, issue_type, priority, assignee_name, created from ${from} where ${where.join(" and ")} order by updated desc limit 100`,
        params,
      };
    case "lead_time":
    case "cycle_time": {
      const start =
        question.measure === "lead_time"
          ? "created"
          : "coalesce((select min(t.transitioned_at) from v_status_transitions t where t.issue_id = v_issues.id), created)";
      where.push("resolved is not null");
      const measures =
        `count(*) as issues, round(avg(${DAYS(start)})::numeric, 1) as avg_days, ` +
        `round((percentile_cont(0.5) within group (order by ${DAYS(start)}))::numeric, 1) as median_days`;
      return { text: `${select(measures)}${group ? " order by 1" : ""}`, params };
    }
    case "throughput":
      where.push("resolved is not null");
      return {
        text: `select to_char(date_trunc('week', resolved), 'YYYY-MM-DD') as week, count(*) as resolved_issues from v_issues where ${where.join(" and ")} group by 1 order by 1`,
        params,
      };
  }
}

/** A plain sentence for the result (the rows carry the figures). */
export function describeAnswer(question: ParsedQuestion, rows: unknown[][]): string {
  const scope = question.described.length > 0 ? ` ${question.described.join(", ")}` : "";
  const first = rows[0] ?? [];
  switch (question.measure) {
    case "count":
      if (question.groupBy) {
        const top = rows[0];
        return top
          ? `Issues${scope} by ${question.groupBy}: ${rows.length} group(s); the largest is ${String(top[0] ?? "none")} with ${String(top[1])}.`
          : `No issues${scope}.`;
      }
      return `There are ${String(first[0] ?? 0)} issues${scope}.`;
    case "list":
      return `${rows.length} issue(s)${scope}, most recently updated first${rows.length === 100 ? " (first 100)" : ""}.`;
    case "lead_time":
    case "cycle_time": {
      const what =
        question.measure === "lead_time"
          ? "Lead time (created → resolved)"
          : "Cycle time (first transition → resolved)";
      if (question.groupBy) {
        return `${what}${scope} by ${question.groupBy}, in days: ${rows.length} group(s).`;
      }
      return first[1] === null || first[1] === undefined
        ? `No resolved issues${scope}.`
        : `${what}${scope}: average ${String(first[1])} days, median ${String(first[2])} days over ${String(first[0])} resolved issues.`;
    }
    case "throughput":
      return `Resolved issues per week${scope}: ${rows.length} week(s) with resolutions.`;
  }
}
