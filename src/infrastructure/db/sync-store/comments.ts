/**
 * Single-comment changes from webhooks (comment created / updated / deleted) on an issue that is
 * already stored. Counts and the search vector of the issue are recomputed from what is stored.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { comments, issues } from "../../../../drizzle/schema";
import type { CommentRow } from "../../../domain/comment-record";
import type { Tx } from "../database";
import { refreshIssueAggregates } from "./aggregates";
import { excluded, owner, type SyncScope } from "./scope";

/** `applied`; `stale` (a newer edit of the comment is stored); `issue_missing` (fetch the issue). */
export type CommentUpsertOutcome = "applied" | "stale" | "issue_missing";

export async function upsertComment(
  tx: Tx,
  scope: SyncScope,
  issueJiraId: string,
  comment: CommentRow,
): Promise<CommentUpsertOutcome> {
  const [issue] = await tx
    .select({ id: issues.id })
    .from(issues)
    .where(
      and(
        eq(issues.tenantId, scope.tenantId),
        eq(issues.instanceId, scope.instanceId),
        eq(issues.jiraId, issueJiraId),
        isNull(issues.deletedAt),
      ),
    )
    .limit(1);
  if (!issue) {
    return "issue_missing";
  }
  const rows = await tx
    .insert(comments)
    .values({ ...comment, ...owner(scope), issueId: issue.id })
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
      // Deliveries arrive out of order: an older edit of the comment never replaces a newer one.
      setWhere: sql`${comments.updated} <= excluded.updated`,
    })
    .returning({ id: comments.id });
  if (rows.length === 0) {
    return "stale";
  }
  await refreshIssueAggregates(tx, [issue.id]);
  return "applied";
}

/** Deletes a comment by its Jira id; false when it was not stored. */
export async function deleteComment(
  tx: Tx,
  scope: SyncScope,
  commentJiraId: string,
): Promise<boolean> {
  const rows = await tx
    .delete(comments)
    .where(
      and(
        eq(comments.tenantId, scope.tenantId),
        eq(comments.instanceId, scope.instanceId),
        eq(comments.jiraId, commentJiraId),
      ),
    )
    .returning({ issueId: comments.issueId });
  await refreshIssueAggregates(
    tx,
    rows.map((r) => r.issueId),
  );
  return rows.length > 0;
}
