/**
 * Reading issues back as records — the same shape a fresh Jira fetch maps to — so reconciliation
 * can compare stored and fetched content with one digest function.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { changelogs, comments, issueLinks, issues } from "../../../../drizzle/schema";
import { chronological } from "../../../domain/comment-record";
import type { IssueRecord, IssueRow } from "../../../domain/issue-record";
import { obj } from "../../../domain/json-record";
import type { Tx } from "../database";
import { type IssueDigest, issueRecordDigest } from "./digest";
import { chunks, type SyncScope, textArray, uuidArray } from "./scope";

const IDS_PER_READ = 500;

type IssueSelect = typeof issues.$inferSelect;

function issueRow(row: IssueSelect): IssueRow {
  return {
    jiraId: row.jiraId,
    key: row.key,
    projectKey: row.projectKey,
    projectId: row.projectId,
    summary: row.summary,
    description: row.description ?? null,
    descriptionText: row.descriptionText,
    status: row.status,
    statusId: row.statusId,
    statusCategory: row.statusCategory,
    issueType: row.issueType,
    isSubtask: row.isSubtask,
    priority: row.priority,
    priorityId: row.priorityId,
    assigneeAccountId: row.assigneeAccountId,
    reporterAccountId: row.reporterAccountId,
    labels: row.labels,
    components: row.components,
    fixVersions: row.fixVersions,
    parentKey: row.parentKey,
    resolution: row.resolution,
    created: row.created,
    updated: row.updated,
    resolved: row.resolved,
    customFields: obj(row.customFields),
    raw: obj(row.raw),
  };
}

async function readChunk(tx: Tx, scope: SyncScope, jiraIds: readonly string[]) {
  const rows = await tx
    .select()
    .from(issues)
    .where(
      and(
        eq(issues.tenantId, scope.tenantId),
        eq(issues.instanceId, scope.instanceId),
        sql`${issues.jiraId} = any(${textArray(jiraIds)})`,
        isNull(issues.deletedAt),
      ),
    );
  const records = new Map<string, IssueRecord>();
  for (const row of rows) {
    records.set(row.id, { issue: issueRow(row), comments: [], changelogs: [], links: [] });
  }
  const ids = uuidArray([...records.keys()]);
  const [commentRows, historyRows, linkRows] = await Promise.all([
    tx.select().from(comments).where(sql`${comments.issueId} = any(${ids})`),
    tx.select().from(changelogs).where(sql`${changelogs.issueId} = any(${ids})`),
    tx.select().from(issueLinks).where(sql`${issueLinks.issueId} = any(${ids})`),
  ]);
  for (const c of commentRows) {
    records.get(c.issueId)?.comments.push({
      jiraId: c.jiraId,
      authorAccountId: c.authorAccountId,
      body: c.body ?? null,
      bodyText: c.bodyText,
      created: c.created,
      updated: c.updated,
      raw: obj(c.raw),
    });
  }
  for (const h of historyRows) {
    records.get(h.issueId)?.changelogs.push({
      jiraId: h.jiraId,
      authorAccountId: h.authorAccountId,
      created: h.created,
      items: Array.isArray(h.items) ? h.items : [],
    });
  }
  for (const l of linkRows) {
    records.get(l.issueId)?.links.push({
      jiraId: l.jiraId,
      linkType: l.linkType,
      direction: l.direction,
      description: l.description,
      otherIssueKey: l.otherIssueKey,
      otherIssueJiraId: l.otherIssueJiraId,
    });
  }
  for (const record of records.values()) {
    record.comments.sort(chronological);
    record.changelogs.sort(chronological);
  }
  return records.values();
}

/** Stored live issues among `jiraIds`, as records keyed by jira id (absent ones are missing). */
export async function storedIssueRecords(
  tx: Tx,
  scope: SyncScope,
  jiraIds: readonly string[],
): Promise<Map<string, IssueRecord>> {
  const out = new Map<string, IssueRecord>();
  for (const part of chunks([...new Set(jiraIds)], IDS_PER_READ)) {
    for (const record of await readChunk(tx, scope, part)) {
      out.set(record.issue.jiraId, record);
    }
  }
  return out;
}

/** Digests of the stored live issues among `jiraIds`, equal to `issueRecordDigest` of the same content. */
export async function storedIssueDigests(
  tx: Tx,
  scope: SyncScope,
  jiraIds: readonly string[],
): Promise<Map<string, IssueDigest>> {
  const records = await storedIssueRecords(tx, scope, jiraIds);
  return new Map([...records].map(([jiraId, record]) => [jiraId, issueRecordDigest(record)]));
}
