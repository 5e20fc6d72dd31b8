import { and, asc, eq, sql } from "drizzle-orm";
import { changelogs } from "../../../drizzle/schema";
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
  id: changelogs.id,
  instanceId: changelogs.instanceId,
  jiraId: changelogs.jiraId,
  authorAccountId: changelogs.authorAccountId,
  created: changelogs.created,
  items: changelogs.items,
};

interface ChangelogRow {
  id: string;
  instanceId: string;
  jiraId: string;
  authorAccountId: string | null;
  created: Date;
  items: unknown;
}

/** An issue's change histories, oldest first: all of them, or `limit` after the cursor position. */
export function changelogRows(
  tx: Tx,
  issueId: string,
  page?: { limit: number; after?: CreatedCursor },
) {
  const after = page?.after;
  const query = tx
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
  rows.map((r) => ({ instanceId: r.instanceId, accountId: r.authorAccountId }));

/** A page of an issue's change histories, oldest first, keyset-paginated on (created, id). */
export async function listChangelog(
  deps: { db: Database; cursors: CursorCodec },
  input: { tenantId: string; instanceId: string; key: string; limit: number; cursor?: string },
) {
  const scope = `changelogs:${input.tenantId}:${input.instanceId}:${input.key}`;
  const after = input.cursor
    ? createdCursorOf(await deps.cursors.decode(scope, input.cursor))
    : undefined;
  const { rows, names } = await deps.db.withTenant(input.tenantId, async (tx) => {
    const issueId = await liveIssueId(tx, input.instanceId, input.key);
    const rows = await changelogRows(tx, issueId, { limit: input.limit, after });
    return { rows, names: await loadNames(tx, changelogAuthors(rows)) };
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => changelogView(row, names)),
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scope, { t: last.created.toISOString(), id: last.id })
        : null,
  };
}
