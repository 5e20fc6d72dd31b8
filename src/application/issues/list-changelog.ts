import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { changelogs } from "../../../drizzle/schema";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, ReadDb } from "../../infrastructure/db/database";
import { type ChildPageInput, pageOfIssueChildren } from "./issue-children-page";
import { type CreatedCursor, displayNameOf, type Names, userRef } from "./issue-view";

const COLUMNS = {
  id: changelogs.id,
  instanceId: changelogs.instanceId,
  jiraId: changelogs.jiraId,
  authorAccountId: changelogs.authorAccountId,
  authorName: displayNameOf("changelogs", "author_account_id"),
  created: changelogs.created,
  items: changelogs.items,
};

interface ChangelogRow {
  id: string;
  instanceId: string;
  jiraId: string;
  authorAccountId: string | null;
  authorName: string | null;
  created: Date;
  items: unknown;
}

/** An issue's change histories, oldest first: all of them, or `limit` after the cursor position. */
export function changelogRows(
  db: ReadDb,
  issueId: SQL,
  page?: { limit: number; after?: CreatedCursor },
) {
  const after = page?.after;
  const query = db
    .select(COLUMNS)
    .from(changelogs)
    .where(
      and(
        eq(changelogs.issueId, issueId),
        // One row comparison: a range on the ({issue_id, created, id}) index.
        after
          ? sql`(${changelogs.created}, ${changelogs.id}) > (${after.t}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(changelogs.created), asc(changelogs.id));
  return page ? query.limit(page.limit + 1) : query;
}

export const changelogView = (row: ChangelogRow, names: Names) => ({
  id: row.id,
  jiraId: row.jiraId,
  author: userRef(names, row.instanceId, row.authorAccountId),
  created: row.created.toISOString(),
  items: Array.isArray(row.items) ? (row.items as unknown[]) : [],
});

export const changelogAuthors = (rows: readonly ChangelogRow[]) =>
  rows.map((r) => ({
    instanceId: r.instanceId,
    accountId: r.authorAccountId,
    displayName: r.authorName,
  }));

/** A page of an issue's change histories, oldest first. */
export function listChangelog(deps: { db: Database; cursors: CursorCodec }, input: ChildPageInput) {
  return pageOfIssueChildren(deps, input, "changelogs", changelogRows, changelogView);
}
