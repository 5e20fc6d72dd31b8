import { and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import { issues } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import { type CachedDocument, type ReadThroughDeps, readThrough } from "../../infrastructure/cache";
import type { Database, Tx } from "../../infrastructure/db/database";
import { issueSummary, loadNames, peopleOf } from "./issue-view";
import { changelogAuthors, changelogRows, changelogView } from "./list-changelog";
import { commentAuthors, commentRows, commentView } from "./list-comments";

export interface IssueLink {
  type: string;
  direction: "inward" | "outward";
  key: string;
}

export interface GetIssueInput {
  tenantId: string;
  instanceId: string;
  key: string;
  include: { comments: boolean; changelog: boolean };
}

// Everything the API shows; not the raw JSON or the search vector, which can be large.
const {
  raw: _raw,
  searchVector: _sv,
  tenantId: _t,
  deletedAt: _d,
  ...columns
} = getTableColumns(issues);

// Ordered so the same stored data always gives the same bytes (and so the same ETag). The outer
// column is qualified by hand: drizzle renders a single-table select's columns bare ("id"),
// which inside this subquery would mean issue_links.id.
const links = sql<IssueLink[]>`coalesce((
  select json_agg(json_build_object('type', l.link_type, 'direction', l.direction,
    'key', l.other_issue_key) order by l.link_type, l.direction, l.other_issue_key)
  from issue_links l where l.issue_id = ${issues}.${sql.identifier(issues.id.name)}), '[]'::json)`;

async function loadIssue(tx: Tx, input: GetIssueInput) {
  const [row] = await tx
    .select({ ...columns, links })
    .from(issues)
    .where(
      and(
        eq(issues.instanceId, input.instanceId),
        eq(issues.key, input.key),
        isNull(issues.deletedAt),
      ),
    );
  if (!row) {
    return undefined;
  }
  const comments = input.include.comments ? await commentRows(tx, row.id) : [];
  const changelog = input.include.changelog ? await changelogRows(tx, row.id) : [];
  const names = await loadNames(tx, [
    ...peopleOf([row]),
    ...commentAuthors(comments),
    ...changelogAuthors(changelog),
  ]);
  return {
    ...issueSummary(row, names),
    descriptionText: row.descriptionText,
    description: row.description ?? null,
    resolution: row.resolution,
    links: row.links,
    ...(input.include.comments ? { comments: comments.map((c) => commentView(c, names)) } : {}),
    ...(input.include.changelog
      ? { changelog: changelog.map((h) => changelogView(h, names)) }
      : {}),
  };
}

export type IssueDetail = NonNullable<Awaited<ReturnType<typeof loadIssue>>>;

/**
 * One live issue of the tenant's instance, serialised with its ETag — from the read cache when
 * the instance has not been synced since it was stored. Deleted, unknown and other tenants'
 * issues are not found (and never cached).
 */
export async function getIssue(
  deps: { db: Database } & ReadThroughDeps,
  input: GetIssueInput,
): Promise<CachedDocument> {
  const include = Object.entries(input.include)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join(",");
  const document = await readThrough(
    deps,
    { tenantId: input.tenantId, instanceId: input.instanceId },
    `issue:${input.key}:${include}`,
    () => deps.db.withTenant(input.tenantId, (tx) => loadIssue(tx, input)),
  );
  if (!document) {
    throw notFound(`Issue ${input.key}`);
  }
  return document;
}
