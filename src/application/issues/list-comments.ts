import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { comments } from "../../../drizzle/schema";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, ReadDb } from "../../infrastructure/db/database";
import { type ChildPageInput, pageOfIssueChildren } from "./issue-children-page";
import { type CreatedCursor, displayNameOf, type Names, userRef } from "./issue-view";

const COLUMNS = {
  id: comments.id,
  instanceId: comments.instanceId,
  jiraId: comments.jiraId,
  authorAccountId: comments.authorAccountId,
  authorName: displayNameOf("comments", "author_account_id"),
  body: comments.body,
  bodyText: comments.bodyText,
  created: comments.created,
  updated: comments.updated,
};

interface CommentRow {
  id: string;
  instanceId: string;
  jiraId: string;
  authorAccountId: string | null;
  authorName: string | null;
  body: unknown;
  bodyText: string;
  created: Date;
  updated: Date;
}

/** An issue's comments, oldest first: all of them, or `limit` after the cursor position. */
export function commentRows(
  db: ReadDb,
  issueId: SQL,
  page?: { limit: number; after?: CreatedCursor },
) {
  const after = page?.after;
  const query = db
    .select(COLUMNS)
    .from(comments)
    .where(
      and(
        eq(comments.issueId, issueId),
        // One row comparison: a range on the ({issue_id, created, id}) index.
        after
          ? sql`(${comments.created}, ${comments.id}) > (${after.t}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(comments.created), asc(comments.id));
  return page ? query.limit(page.limit + 1) : query;
}

export const commentView = (row: CommentRow, names: Names) => ({
  id: row.id,
  jiraId: row.jiraId,
  author: userRef(names, row.instanceId, row.authorAccountId),
  body: row.body ?? null,
  bodyText: row.bodyText,
  created: row.created.toISOString(),
  updated: row.updated.toISOString(),
});

export const commentAuthors = (rows: readonly CommentRow[]) =>
  rows.map((r) => ({
    instanceId: r.instanceId,
    accountId: r.authorAccountId,
    displayName: r.authorName,
  }));

/** A page of an issue's comments, oldest first. */
export function listComments(deps: { db: Database; cursors: CursorCodec }, input: ChildPageInput) {
  return pageOfIssueChildren(deps, input, "comments", commentRows, commentView);
}
