/**
 * A parsed JQL query as ONE parameterised SQL query's parts: a WHERE condition and an ORDER BY
 * (with `key` and the row id as tie-breakers, so pages are stable). Nothing from the JQL text is
 * ever spliced into SQL: every value is a bind parameter.
 */
import { and, or, type SQL, sql } from "drizzle-orm";
import { jqlIssues } from "../../../../drizzle/schema";
import { keyNumber } from "../../../../drizzle/schema/issues";
import type { JqlNode, JqlQuery } from "../../../domain/jql-query/ast";
import { clauseCondition } from "./clauses";
import { orderOf, resolveField } from "./fields";
import type { JqlScope } from "./scope";

const v = jqlIssues;

export interface SortTerm {
  expression: SQL;
  type: string;
  descending: boolean;
}

export interface CompiledJql {
  where: SQL;
  order: SortTerm[];
}

async function condition(scope: JqlScope, node: JqlNode): Promise<SQL> {
  switch (node.kind) {
    case "and":
    case "or": {
      const parts: SQL[] = [];
      for (const child of node.children) {
        parts.push(await condition(scope, child));
      }
      return (node.kind === "and" ? and(...parts) : or(...parts)) ?? sql`true`;
    }
    case "not":
      // NOT is the complement: a clause that is unknown (null) for an issue counts as false.
      return sql`not coalesce(${await condition(scope, node.child)}, false)`;
    default:
      return clauseCondition(scope, node, await resolveField(scope, node.field));
  }
}

/** Compiles the query (values are looked up in the mirror as it goes). */
export async function compileJql(scope: JqlScope, query: JqlQuery): Promise<CompiledJql> {
  const where = query.where ? await condition(scope, query.where) : sql`true`;
  const order: SortTerm[] = [];
  // Jira's default order for a search without ORDER BY: newest created first.
  const terms = query.orderBy ?? [{ field: { name: "created", pos: 0 }, descending: true }];
  for (const term of terms) {
    const { expressions, types } = orderOf(await resolveField(scope, term.field), term.field);
    expressions.forEach((expression, i) => {
      order.push({ expression, type: types[i] ?? "text", descending: term.descending ?? false });
    });
  }
  order.push(
    { expression: sql`${v.projectKey}`, type: "text", descending: false },
    { expression: keyNumber(v.key), type: "int", descending: false },
    { expression: sql`${v.id}`, type: "uuid", descending: false },
  );
  return { where, order };
}

/** ORDER BY items: Postgres puts nulls last ascending and first descending, as Jira does. */
export const orderByOf = (order: SortTerm[]): SQL[] =>
  order.map((t) => (t.descending ? sql`${t.expression} desc` : sql`${t.expression} asc`));

/** The sort values of a row as text (null stays null), for the next cursor. */
export const sortValuesOf = (order: SortTerm[]): SQL<(string | null)[]> =>
  sql<(string | null)[]>`array[${sql.join(
    order.map((t) => sql`(${t.expression})::text`),
    sql`, `,
  )}]`;

/**
 * Rows strictly after `values` in the order, for any mix of directions and nulls: the first
 * term that differs decides. A null sorts as the largest value (Postgres' default).
 */
export function afterRow(order: SortTerm[], values: readonly (string | null)[]): SQL {
  const alternatives: SQL[] = [];
  const equal: SQL[] = [];
  order.forEach((t, i) => {
    const value = values[i] ?? null;
    const bound = sql`${value}::${sql.raw(t.type)}`;
    let beyond: SQL | undefined;
    if (value === null) {
      beyond = t.descending ? sql`${t.expression} is not null` : undefined;
    } else {
      beyond = t.descending
        ? sql`${t.expression} < ${bound}`
        : sql`(${t.expression} > ${bound} or ${t.expression} is null)`;
    }
    if (beyond) {
      alternatives.push(and(...equal, beyond) ?? beyond);
    }
    equal.push(value === null ? sql`${t.expression} is null` : sql`${t.expression} = ${bound}`);
  });
  return or(...alternatives) ?? sql`false`;
}
