/**
 * The JQL fields we answer and how each maps onto the jql_issues view: names and aliases as
 * Jira accepts them (case-insensitive), what kind of values they hold and how they sort.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import { customFields, jqlIssues } from "../../../../drizzle/schema";
import { keyNumber, priorityRank } from "../../../../drizzle/schema/issues";
import type { FieldRef } from "../../../domain/jql-query/ast";
import { jqlError } from "../../../domain/jql-query/errors";
import type { Weights } from "../../../domain/jql-query/text-search";
import type { JqlScope } from "./scope";

const v = jqlIssues;

/** How a value written in JQL becomes the stored value it is compared with. */
export type ValueKind =
  | "status"
  | "issuetype"
  | "priority"
  | "resolution"
  | "project"
  | "user"
  | "category"
  | "free"
  | "issueKey";

/** A field's changelog name, for WAS and CHANGED; `byId` when its history holds account ids. */
export interface History {
  field: string;
  byId: boolean;
}

export type FieldSpec =
  | { kind: "scalar"; name: string; column: SQL; values: ValueKind; history?: History }
  | { kind: "array"; name: string; column: SQL; history?: History }
  | { kind: "date"; name: string; column: SQL; dateOnly: boolean }
  | { kind: "text"; name: string; weights: Weights }
  | { kind: "key"; name: string }
  | { kind: "id"; name: string }
  | { kind: "custom"; name: string; fieldId: string; schemaType: string | null }
  | { kind: "sprint"; name: string; fieldId: string };

const SPRINT = "com.pyxis.greenhopper.jira:gh-sprint";

const scalar = (name: string, column: SQL, values: ValueKind, history?: History): FieldSpec => ({
  kind: "scalar",
  name,
  column,
  values,
  history,
});
const date = (name: string, column: SQL, dateOnly = false): FieldSpec => ({
  kind: "date",
  name,
  column,
  dateOnly,
});

const SYSTEM: Record<string, FieldSpec> = {
  project: scalar("project", sql`${v.projectKey}`, "project"),
  key: { kind: "key", name: "key" },
  issuekey: { kind: "key", name: "key" },
  issue: { kind: "key", name: "key" },
  id: { kind: "id", name: "id" },
  issuetype: scalar("issuetype", sql`${v.issueType}`, "issuetype"),
  type: scalar("issuetype", sql`${v.issueType}`, "issuetype"),
  status: scalar("status", sql`${v.status}`, "status", { field: "status", byId: false }),
  statuscategory: scalar("statusCategory", sql`${v.statusCategory}`, "category"),
  priority: scalar("priority", sql`${v.priority}`, "priority", { field: "priority", byId: false }),
  resolution: scalar("resolution", sql`${v.resolution}`, "resolution", {
    field: "resolution",
    byId: false,
  }),
  assignee: scalar("assignee", sql`${v.assigneeAccountId}`, "user", {
    field: "assignee",
    byId: true,
  }),
  reporter: scalar("reporter", sql`${v.reporterAccountId}`, "user", {
    field: "reporter",
    byId: true,
  }),
  creator: scalar("creator", sql`${v.creatorAccountId}`, "user"),
  parent: scalar("parent", sql`${v.parentKey}`, "issueKey"),
  labels: { kind: "array", name: "labels", column: sql`${v.labels}` },
  label: { kind: "array", name: "labels", column: sql`${v.labels}` },
  component: { kind: "array", name: "component", column: sql`${v.components}` },
  fixversion: {
    kind: "array",
    name: "fixVersion",
    column: sql`${v.fixVersions}`,
    history: { field: "Fix Version", byId: false },
  },
  affectedversion: { kind: "array", name: "affectedVersion", column: sql`${v.affectedVersions}` },
  created: date("created", sql`${v.created}`),
  createddate: date("created", sql`${v.created}`),
  updated: date("updated", sql`${v.updated}`),
  updateddate: date("updated", sql`${v.updated}`),
  resolved: date("resolved", sql`${v.resolved}`),
  resolutiondate: date("resolved", sql`${v.resolved}`),
  due: date("due", sql`${v.due}`, true),
  duedate: date("due", sql`${v.due}`, true),
  summary: { kind: "text", name: "summary", weights: "A" },
  description: { kind: "text", name: "description", weights: "B" },
  comment: { kind: "text", name: "comment", weights: "C" },
  text: { kind: "text", name: "text", weights: "ABC" },
};

