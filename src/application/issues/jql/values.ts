/**
 * Values written in JQL resolved to what the mirror stores: names matched case-insensitively to
 * their canonical spelling, users by account id, display name or email (through its hash),
 * projects by key, name or id, issue keys checked. A value the site does not have is an error,
 * as in Jira.
 */
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import { jqlIssues, projects, users } from "../../../../drizzle/schema";
import type { Operand } from "../../../domain/jql-query/ast";
import { jqlError } from "../../../domain/jql-query/errors";
import { hashEmail } from "../../../domain/pii";
import type { ValueKind } from "./fields";
import type { JqlScope } from "./scope";

export interface Resolved {
  values: string[];
  /** EMPTY (or resolution "Unresolved") was among the operands. */
  empty: boolean;
}

const CATEGORIES: Record<string, string> = {
  new: "new",
  "to do": "new",
  "2": "new",
  indeterminate: "indeterminate",
  "in progress": "indeterminate",
  "4": "indeterminate",
  done: "done",
  complete: "done",
  "3": "done",
};

export const unknownFunction = (o: { name: string; args: string[]; pos: number }) =>
  jqlError(`Unable to find JQL function '${o.name}(${o.args.join(", ")})'.`, o.pos);
const missing = (value: string, field: string, pos: number) =>
  jqlError(`The value '${value}' does not exist for the field '${field}'.`, pos);

/** The operands as a flat list (a list operand's items). */
export const flatten = (operand: Operand | undefined): Operand[] =>
  !operand ? [] : operand.kind === "list" ? operand.items.flatMap(flatten) : [operand];

/**
 * The stored spellings of a name: the exact one when some issue has it (an index probe that
 * stops at the first row), else any case-insensitive match (a scan, for unusual spellings).
 */
async function distinctMatches(scope: JqlScope, column: SQL, value: string): Promise<string[]> {
  const [exact] = await scope.tx
    .select({ value: sql<string>`${column}` })
    .from(jqlIssues)
    .where(and(eq(jqlIssues.instanceId, scope.instanceId), sql`${column} = ${value}`))
    .limit(1);
  if (exact) {
    return [exact.value];
  }
  const lowered = [value.toLowerCase()];
  const rows = await scope.tx
    .selectDistinct({ value: sql<string>`${column}` })
    .from(jqlIssues)
    .where(
      and(
        eq(jqlIssues.instanceId, scope.instanceId),
        sql`lower(${column}) = any(${sql.param(lowered)}::text[])`,
      ),
    );
  return rows.map((r) => r.value);
}

async function userIds(scope: JqlScope, value: string): Promise<string[]> {
  const rows = await scope.tx
    .select({ accountId: users.accountId })
    .from(users)
    .where(
      and(
        eq(users.instanceId, scope.instanceId),
        or(
          eq(users.accountId, value),
          sql`lower(${users.displayName}) = lower(${value})`,
          eq(users.emailHash, await hashEmail(value, scope.emailKey)),
        ),
      ),
    );
  return rows.map((r) => r.accountId);
}

async function projectKeys(scope: JqlScope, value: string): Promise<string[]> {
  const rows = await scope.tx
    .select({ key: projects.key })
    .from(projects)
    .where(
      and(
        eq(projects.instanceId, scope.instanceId),
        or(
          sql`upper(${projects.key}) = upper(${value})`,
          eq(projects.jiraId, value),
          sql`lower(${projects.name}) = lower(${value})`,
        ),
      ),
    );
  return rows.map((r) => r.key);
}

async function issueKeys(scope: JqlScope, value: string): Promise<string[]> {
  const rows = await scope.tx
    .select({ key: jqlIssues.key })
    .from(jqlIssues)
    .where(
      and(
        eq(jqlIssues.instanceId, scope.instanceId),
        /^\d+$/.test(value) ? eq(jqlIssues.jiraId, value) : eq(jqlIssues.key, value.toUpperCase()),
      ),
    );
  return rows.map((r) => r.key);
}

function functionValues(
  scope: JqlScope,
  kind: ValueKind,
  o: Extract<Operand, { kind: "function" }>,
): string[] {
  const name = o.name.toLowerCase();
  if (kind === "user" && name === "currentuser") {
    if (!scope.accountId) {
      throw jqlError("currentUser() is not known yet for this instance: run a sync first.", o.pos);
    }
    return [scope.accountId];
  }
  if (kind === "user" && name === "membersof") {
    throw jqlError(
      "membersOf() needs group memberships, which this mirror does not sync: list the users instead.",
      o.pos,
    );
  }
  throw unknownFunction(o);
}

/**
 * The stored values the operands stand for.
 *
 * @example
 * await resolveValues(scope, "status", "status", [{ kind: "value", value: "in progress", pos: 9 }])
 * // { values: ["In Progress"], empty: false }
 */
export async function resolveValues(
  scope: JqlScope,
  kind: ValueKind,
  field: string,
  operands: Operand[],
  check = true,
): Promise<Resolved> {
  const out: Resolved = { values: [], empty: false };
  const named: { value: string; pos: number }[] = [];
  for (const o of operands) {
    if (o.kind === "empty") {
      out.empty = true;
    } else if (o.kind === "function") {
      out.values.push(...functionValues(scope, kind, o));
    } else if (o.kind === "value") {
      if (kind === "resolution" && o.value.toLowerCase() === "unresolved") {
        out.empty = true;
      } else {
        named.push(o);
      }
    }
  }
  for (const { value, pos } of named) {
    let found: string[];
    switch (kind) {
      case "user":
        found = await userIds(scope, value);
        break;
      case "project":
        found = await projectKeys(scope, value);
        break;
      case "issueKey":
        found = await issueKeys(scope, value);
        if (found.length === 0) {
          throw jqlError(
            `An issue with key '${value}' does not exist or you do not have permission to see it.`,
            pos,
          );
        }
        break;
      case "category": {
        const category = CATEGORIES[value.toLowerCase()];
        found = category ? [category] : [];
        break;
      }
      case "free":
        found = [value];
        break;
      default:
        found = check
          ? await distinctMatches(scope, sql.raw(`"${kindColumn[kind]}"`), value)
          : [value];
    }
    if (found.length === 0) {
      throw missing(value, field, pos);
    }
    out.values.push(...found);
  }
  out.values = [...new Set(out.values)];
  return out;
}

const kindColumn: Record<"status" | "issuetype" | "priority" | "resolution", string> = {
  status: "status",
  issuetype: "issue_type",
  priority: "priority",
  resolution: "resolution",
};
