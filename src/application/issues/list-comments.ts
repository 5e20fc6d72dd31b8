import { and, asc, eq, sql } from "drizzle-orm";
import { comments } from "../../../drizzle/schema";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, Tx } from "../../infrastructure/db/database";
import {
  type CreatedCursor,
  createdCursorOf,
  liveIssueId,
  loadNames,
  type Names,
  userRef,
} from "./issue-view";

const COLUMNS = {
  id: comments.id,
  instanceId: comments.instanceId,
  jiraId: comments.jiraId,
  authorAccountId: comments.authorAccountId,
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
  body: unknown;
  bodyText: string;
  created: Date;
  updated: Date;
}

/** An issue's comments, oldest first: all of them, or `limit` after the cursor position. */
export function commentRows(
  tx: Tx,
  issueId: string,
  page?: { limit: number; after?: CreatedCursor },
) {
  const after = page?.after;
  const query = tx
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
  rows.map((r) => ({ instanceId: r.instanceId, accountId: r.authorAccountId }));

/** A page of an issue's comments, oldest first, keyset-paginated on (created, id). */
export async function listComments(
  deps: { db: Database; cursors: CursorCodec },
  input: { tenantId: string; instanceId: string; key: string; limit: number; cursor?: string },
) {
  const scope = `comments:${input.tenantId}:${input.instanceId}:${input.key}`;
  const after = input.cursor
    ? createdCursorOf(await deps.cursors.decode(scope, input.cursor))
    : undefined;
  const { rows, names } = await deps.db.withTenant(input.tenantId, async (tx) => {
    const issueId = await liveIssueId(tx, input.instanceId, input.key);
    const rows = await commentRows(tx, issueId, { limit: input.limit, after });
    return { rows, names: await loadNames(tx, commentAuthors(rows)) };
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => commentView(row, names)),
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scope, { t: last.created.toISOString(), id: last.id })
        : null,
  };
}
