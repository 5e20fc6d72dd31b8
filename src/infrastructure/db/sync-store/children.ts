/**
 * Replacing an issue's comments, changelog histories and links with the set of a newly written
 * version: rows of those issues that are not in the new set are deleted, the rest upserted — a
 * few multi-row statements per batch, never one per comment.
 */
import { and, eq, sql } from "drizzle-orm";
import { changelogs, comments, issueLinks } from "../../../../drizzle/schema";
import type { IssueRecord } from "../../../domain/issue-record";
import type { Tx } from "../database";
import { chunks, excluded, owner, type SyncScope, textArray, uuidArray } from "./scope";

/** A record the upsert actually wrote, with the row id it has. */
export interface WrittenIssue {
  id: string;
  record: IssueRecord;
}

/** ≤ 10 columns per row: 500 rows stay far below the bind-parameter limit. */
const ROWS_PER_STATEMENT = 500;

const owned = (scope: SyncScope, table: typeof comments | typeof changelogs | typeof issueLinks) =>
  and(eq(table.tenantId, scope.tenantId), eq(table.instanceId, scope.instanceId));

async function replaceComments(tx: Tx, scope: SyncScope, written: readonly WrittenIssue[]) {
  const rows = written.flatMap(({ id, record }) =>
    record.comments.map((c) => ({ ...c, ...owner(scope), issueId: id })),
  );
  await tx
    .delete(comments)
    .where(
      and(
        owned(scope, comments),
        sql`${comments.issueId} = any(${uuidArray(written.map((w) => w.id))})`,
        sql`${comments.jiraId} <> all(${textArray(rows.map((r) => r.jiraId))})`,
      ),
    );
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    await tx
      .insert(comments)
      .values(part)
      .onConflictDoUpdate({
        target: [comments.tenantId, comments.instanceId, comments.jiraId],
        set: {
          issueId: excluded(comments.issueId),
          authorAccountId: excluded(comments.authorAccountId),
          body: excluded(comments.body),
          bodyText: excluded(comments.bodyText),
          created: excluded(comments.created),
          updated: excluded(comments.updated),
          raw: excluded(comments.raw),
        },
      });
  }
}

async function replaceChangelogs(tx: Tx, scope: SyncScope, written: readonly WrittenIssue[]) {
  const rows = written.flatMap(({ id, record }) =>
    record.changelogs.map((h) => ({ ...h, ...owner(scope), issueId: id })),
  );
  await tx
    .delete(changelogs)
    .where(
      and(
        owned(scope, changelogs),
        sql`${changelogs.issueId} = any(${uuidArray(written.map((w) => w.id))})`,
        sql`${changelogs.jiraId} <> all(${textArray(rows.map((r) => r.jiraId))})`,
      ),
    );
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    await tx
      .insert(changelogs)
      .values(part)
      .onConflictDoUpdate({
        target: [changelogs.tenantId, changelogs.instanceId, changelogs.jiraId],
        set: {
          issueId: excluded(changelogs.issueId),
          authorAccountId: excluded(changelogs.authorAccountId),
          created: excluded(changelogs.created),
          items: excluded(changelogs.items),
        },
      });
  }
}

async function replaceLinks(tx: Tx, scope: SyncScope, written: readonly WrittenIssue[]) {
  const rows = written.flatMap(({ id, record }) =>
    record.links.map((l) => ({ ...l, ...owner(scope), issueId: id })),
  );
  // A link id is on both of its issues, so "kept" means the (issue, link) pair.
  const kept = rows.map((r) => `${r.issueId}/${r.jiraId}`);
  await tx
    .delete(issueLinks)
    .where(
      and(
        owned(scope, issueLinks),
        sql`${issueLinks.issueId} = any(${uuidArray(written.map((w) => w.id))})`,
        sql`(${issueLinks.issueId}::text || '/' || ${issueLinks.jiraId}) <> all(${textArray(kept)})`,
      ),
    );
  for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
    await tx
      .insert(issueLinks)
      .values(part)
      .onConflictDoUpdate({
        target: [issueLinks.tenantId, issueLinks.instanceId, issueLinks.issueId, issueLinks.jiraId],
        set: {
          linkType: excluded(issueLinks.linkType),
          direction: excluded(issueLinks.direction),
          description: excluded(issueLinks.description),
          otherIssueKey: excluded(issueLinks.otherIssueKey),
          otherIssueJiraId: excluded(issueLinks.otherIssueJiraId),
        },
      });
  }
}

export async function replaceChildren(
  tx: Tx,
  scope: SyncScope,
  written: readonly WrittenIssue[],
): Promise<void> {
  if (written.length === 0) {
    return;
  }
  await replaceComments(tx, scope, written);
  await replaceChangelogs(tx, scope, written);
  await replaceLinks(tx, scope, written);
}
