/**
 * One JQL clause as a SQL condition over jql_issues, values always bound as parameters. Jira's
 * rules: `!=` and NOT IN never match an empty field; `~` is full-text (see text-search.ts);
 * dates compare as instants in the site's time zone (date-only fields as calendar dates).
 */
import { type SQL, sql } from "drizzle-orm";
import { jqlIssues } from "../../../../drizzle/schema";
import { keyNumber } from "../../../../drizzle/schema/issues";
import type { Clause, Operand } from "../../../domain/jql-query/ast";
import { localDate } from "../../../domain/jql-query/dates";
import { jqlError } from "../../../domain/jql-query/errors";
import { textQuery } from "../../../domain/jql-query/text-search";
import { customFieldCandidates } from "../issue-filters";
import { dateOperand } from "./dates";
import type { FieldSpec } from "./fields";
import { historyCondition } from "./history";
import type { JqlScope } from "./scope";
import { flatten, resolveValues, unknownFunction } from "./values";

const v = jqlIssues;
const texts = (values: string[]) => sql`${sql.param(values)}::text[]`;
const EQUALITY = new Set(["=", "!=", "in", "not in", "is", "is not"]);
const COMPARE: Record<string, string> = {
  "=": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

const unsupported = (clause: Clause) =>
  jqlError(
    `The operator '${clause.op.toUpperCase()}' is not supported by the '${clause.field.name}' field.`,
    clause.opPos,
  );

const negative = (clause: Clause) =>
  clause.op === "!=" || clause.op === "not in" || clause.op === "is not";

/** `=`/IN/IS against a set of values (+ EMPTY), given how to test "has one of" and "is empty". */
function membership(
  clause: Clause,
  values: string[],
  empty: boolean,
  hasAny: (values: SQL) => SQL,
  isEmpty: SQL,
): SQL {
  const some = values.length > 0 ? hasAny(texts(values)) : sql`false`;
  if (negative(clause)) {
    // Jira: a negative clause never matches an issue whose field is empty.
    return values.length > 0 ? sql`(not ${isEmpty} and not ${some})` : sql`not ${isEmpty}`;
  }
  return empty ? sql`(${some} or ${isEmpty})` : some;
}

function dateCondition(
  scope: JqlScope,
  clause: Clause,
  spec: Extract<FieldSpec, { kind: "date" }>,
): SQL {
  const operand = clause.operand;
  if (clause.op === "is" || clause.op === "is not" || operand?.kind === "empty") {
    if (!["is", "is not", "=", "!="].includes(clause.op)) {
      throw unsupported(clause);
    }
    return sql`${spec.column} ${sql.raw(clause.op === "is" || clause.op === "=" ? "is null" : "is not null")}`;
  }
  const op = COMPARE[clause.op];
  if (!op || !operand) {
    throw unsupported(clause);
  }
  const { at } = dateOperand(scope, operand, spec.name);
  const bound = spec.dateOnly
    ? sql`${localDate(at, scope.timeZone)}::date`
    : sql`${at.toISOString()}::timestamptz`;
  return sql`${spec.column} ${sql.raw(op)} ${bound}`;
}

function textCondition(
  clause: Clause,
  spec: Extract<FieldSpec, { kind: "text" }>,
  column: SQL,
): SQL {
  const operand = clause.operand;
  if (clause.op !== "~" && clause.op !== "!~") {
    throw unsupported(clause);
  }
  if (operand?.kind !== "value") {
    throw jqlError(`The field '${clause.field.name}' takes a text value with '~'.`, clause.opPos);
  }
  const query = textQuery(operand.value, spec.weights);
  if (!query) {
    throw jqlError(
      `The text '${operand.value}' for the field '${clause.field.name}' has no word to search for.`,
      operand.pos,
    );
  }
  const hit = sql`${column} @@ to_tsquery('english', ${query})`;
  return clause.op === "~" ? hit : sql`not coalesce(${hit}, false)`;
}

async function keyCondition(scope: JqlScope, clause: Clause, column: "key" | "id"): Promise<SQL> {
  const operands = flatten(clause.operand);
  const cmp = COMPARE[clause.op];
  if (cmp && clause.op !== "=" && clause.op !== "!=" && column === "key") {
    // Key ranges stay within the key's project, by issue number (PROJ-2 < PROJ-10).
    const [key] = (await resolveValues(scope, "issueKey", "key", operands)).values;
    const number = Number(key?.slice(key.lastIndexOf("-") + 1));
    return sql`(${v.projectKey} = ${key?.slice(0, key.lastIndexOf("-"))} and ${keyNumber(v.key)} ${sql.raw(cmp)} ${number})`;
  }
  if (!EQUALITY.has(clause.op)) {
    throw unsupported(clause);
  }
  const { values } = await resolveValues(scope, "issueKey", clause.field.name, operands);
  return membership(clause, values, false, (list) => sql`${v.key} = any(${list})`, sql`false`);
}

function customCondition(
  clause: Clause,
  spec: Extract<FieldSpec, { kind: "custom" | "sprint" }>,
  operands: Operand[],
): SQL {
  const value = sql`(${v.customFields} -> ${spec.fieldId})`;
  const isEmpty = sql`(coalesce(jsonb_typeof(${value}), 'null') = 'null' or ${value} in ('[]'::jsonb, '""'::jsonb))`;
  const cmp = COMPARE[clause.op];
  if (spec.kind === "custom" && cmp && clause.op !== "=" && clause.op !== "!=") {
    const [first] = operands;
    if (first?.kind !== "value" || !/^-?\d+(\.\d+)?$/.test(first.value)) {
      throw jqlError(
        `The operator '${clause.op}' needs a number for the field '${clause.field.name}'.`,
        clause.opPos,
      );
    }
    return sql`(case when jsonb_typeof(${value}) = 'number' then (${v.customFields} ->> ${spec.fieldId})::numeric end) ${sql.raw(cmp)} ${first.value}::numeric`;
  }
  if (spec.kind === "custom" && (clause.op === "~" || clause.op === "!~")) {
    return textCondition(
      clause,
      { kind: "text", name: spec.name, weights: "ABC" },
      sql`to_tsvector('english', coalesce(${v.customFields} ->> ${spec.fieldId}, ''))`,
    );
  }
  if (!EQUALITY.has(clause.op)) {
    throw jqlError(
      `The operator '${clause.op.toUpperCase()}' is not supported by the '${clause.field.name}' field.`,
      clause.opPos,
    );
  }
  const candidates: string[] = [];
  for (const o of operands) {
    if (o.kind === "value") {
      candidates.push(
        ...(spec.kind === "sprint"
          ? sprintCandidates(spec.fieldId, o.value)
          : customFieldCandidates(spec.fieldId, o.value)),
      );
    } else if (o.kind === "function") {
      const state = spec.kind === "sprint" ? SPRINT_STATES[o.name.toLowerCase()] : undefined;
      if (!state || o.args.length > 0) {
        throw unknownFunction(o);
      }
      candidates.push(JSON.stringify({ [spec.fieldId]: [{ state }] }));
    }
  }
  const empty = operands.some((o) => o.kind === "empty");
  const hit = (_: SQL) => sql`${v.customFields} @> any(${sql.param(candidates)}::jsonb[])`;
  return membership(clause, candidates, empty, hit, isEmpty);
}

const SPRINT_STATES: Record<string, string> = {
  opensprints: "active",
  closedsprints: "closed",
  futuresprints: "future",
};

const sprintCandidates = (fieldId: string, value: string) =>
  /^\d+$/.test(value)
    ? [JSON.stringify({ [fieldId]: [{ id: Number(value) }] })]
    : [JSON.stringify({ [fieldId]: [{ name: value }] })];

/** The condition of one clause. */
export async function clauseCondition(
  scope: JqlScope,
  clause: Clause,
  spec: FieldSpec,
): Promise<SQL> {
  if (clause.op.startsWith("was") || clause.op === "changed") {
    return historyCondition(scope, clause, spec);
  }
  const operands = flatten(clause.operand);
  switch (spec.kind) {
    case "date":
      return dateCondition(scope, clause, spec);
    case "text":
      return textCondition(clause, spec, sql`${v.searchVector}`);
    case "key":
    case "id":
      return keyCondition(scope, clause, spec.kind);
    case "custom":
    case "sprint":
      return customCondition(clause, spec, operands);
    case "array": {
      if (!EQUALITY.has(clause.op)) {
        throw unsupported(clause);
      }
      const { values, empty } = await resolveValues(scope, "free", spec.name, operands);
      return membership(
        clause,
        values,
        empty,
        (list) => sql`${spec.column} && ${list}`,
        sql`cardinality(${spec.column}) = 0`,
      );
    }
    default: {
      if (!EQUALITY.has(clause.op)) {
        throw unsupported(clause);
      }
      const { values, empty } = await resolveValues(scope, spec.values, spec.name, operands);
      return membership(
        clause,
        values,
        empty,
        (list) => sql`${spec.column} = any(${list})`,
        sql`${spec.column} is null`,
      );
    }
  }
}
