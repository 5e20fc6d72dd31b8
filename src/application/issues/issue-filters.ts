/**
 * The SQL of the issue search: filters, sort keys and keyset bounds over the `issues_live` view
 * (see drizzle/schema/issues-live.ts for why a view). Every condition has a matching index; the
 * query-plan test EXPLAINs what these functions build for every filter and sort.
 */
import { gte, lt, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { issuesLive } from "../../../drizzle/schema";
import { keyNumber, priorityRank } from "../../../drizzle/schema/issues";
import type { IssueFilters, IssueSort } from "../../domain/issue-query";

const live = issuesLive;

/** One bind parameter holding the whole list, so the SQL text is the same for any count. */
const anyOf = (column: SQLWrapper, values: readonly string[], type: "text" | "uuid") =>
  sql`${column} = any(${sql.param([...values])}::${sql.raw(type)}[])`;

const tsQuery = (q: string) => sql`websearch_to_tsquery('english', ${q})`;

const NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;

/**
 * The JSON documents one of which `custom_fields` must contain for `fieldId` to "equal" `value`,
 * whatever the field's type: text, number, option `{value}`, multi-select `[{value}]`, plain
 * arrays, versions/components `{name}` and user pickers `{accountId}`. `@>` on the GIN
 * (jsonb_path_ops) index answers each of them.
 *
 * @example
 * customFieldCandidates("customfield_10010", "3") // [{"customfield_10010":"3"}, …, {"customfield_10010":3}, …]
 */
export function customFieldCandidates(fieldId: string, value: string): string[] {
  const shapes: unknown[] = [value, [value]];
  for (const property of ["value", "name", "accountId"]) {
    shapes.push({ [property]: value }, [{ [property]: value }]);
  }
  if (NUMBER.test(value)) {
    shapes.push(Number(value), [Number(value)]);
  }
  return shapes.map((shape) => JSON.stringify({ [fieldId]: shape }));
}

/** The WHERE conditions of a filter set (AND-ed; values of one filter are OR-ed). */
export function filterConditions(filters: IssueFilters): SQL[] {
  const conditions: SQL[] = [];
  const lists: [SQLWrapper, string[]][] = [
    [live.projectKey, filters.projects],
    [live.status, filters.statuses],
    [live.statusCategory, filters.statusCategories],
    [live.issueType, filters.types],
    [live.priority, filters.priorities],
    [live.assigneeAccountId, filters.assignees],
  ];
  if (filters.instanceIds.length > 0) {
    conditions.push(anyOf(live.instanceId, filters.instanceIds, "uuid"));
  }
  for (const [column, values] of lists) {
    if (values.length > 0) {
      conditions.push(anyOf(column, values, "text"));
    }
  }
  if (filters.labels.length > 0) {
    conditions.push(sql`${live.labels} && ${sql.param(filters.labels)}::text[]`);
  }
  for (const [column, range] of [
    [live.updated, filters.updated],
    [live.created, filters.created],
  ] as const) {
    if (range.from) {
      conditions.push(gte(column, range.from));
    }
    if (range.before) {
      conditions.push(lt(column, range.before));
    }
  }
  if (filters.q !== undefined) {
    conditions.push(sql`${live.searchVector} @@ ${tsQuery(filters.q)}`);
  }
  for (const { fieldId, values } of filters.customFields) {
    const candidates = values.flatMap((value) => customFieldCandidates(fieldId, value));
    conditions.push(sql`${live.customFields} @> any(${sql.param(candidates)}::jsonb[])`);
  }
  return conditions;
}

/** A sort as the expressions it orders by (id last, for a total order) and their SQL types. */
export interface SortKey {
  expressions: SQL[];
  types: string[];
  descending: boolean;
}

export function sortKey(sort: IssueSort, q: string | undefined): SortKey {
  const key = (expressions: SQL[], types: string[]): SortKey => ({
    expressions: [...expressions, sql`${live.id}`],
    types: [...types, "uuid"],
    descending: sort.descending,
  });
  switch (sort.field) {
    case "created":
      return key([sql`${live.created}`], ["timestamptz"]);
    case "priority":
      return key([priorityRank(live.priority)], ["int"]);
    case "key":
      return key([sql`${live.projectKey}`, keyNumber(live.key)], ["text", "int"]);
    case "relevance":
      return key([sql`ts_rank(${live.searchVector}, ${tsQuery(q ?? "")})`], ["real"]);
    default:
      return key([sql`${live.updated}`], ["timestamptz"]);
  }
}

const list = (parts: SQL[]) => sql.join(parts, sql`, `);

export const orderBy = (key: SortKey): SQL[] =>
  key.expressions.map((e) => (key.descending ? sql`${e} desc` : sql`${e} asc`));

/** The sort values of a row as text (exact for every type used), for the next cursor. */
export const sortValues = (key: SortKey): SQL<string[]> =>
  sql<string[]>`array[${list(key.expressions.map((e) => sql`${e}::text`))}]`;

/**
 * Rows strictly after `values` in the sort order: one row comparison, which a btree index on
 * the same expressions answers as a range scan (no skipped or repeated rows between pages).
 */
export function after(key: SortKey, values: readonly string[]): SQL {
  const bound = values.map((v, i) => sql`${v}::${sql.raw(key.types[i] ?? "text")}`);
  return sql`(${list(key.expressions)}) ${sql.raw(key.descending ? "<" : ">")} (${list(bound)})`;
}
