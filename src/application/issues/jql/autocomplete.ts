/**
 * Suggestions for a JQL editor, from the mirror: field names (system and the site's custom
 * fields), and the values one field holds on the instance, matching a typed prefix.
 */
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import {
  customFields,
  jiraInstances,
  jqlIssues,
  projects,
  users,
} from "../../../../drizzle/schema";
import { notFound } from "../../../domain/errors";
import type { Database } from "../../../infrastructure/db/database";
import { jqlError } from "../../../domain/jql-query/errors";
import { SYSTEM_FIELD_NAMES } from "./fields";

export interface Suggestion {
  /** What to insert into the query. */
  value: string;
  displayName: string;
}

const v = jqlIssues;
const LIMIT = 20;

/** Values of a text (or text[]) column of the issues, most common first. */
const COLUMNS: Record<string, { column: SQL; array?: boolean }> = {
  status: { column: sql`${v.status}` },
  priority: { column: sql`${v.priority}` },
  issuetype: { column: sql`${v.issueType}` },
  type: { column: sql`${v.issueType}` },
  resolution: { column: sql`${v.resolution}` },
  labels: { column: sql`${v.labels}`, array: true },
  component: { column: sql`${v.components}`, array: true },
  fixversion: { column: sql`${v.fixVersions}`, array: true },
  affectedversion: { column: sql`${v.affectedVersions}`, array: true },
};
const USER_FIELDS = new Set(["assignee", "reporter", "creator"]);
const CATEGORIES = ["To Do", "In Progress", "Done"];

const like = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function jqlAutocomplete(
  deps: { db: Database },
  input: { tenantId: string; instanceId: string; field?: string; prefix: string },
): Promise<{ fields: Suggestion[] } | { values: Suggestion[] }> {
  const prefix = input.prefix.toLowerCase();
  return deps.db.withTenant(input.tenantId, async (tx) => {
    const [instance] = await tx
      .select({ id: jiraInstances.id })
      .from(jiraInstances)
      .where(eq(jiraInstances.id, input.instanceId));
    if (!instance) {
      throw notFound("Jira instance");
    }
    if (input.field === undefined) {
      const custom = await tx
        .select({ fieldId: customFields.fieldId, name: customFields.name })
        .from(customFields)
        .where(
          and(
            eq(customFields.instanceId, input.instanceId),
            eq(customFields.custom, true),
            sql`lower(${customFields.name}) like ${like(prefix)}`,
          ),
        )
        .orderBy(asc(customFields.name))
        .limit(LIMIT);
      const system = SYSTEM_FIELD_NAMES.filter((f) => f.toLowerCase().startsWith(prefix));
      return {
        fields: [
          ...system.map((name) => ({ value: name, displayName: name })),
          ...custom.map((f) => ({
            value: /^[\w]+$/.test(f.name) ? f.name : `"${f.name.replace(/"/g, '\\"')}"`,
            displayName: `${f.name} - cf[${f.fieldId.replace("customfield_", "")}]`,
          })),
        ].slice(0, LIMIT),
      };
    }
    const field = input.field.toLowerCase();
    if (USER_FIELDS.has(field)) {
      const rows = await tx
        .select({ accountId: users.accountId, displayName: users.displayName })
        .from(users)
        .where(
          and(
            eq(users.instanceId, input.instanceId),
            sql`lower(${users.displayName}) like ${like(prefix)}`,
          ),
        )
        .orderBy(asc(users.displayName))
        .limit(LIMIT);
      return { values: rows.map((r) => ({ value: r.accountId, displayName: r.displayName })) };
    }
    if (field === "project") {
      const rows = await tx
        .select({ key: projects.key, name: projects.name })
        .from(projects)
        .where(
          and(
            eq(projects.instanceId, input.instanceId),
            sql`(lower(${projects.key}) like ${like(prefix)} or lower(${projects.name}) like ${like(prefix)})`,
          ),
        )
        .orderBy(asc(projects.key))
        .limit(LIMIT);
      return { values: rows.map((r) => ({ value: r.key, displayName: `${r.name} (${r.key})` })) };
    }
    if (field === "statuscategory") {
      const names = CATEGORIES.filter((c) => c.toLowerCase().startsWith(prefix));
      return { values: names.map((name) => ({ value: name, displayName: name })) };
    }
    const spec = COLUMNS[field];
    if (!spec) {
      throw jqlError(`Field '${input.field}' has no value suggestions.`);
    }
    const value = spec.array ? sql`unnest(${spec.column})` : spec.column;
    const rows = await tx.execute(
      sql`select value, count(*)::int as n from (select ${value} as value from ${v} where ${v.instanceId} = ${input.instanceId}) s
        where value is not null and lower(value) like ${like(prefix)} group by value order by n desc, value limit ${LIMIT}`,
    );
    const values = (rows.rows as { value: string }[]).map((r) => ({
      value: r.value,
      displayName: r.value,
    }));
    return { values };
  });
}
