/**
 * Storing issues so nothing goes stale or backwards. The version guard is in the SQL itself
 * (ON CONFLICT … DO UPDATE … WHERE stored jira_updated <= incoming), so concurrent writers and
 * out-of-order deliveries cannot lose a newer version to an older one: the row lock taken by the
 * upsert serialises them and the loser's row simply does not come back from RETURNING.
 */
import { sql } from "drizzle-orm";
import { issues } from "../../../../drizzle/schema";
import type { StatusRecord } from "../../../domain/catalog-record";
import { compareJiraIds } from "../../../domain/comment-record";
import type { IssueRecord } from "../../../domain/issue-record";
import type { Tx } from "../database";
import { refreshIssueAggregates } from "./aggregates";
import { replaceChildren, type WrittenIssue } from "./children";
import { refreshIssueFlow, upsertStatuses } from "./flow";
import { chunks, excluded, owner, type SyncScope, textArray } from "./scope";

export interface UpsertIssuesResult {
  /** Jira ids whose record was written (inserted, or replaced an older or equal version). */
  written: string[];
  /** Jira ids not written because a newer version is stored (or came later in the batch). */
  skippedStale: string[];
}

/** ~35 columns per row: 100 issues per statement is far below the bind-parameter limit. */
const ISSUES_PER_STATEMENT = 100;

const COPIED = [
  "key",
  "projectKey",
  "projectId",
  "summary",
  "description",
  "descriptionText",
  "status",
  "statusId",
  "statusCategory",
  "issueType",
  "isSubtask",
  "priority",
  "priorityId",
  "assigneeAccountId",
  "reporterAccountId",
  "labels",
  "components",
  "fixVersions",
  "parentKey",
  "resolution",
  "created",
  "updated",
  "resolved",
  "customFields",
  "raw",
  "jiraUpdated",
  "commentsCount",
  "changelogCount",
] as const;

const ON_CONFLICT_SET = {
  ...Object.fromEntries(COPIED.map((column) => [column, excluded(issues[column])])),
  // A version of the issue arrived: it exists (again), whatever was thought before.
  deletedAt: sql`null`,
  syncedAt: sql`now()`,
};

/** Per jira id, then per key, the newest record of the batch (on a tie the later one). */
function newestPerIssue(records: readonly IssueRecord[]): IssueRecord[] {
  const newest = (by: (r: IssueRecord) => string, list: Iterable<IssueRecord>) => {
    const map = new Map<string, IssueRecord>();
    for (const record of list) {
      const seen = map.get(by(record));
      if (!seen || seen.issue.updated.getTime() <= record.issue.updated.getTime()) {
        map.set(by(record), record);
      }
    }
    return map.values();
  };
  const perId = newest((r) => r.issue.jiraId, records);
  // Sorted so concurrent batches lock rows in the same order and cannot deadlock.
  return [...newest((r) => r.issue.key, perId)].sort((a, b) =>
    compareJiraIds(a.issue.jiraId, b.issue.jiraId),
  );
}

/**
 * Jira never gives a key to two issues, so a stored row holding an incoming key under another
 * jira id is a leftover (deleted, or moved without us seeing it): remove it to free the key. If
 * it still exists under a new key, the reconciliation census finds it missing and fetches it.
 */
async function freeKeys(tx: Tx, scope: SyncScope, batch: readonly IssueRecord[]): Promise<void> {
  await tx.execute(sql`
    delete from issues as i
    using unnest(${textArray(batch.map((r) => r.issue.key))},
                 ${textArray(batch.map((r) => r.issue.jiraId))}) as n(key, jira_id)
    where i.tenant_id = ${scope.tenantId} and i.instance_id = ${scope.instanceId}
      and i.key = n.key and i.jira_id <> n.jira_id`);
}

function currentStatus({ issue }: IssueRecord): StatusRecord[] {
  return issue.statusId === null
    ? []
    : [
        {
          jiraId: issue.statusId,
          name: issue.status ?? issue.statusId,
          category: issue.statusCategory,
        },
      ];
}

async function upsertChunk(tx: Tx, scope: SyncScope, batch: readonly IssueRecord[]) {
  await freeKeys(tx, scope, batch);
  const rows = await tx
    .insert(issues)
    .values(
      batch.map(({ issue, comments, changelogs }) => ({
        ...issue,
        ...owner(scope),
        jiraUpdated: issue.updated,
        commentsCount: comments.length,
        changelogCount: changelogs.length,
      })),
    )
    .onConflictDoUpdate({
      target: [issues.tenantId, issues.instanceId, issues.jiraId],
      set: ON_CONFLICT_SET,
      // Equal versions rewrite on purpose: reconciliation repairs silent changes that way.
      setWhere: sql`${issues.jiraUpdated} <= excluded.jira_updated`,
    })
    .returning({ id: issues.id, jiraId: issues.jiraId });
  const ids = new Map(rows.map((row) => [row.jiraId, row.id]));
  const written = batch.flatMap((record): WrittenIssue[] => {
    const id = ids.get(record.issue.jiraId);
    return id === undefined ? [] : [{ id, record }];
  });
  await replaceChildren(tx, scope, written);
  const writtenIds = written.map((w) => w.id);
  await refreshIssueAggregates(tx, writtenIds);
  // Each issue tells the category of its current status; flow facts need every status's.
  await upsertStatuses(
    tx,
    scope,
    written.flatMap(({ record }) => currentStatus(record)),
    writtenIds,
  );
  await refreshIssueFlow(tx, writtenIds);
  return written.map((w) => w.record.issue.jiraId);
}

/**
 * Batch upsert of complete issue records (with their comments, histories and links). Records of
 * issues whose stored version is newer are skipped, children included.
 */
export async function upsertIssues(
  tx: Tx,
  scope: SyncScope,
  records: readonly IssueRecord[],
): Promise<UpsertIssuesResult> {
  const written = new Set<string>();
  for (const batch of chunks(newestPerIssue(records), ISSUES_PER_STATEMENT)) {
    for (const jiraId of await upsertChunk(tx, scope, batch)) {
      written.add(jiraId);
    }
  }
  const skippedStale = new Set(records.map((r) => r.issue.jiraId).filter((id) => !written.has(id)));
  return { written: [...written], skippedStale: [...skippedStale] };
}
