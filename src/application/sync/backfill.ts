import {
  fieldRecord,
  projectRecord,
  recordsOf,
  statusRecord,
  userRecord,
} from "../../domain/catalog-record";
import { projectIssuesJql } from "../../domain/jql";
import { scrubEmails } from "../../domain/pii";
import {
  upsertFields,
  upsertProjects,
  upsertStatuses,
  upsertUsers,
} from "../../infrastructure/db/sync-store";
import { collect } from "../../infrastructure/jira";
import type { SyncContext } from "./context";
import { FULL_ISSUE, storeIssues } from "./store-issues";

/** Where a backfill is; persisted after every step so a restarted object resumes here. */
export interface BackfillCursor {
  phase: "catalog" | "issues" | "done";
  projects: string[];
  projectIndex: number;
  pageToken: string | null;
  issuesSynced: number;
}

export const newBackfillCursor = (): BackfillCursor => ({
  phase: "catalog",
  projects: [],
  projectIndex: 0,
  pageToken: null,
  issuesSynced: 0,
});

/** Fields, statuses, projects and users: small, so one step. Returns the project keys to walk. */
export async function syncCatalog(ctx: SyncContext): Promise<string[]> {
  const fields = recordsOf(await ctx.jira.fields(), fieldRecord);
  const projects = recordsOf(await collect(ctx.jira.projects()), projectRecord);
  const users = recordsOf(
    await scrubEmails(await collect(ctx.jira.users()), ctx.emailKey),
    userRecord,
  );
  // Statuses with their categories: flow analytics classify every status an issue passed through.
  const statuses = recordsOf(await ctx.jira.statuses(), statusRecord);
  await ctx.db.withTenant(ctx.scope.tenantId, async (tx) => {
    await upsertFields(tx, ctx.scope, fields);
    await upsertStatuses(tx, ctx.scope, statuses);
    await upsertProjects(tx, ctx.scope, projects);
    await upsertUsers(tx, ctx.scope, users);
  });
  return projects.map((p) => p.key).sort();
}

/**
 * One unit of backfill work: the catalog, or one page (≤100 issues with their changelogs) of one
 * project. Project by project keeps every JQL bounded, as Jira Cloud requires.
 */
export async function backfillStep(
  ctx: SyncContext,
  cursor: BackfillCursor,
): Promise<BackfillCursor> {
  if (cursor.phase === "catalog") {
    const projects = await syncCatalog(ctx);
    return { ...cursor, phase: projects.length > 0 ? "issues" : "done", projects };
  }
  if (cursor.phase === "done") {
    return cursor;
  }
  const project = cursor.projects[cursor.projectIndex];
  if (project === undefined) {
    return { ...cursor, phase: "done" };
  }
  const page = await ctx.jira.searchJqlPage(
    { jql: projectIssuesJql(project), ...FULL_ISSUE, maxResults: 100 },
    cursor.pageToken ?? undefined,
  );
  await storeIssues(ctx, page.issues);
  const issuesSynced = cursor.issuesSynced + page.issues.length;
  if (page.isLast === false || (page.isLast == null && page.nextPageToken)) {
    return { ...cursor, pageToken: page.nextPageToken ?? null, issuesSynced };
  }
  const projectIndex = cursor.projectIndex + 1;
  return {
    ...cursor,
    projectIndex,
    pageToken: null,
    issuesSynced,
    phase: projectIndex >= cursor.projects.length ? "done" : "issues",
  };
}
