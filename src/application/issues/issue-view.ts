/** The API's shapes of issues and the people on them, from stored rows. */
import { sql } from "drizzle-orm";
import { issues, users } from "../../../drizzle/schema";
import { invalid } from "../../domain/errors";
import type { ReadAccess } from "../../infrastructure/db/database";

export interface UserRef {
  accountId: string;
  displayName: string | null;
}

/** Display names by `${instanceId}:${accountId}`. */
export type Names = ReadonlyMap<string, string>;

export const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/**
 * A correlated subquery for the display name of the account in `table.accountColumn`, so names
 * come with the rows that mention them. Columns are qualified by hand: drizzle renders a
 * single-table select's own columns bare, which inside the subquery would mean the users table's.
 */
export function displayNameOf(
  table: string,
  accountColumn: string,
  instanceColumn = "instance_id",
) {
  const outer = (name: string) => sql`${sql.identifier(table)}.${sql.identifier(name)}`;
  return sql<string | null>`(select u.display_name from ${users} u
    where u.instance_id = ${outer(instanceColumn)} and u.account_id = ${outer(accountColumn)})`;
}

/** The names that came with rows, as `Names`. */
export function namesOf(
  entries: readonly { instanceId: string; accountId: string | null; displayName: string | null }[],
): Names {
  const names = new Map<string, string>();
  for (const { instanceId, accountId, displayName } of entries) {
    if (accountId && displayName !== null) {
      names.set(`${instanceId}:${accountId}`, displayName);
    }
  }
  return names;
}

/** The names of the assignees and reporters that came with issue rows. */
export const namesOfPeople = (
  rows: readonly (IssueSummaryRow & { assigneeName: string | null; reporterName: string | null })[],
) =>
  namesOf(
    rows.flatMap((r) => [
      { instanceId: r.instanceId, accountId: r.assigneeAccountId, displayName: r.assigneeName },
      { instanceId: r.instanceId, accountId: r.reporterAccountId, displayName: r.reporterName },
    ]),
  );

/**
 * Whose cursors these are: the tenant, or — before the key is checked, inside the same round
 * trip as the read — the API key. Either way a cursor only works for the caller it was issued to.
 */
export const cursorOwner = (access: ReadAccess) =>
  "tenantId" in access ? `t:${access.tenantId}` : `k:${access.keyHash}`;

export const userRef = (names: Names, instanceId: string, accountId: string | null) =>
  accountId ? { accountId, displayName: names.get(`${instanceId}:${accountId}`) ?? null } : null;

/** The columns an issue in a list shows (the view of one issue adds its description and links). */
export interface IssueSummaryRow {
  id: string;
  instanceId: string;
  jiraId: string;
  key: string;
  projectKey: string;
  summary: string;
  status: string | null;
  statusCategory: string | null;
  issueType: string | null;
  priority: string | null;
  assigneeAccountId: string | null;
  reporterAccountId: string | null;
  labels: string[];
  components: string[];
  fixVersions: string[];
  parentKey: string | null;
  created: Date;
  updated: Date;
  resolved: Date | null;
  customFields: unknown;
  commentsCount: number;
  changelogCount: number;
}

export function issueSummary(row: IssueSummaryRow, names: Names) {
  return {
    id: row.id,
    instanceId: row.instanceId,
    jiraId: row.jiraId,
    key: row.key,
    projectKey: row.projectKey,
    summary: row.summary,
    status: row.status,
    statusCategory: row.statusCategory,
    type: row.issueType,
    priority: row.priority,
    assignee: userRef(names, row.instanceId, row.assigneeAccountId),
    reporter: userRef(names, row.instanceId, row.reporterAccountId),
    labels: row.labels,
    components: row.components,
    fixVersions: row.fixVersions,
    parentKey: row.parentKey,
    created: row.created.toISOString(),
    updated: row.updated.toISOString(),
    resolved: iso(row.resolved),
    customFields: (row.customFields ?? {}) as Record<string, unknown>,
    commentsCount: row.commentsCount,
    changelogCount: row.changelogCount,
  };
}

export type IssueSummary = ReturnType<typeof issueSummary>;

/** The live issue of the instance with this key, as a subquery (its id) for one-round-trip reads. */
export const liveIssueIdQuery = (instanceId: string, key: string) =>
  sql`(select i.id from ${issues} i where i.instance_id = ${instanceId}
    and i.key = ${key} and i.deleted_at is null)`;

/** Keyset bounds for lists ordered oldest first on (created, id). */
export interface CreatedCursor {
  t: string;
  id: string;
}

export function createdCursorOf(payload: unknown): CreatedCursor {
  const c = payload as Partial<CreatedCursor> | null;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (typeof c?.t !== "string" || !uuid.test(String(c.id)) || Number.isNaN(Date.parse(c.t))) {
    throw invalid("The cursor is invalid or belongs to another query.", [
      { path: "cursor", message: "not a cursor this list issued" },
    ]);
  }
  return { t: c.t, id: String(c.id) };
}
