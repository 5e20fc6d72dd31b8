/**
 * WAS and CHANGED, from the changelog: `jql_field_periods` (migration jql_issues_view) gives the
 * periods each value of a field held; CHANGED looks at the change items themselves. Predicates:
 * BY (who made the change), DURING (a, b), BEFORE, AFTER, ON (a day in the site's time zone),
 * FROM and TO (CHANGED only).
 */
import { and, type SQL, sql } from "drizzle-orm";
import { jqlIssues } from "../../../../drizzle/schema";
import { localDayBounds } from "../../../domain/jql-query/dates";
import type { Clause, HistoryPredicate } from "../../../domain/jql-query/ast";
import { jqlError } from "../../../domain/jql-query/errors";
import { dateOperand } from "./dates";
import type { FieldSpec, History } from "./fields";
import type { JqlScope } from "./scope";
import { flatten, resolveValues } from "./values";

const v = jqlIssues;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Values compared case-insensitively (names), or exactly (account ids). */
async function historyValues(
  scope: JqlScope,
  spec: FieldSpec,
  history: History,
  predicate: HistoryPredicate | Clause,
) {
  const operand = "operand" in predicate ? predicate.operand : undefined;
  const operands = flatten(operand);
  if (history.byId) {
    return resolveValues(scope, "user", spec.name, operands);
  }
  const values = operands
    .filter((o) => o.kind === "value")
    .map((o) => (o.kind === "value" ? o.value.toLowerCase() : ""));
  return { values, empty: operands.some((o) => o.kind === "empty") };
}

const matches = (value: SQL, history: History, resolved: { values: string[]; empty: boolean }) => {
  const compared = history.byId ? value : sql`lower(${value})`;
  const hit = sql`${compared} = any(${sql.param(resolved.values)}::text[])`;
  return resolved.empty ? sql`(${hit} or ${value} is null)` : hit;
};

/** A predicate as a condition on a period (start_at, end_at, author) or a change (at, author). */
async function predicateCondition(
  scope: JqlScope,
  p: HistoryPredicate,
  spec: FieldSpec,
  changed: boolean,
): Promise<SQL> {
  const [start, end] = changed ? [sql`h.at`, sql`h.at`] : [sql`p.start_at`, sql`p.end_at`];
  const author = changed ? sql`h.author` : sql`p.author`;
  const day = (o: typeof p.operand) => {
    const at = dateOperand(scope, o, spec.name).at;
    return localDayBounds(at, scope.timeZone);
  };
  switch (p.word) {
    case "by": {
      const people = await resolveValues(scope, "user", "by", flatten(p.operand));
      return sql`${author} = any(${sql.param(people.values)}::text[])`;
    }
    case "before":
      return sql`${start} < ${ts(dateOperand(scope, p.operand, spec.name).at)}`;
    case "after":
      return sql`${end} > ${ts(dateOperand(scope, p.operand, spec.name).at)}`;
    case "on": {
      const [from, to] = day(p.operand);
      return changed
        ? sql`(${start} >= ${ts(from)} and ${start} < ${ts(to)})`
        : sql`(${start} < ${ts(to)} and ${end} > ${ts(from)})`;
    }
    case "during": {
      const items = flatten(p.operand);
      const [a, b] = items;
      if (items.length !== 2 || !a || !b) {
        throw jqlError('DURING takes two dates: DURING ("2025-01-01", "2025-01-31").', p.pos);
      }
      const from = dateOperand(scope, a, spec.name).at;
      const to = dateOperand(scope, b, spec.name).at;
      return changed
        ? sql`(${start} >= ${ts(from)} and ${start} <= ${ts(to)})`
        : sql`(${start} <= ${ts(to)} and ${end} > ${ts(from)})`;
    }
    default: {
      if (!changed) {
        throw jqlError(
          `The predicate '${p.word.toUpperCase()}' is only supported by the CHANGED operator.`,
          p.pos,
        );
      }
      const history = spec.kind === "scalar" || spec.kind === "array" ? spec.history : undefined;
      const resolved = history
        ? await historyValues(scope, spec, history, p)
        : { values: [], empty: false };
      return history
        ? matches(p.word === "from" ? sql`h.from_value` : sql`h.to_value`, history, resolved)
        : sql`false`;
    }
  }
}

/** A WAS / WAS IN / WAS NOT / WAS NOT IN / CHANGED clause on a field that keeps history. */
export async function historyCondition(
  scope: JqlScope,
  clause: Clause,
  spec: FieldSpec,
): Promise<SQL> {
  const history = spec.kind === "scalar" || spec.kind === "array" ? spec.history : undefined;
  if (!history || (spec.kind === "array" && clause.op !== "changed")) {
    throw jqlError(
      `History searches are not supported for the '${clause.field.name}' field.`,
      clause.field.pos,
    );
  }
  if (clause.op === "changed") {
    const conditions = await Promise.all(
      clause.history.map((p) => predicateCondition(scope, p, spec, true)),
    );
    const from = history.byId ? sql`item ->> 'from'` : sql`item ->> 'fromString'`;
    const to = history.byId ? sql`item ->> 'to'` : sql`item ->> 'toString'`;
    return sql`exists (select 1 from (select ch.created as at, ch.author_account_id as author, ${from} as from_value, ${to} as to_value
      from changelogs ch, jsonb_array_elements(ch.items) item
      where ch.issue_id = ${v.id} and lower(item ->> 'field') = lower(${history.field})) h
      where ${and(sql`true`, ...conditions)})`;
  }
  const resolved = await historyValues(scope, spec, history, clause);
  const conditions = await Promise.all(
    clause.history.map((p) => predicateCondition(scope, p, spec, false)),
  );
  const current = spec.kind === "scalar" ? spec.column : sql`null::text`;
  const periods = sql`jql_field_periods(${v.id}, ${history.field}, ${v.created}, ${current}, ${v.reporterAccountId}, ${history.byId})`;
  const found = sql`exists (select 1 from ${periods} p where ${and(matches(sql`p.value`, history, resolved), ...conditions)})`;
  return clause.op.startsWith("was not") ? sql`not ${found}` : found;
}
