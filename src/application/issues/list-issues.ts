import { and, inArray, sql } from "drizzle-orm";
import { issuesLive, jiraInstances } from "../../../drizzle/schema";
import { invalid, notFound } from "../../domain/errors";
import { type IssueQuery, issueQueryFingerprint } from "../../domain/issue-query";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, ReadAccess, ReadDb } from "../../infrastructure/db/database";
import { after, filterConditions, orderBy, sortKey, sortValues } from "./issue-filters";
import {
  cursorOwner,
  displayNameOf,
  type IssueSummary,
  issueSummary,
  namesOfPeople,
} from "./issue-view";

const live = issuesLive;
/** Matches no instance: keeps the statement list the same shape when none is named. */
const NO_INSTANCE = "00000000-0000-0000-0000-000000000000";

const SUMMARY_COLUMNS = {
  id: live.id,
  instanceId: live.instanceId,
  jiraId: live.jiraId,
  key: live.key,
  projectKey: live.projectKey,
  summary: live.summary,
  status: live.status,
  statusCategory: live.statusCategory,
  issueType: live.issueType,
  priority: live.priority,
  assigneeAccountId: live.assigneeAccountId,
  reporterAccountId: live.reporterAccountId,
  labels: live.labels,
  components: live.components,
  fixVersions: live.fixVersions,
  parentKey: live.parentKey,
  created: live.created,
  updated: live.updated,
  resolved: live.resolved,
  customFields: live.customFields,
  commentsCount: live.commentsCount,
  changelogCount: live.changelogCount,
  // The people's display names come with the page: no second query, no second round trip.
  assigneeName: displayNameOf("issues_live", "assignee_account_id"),
  reporterName: displayNameOf("issues_live", "reporter_account_id"),
};

export interface IssuePageInput {
  query: IssueQuery;
  limit: number;
  /** Sort values (as text, id last) of the row the page starts after. */
  after?: readonly string[];
}

/**
 * The page query exactly as `GET /v1/issues` runs it, one row more than the page to tell whether
 * another follows. The query-plan test EXPLAINs what this builds.
 */
export function issuePageQuery(db: ReadDb, input: IssuePageInput) {
  const key = sortKey(input.query.sort, input.query.filters.q);
  const conditions = filterConditions(input.query.filters);
  if (input.after) {
    conditions.push(after(key, input.after));
  }
  return db
    .select({ ...SUMMARY_COLUMNS, sortValues: sortValues(key) })
    .from(live)
    .where(and(...conditions))
    .orderBy(...orderBy(key))
    .limit(input.limit + 1);
}

function afterOf(payload: unknown, length: number): string[] {
  const values = (payload as { k?: unknown } | null)?.k;
  if (
    !Array.isArray(values) ||
    values.length !== length ||
    values.some((v) => typeof v !== "string")
  ) {
    throw invalid("The cursor is invalid or belongs to another query.", [
      { path: "cursor", message: "not a cursor this list issued" },
    ]);
  }
  return values as string[];
}

export interface ListIssuesInput {
  access: ReadAccess;
  query: IssueQuery;
  limit: number;
  cursor?: string;
}

/**
 * A page of the tenant's live issues matching the query. Keyset pagination on (sort values, id):
 * a row whose sort value does not change is listed exactly once however rows change around it;
 * the cursor is signed for this caller and this exact query (a tampered or foreign one is a 400).
 * One round trip: the key check, the page and the people's names travel together.
 */
export async function listIssues(
  deps: { db: Database; cursors: CursorCodec },
  input: ListIssuesInput,
): Promise<{ items: IssueSummary[]; nextCursor: string | null }> {
  const scope = `issues:${cursorOwner(input.access)}:${issueQueryFingerprint(input.query)}`;
  const length = sortKey(input.query.sort, input.query.filters.q).types.length;
  const start = input.cursor
    ? afterOf(await deps.cursors.decode(scope, input.cursor), length)
    : undefined;
  const wanted = input.query.filters.instanceIds;
  const {
    results: [rows, known],
  } = await deps.db.read(input.access, (db) => [
    issuePageQuery(db, { query: input.query, limit: input.limit, after: start }),
    // Which of the named instances are the caller's (RLS): another tenant's is a 404, not a
    // silently empty page.
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(jiraInstances)
      .where(inArray(jiraInstances.id, wanted.length > 0 ? wanted : [NO_INSTANCE])),
  ]);
  if (wanted.length > 0 && (known[0]?.count ?? 0) < new Set(wanted).size) {
    throw notFound("Jira instance");
  }
  const page = rows.slice(0, input.limit);
  const names = namesOfPeople(page);
  const last = page.at(-1);
  return {
    items: page.map((row) => issueSummary(row, names)),
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scope, { k: last.sortValues })
        : null,
  };
}
