import { and, eq } from "drizzle-orm";
import { jiraInstances, jqlIssues } from "../../../drizzle/schema";
import { invalid, notFound } from "../../domain/errors";
import { isTimeZone } from "../../domain/jql-query/dates";
import { parseJql } from "../../domain/jql-query/parser";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, Tx } from "../../infrastructure/db/database";
import { displayNameOf, type IssueSummary, issueSummary, namesOfPeople } from "./issue-view";
import { afterRow, type CompiledJql, compileJql, orderByOf, sortValuesOf } from "./jql/compile";
import type { JqlScope } from "./jql/scope";

const v = jqlIssues;
const COLUMNS = {
  ...{ id: v.id, instanceId: v.instanceId, jiraId: v.jiraId, key: v.key, projectKey: v.projectKey },
  ...{ summary: v.summary, status: v.status, statusCategory: v.statusCategory },
  ...{ issueType: v.issueType, priority: v.priority, assigneeAccountId: v.assigneeAccountId },
  ...{ reporterAccountId: v.reporterAccountId, labels: v.labels, components: v.components },
  ...{ fixVersions: v.fixVersions, parentKey: v.parentKey, created: v.created },
  ...{ updated: v.updated, resolved: v.resolved, customFields: v.customFields },
  ...{ commentsCount: v.commentsCount, changelogCount: v.changelogCount },
  assigneeName: displayNameOf("jql_issues", "assignee_account_id"),
  reporterName: displayNameOf("jql_issues", "reporter_account_id"),
};

export interface SearchJqlInput {
  tenantId: string;
  instanceId: string;
  jql: string;
  limit: number;
  cursor?: string;
}

/** A cursor continues its own query at the instant the first page was computed. */
interface JqlCursor {
  k: (string | null)[];
  n: number;
}

function cursorOf(payload: unknown): JqlCursor {
  const c = payload as Partial<JqlCursor> | null;
  const ok =
    Array.isArray(c?.k) &&
    c.k.every((x) => x === null || typeof x === "string") &&
    Number.isSafeInteger(c?.n);
  if (!ok || !c) {
    throw invalid("The cursor is invalid or belongs to another query.", [
      { path: "cursor", message: "not a cursor this list issued" },
    ]);
  }
  return c as JqlCursor;
}

export async function jqlScopeOf(
  tx: Tx,
  instanceId: string,
  now: number,
  emailKey: CryptoKey,
): Promise<JqlScope> {
  const [instance] = await tx
    .select({ settings: jiraInstances.settings })
    .from(jiraInstances)
    .where(eq(jiraInstances.id, instanceId));
  if (!instance) {
    throw notFound("Jira instance");
  }
  const zone = instance.settings.jiraTimeZone;
  return {
    tx,
    instanceId,
    now,
    timeZone: zone && isTimeZone(zone) ? zone : "UTC",
    accountId: instance.settings.jiraAccountId ?? null,
    emailKey,
  };
}

/**
 * The page query exactly as a JQL search runs it, one row more than the page to tell whether
 * another follows. The query-plan test EXPLAINs what this builds.
 */
export function jqlPageQuery(
  tx: Tx,
  compiled: CompiledJql,
  page: { instanceId: string; limit: number; after?: readonly (string | null)[] },
) {
  const conditions = [eq(v.instanceId, page.instanceId), compiled.where];
  if (page.after) {
    conditions.push(afterRow(compiled.order, page.after));
  }
  return tx
    .select({ ...COLUMNS, sortValues: sortValuesOf(compiled.order) })
    .from(v)
    .where(and(...conditions))
    .orderBy(...orderByOf(compiled.order))
    .limit(page.limit + 1);
}

/**
 * A page of the instance's live issues matching a JQL query, answered from the mirror in one
 * query under the tenant's transaction (values the JQL names are looked up first, as Jira checks
 * them). Keyset pagination over the JQL's ORDER BY, then key and id.
 */
export async function searchJql(
  deps: {
    db: Database;
    cursors: CursorCodec;
    emailKeyOf: (tenantId: string) => Promise<CryptoKey>;
  },
  input: SearchJqlInput,
): Promise<{ items: IssueSummary[]; nextCursor: string | null }> {
  const query = parseJql(input.jql);
  const scopeKey = `jql:${input.tenantId}:${input.instanceId}:${input.jql}`;
  const start = input.cursor ? cursorOf(await deps.cursors.decode(scopeKey, input.cursor)) : null;
  const now = start?.n ?? Date.now();
  const emailKey = await deps.emailKeyOf(input.tenantId);
  const rows = await deps.db.withTenant(input.tenantId, async (tx) => {
    const scope = await jqlScopeOf(tx, input.instanceId, now, emailKey);
    const compiled = await compileJql(scope, query);
    return jqlPageQuery(tx, compiled, {
      instanceId: input.instanceId,
      limit: input.limit,
      after: start?.k,
    });
  });
  const page = rows.slice(0, input.limit);
  const names = namesOfPeople(page);
  const last = page.at(-1);
  return {
    items: page.map((row) => issueSummary(row, names)),
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scopeKey, { k: last.sortValues, n: now })
        : null,
  };
}
