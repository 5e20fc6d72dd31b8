/** The API's shapes of issues and the people on them, from stored rows. */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { issues, users } from "../../../drizzle/schema";
import { invalid, notFound } from "../../domain/errors";
import type { Tx } from "../../infrastructure/db/database";

export interface UserRef {
  accountId: string;
  displayName: string | null;
}

/** Display names by `${instanceId}:${accountId}`. */
export type Names = ReadonlyMap<string, string>;

export const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The display names of these (instance, account) pairs, in one query; unknown ones are absent. */
export async function loadNames(
  tx: Tx,
  refs: readonly { instanceId: string; accountId: string | null }[],
): Promise<Names> {
  const wanted = refs.filter((r): r is { instanceId: string; accountId: string } => !!r.accountId);
  if (wanted.length === 0) {
    return new Map();
  }
  const rows = await tx
    .select({
      instanceId: users.instanceId,
      accountId: users.accountId,
      displayName: users.displayName,
    })
    .from(users)
    .where(
      and(
        inArray(users.instanceId, [...new Set(wanted.map((r) => r.instanceId))]),
        sql`${users.accountId} = any(${sql.param([...new Set(wanted.map((r) => r.accountId))])}::text[])`,
      ),
    );
  return new Map(rows.map((r) => [`${r.instanceId}:${r.accountId}`, r.displayName]));
}

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

/** Both people of each row, for `loadNames`. */
export const peopleOf = (rows: readonly IssueSummaryRow[]) =>
  rows.flatMap((r) => [
    { instanceId: r.instanceId, accountId: r.assigneeAccountId },
    { instanceId: r.instanceId, accountId: r.reporterAccountId },
  ]);

/** The row id of a live issue of the instance, by key; another tenant's is not found (RLS). */
export async function liveIssueId(tx: Tx, instanceId: string, key: string): Promise<string> {
  const [row] = await tx
    .select({ id: issues.id })
    .from(issues)
    .where(and(eq(issues.instanceId, instanceId), eq(issues.key, key), isNull(issues.deletedAt)));
  if (!row) {
    throw notFound(`Issue ${key}`);
  }
  return row.id;
}

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