/** The field names autocomplete offers (one per field, as Jira spells them). */
export const SYSTEM_FIELD_NAMES = [...new Set(Object.values(SYSTEM).map((f) => f.name))]
  .concat("sprint")
  .sort();

const unknownField = (ref: FieldRef) =>
  jqlError(`Field '${ref.name}' does not exist or you do not have permission to view it.`, ref.pos);

/** Resolves a field reference: system fields, `cf[id]`, then custom fields by name (incl. Sprint). */
export async function resolveField(scope: JqlScope, ref: FieldRef): Promise<FieldSpec> {
  const system = SYSTEM[ref.name.toLowerCase()];
  if (system) {
    return system;
  }
  const byId = ref.customId ? eq(customFields.fieldId, `customfield_${ref.customId}`) : undefined;
  const rows = await scope.tx
    .select({
      fieldId: customFields.fieldId,
      name: customFields.name,
      schemaType: customFields.schemaType,
      schemaCustom: customFields.schemaCustom,
    })
    .from(customFields)
    .where(
      and(
        eq(customFields.instanceId, scope.instanceId),
        eq(customFields.custom, true),
        byId ?? sql`lower(${customFields.name}) = lower(${ref.name})`,
      ),
    )
    .limit(2);
  const [row] = rows;
  if (!row) {
    throw unknownField(ref);
  }
  if (rows.length > 1) {
    throw jqlError(
      `The field name '${ref.name}' is ambiguous: use cf[id] (e.g. cf[${rows.map((r) => r.fieldId.replace("customfield_", "")).join("] or cf[")}]).`,
      ref.pos,
    );
  }
  if (row.schemaCustom === SPRINT) {
    return { kind: "sprint", name: row.name, fieldId: row.fieldId };
  }
  return {
    kind: "custom",
    name: ref.customId ? ref.name : row.name,
    fieldId: row.fieldId,
    schemaType: row.schemaType,
  };
}

/** How a field sorts: the expressions (nulls last ascending, as Jira) and their SQL types. */
export function orderOf(spec: FieldSpec, ref: FieldRef): { expressions: SQL[]; types: string[] } {
  switch (spec.kind) {
    case "key":
      return { expressions: [sql`${v.projectKey}`, keyNumber(v.key)], types: ["text", "int"] };
    case "id":
      return { expressions: [sql`(${v.jiraId})::bigint`], types: ["bigint"] };
    case "date":
      return { expressions: [spec.column], types: [spec.dateOnly ? "date" : "timestamptz"] };
    case "scalar":
      if (spec.values === "priority") {
        return { expressions: [sql`nullif(${priorityRank(v.priority)}, 0)`], types: ["int"] };
      }
      if (spec.values === "user") {
        // Jira sorts people by display name.
        return {
          expressions: [
            sql`(select u.display_name from users u where u.instance_id = ${v.instanceId} and u.account_id = ${spec.column})`,
          ],
          types: ["text"],
        };
      }
      if (spec.values === "project") {
        return {
          expressions: [
            sql`(select p.name from projects p where p.instance_id = ${v.instanceId} and p.key = ${v.projectKey})`,
          ],
          types: ["text"],
        };
      }
      return { expressions: [sql`lower(${spec.column})`], types: ["text"] };
    case "array":
      return { expressions: [sql`lower(${spec.column}[1])`], types: ["text"] };
    case "text":
      if (spec.name === "summary") {
        return { expressions: [sql`lower(${v.summary})`], types: ["text"] };
      }
      break;
    case "custom":
      if (spec.schemaType === "number") {
        return {
          expressions: [
            sql`(case when jsonb_typeof(${v.customFields} -> ${spec.fieldId}) = 'number' then (${v.customFields} ->> ${spec.fieldId})::numeric end)`,
          ],
          types: ["numeric"],
        };
      }
      return {
        expressions: [
          sql`lower(coalesce(${v.customFields} -> ${spec.fieldId} ->> 'value', ${v.customFields} -> ${spec.fieldId} ->> 'name', ${v.customFields} ->> ${spec.fieldId}))`,
        ],
        types: ["text"],
      };
    default:
      break;
  }
  throw jqlError(`Field '${ref.name}' does not support sorting.`, ref.pos);
}
