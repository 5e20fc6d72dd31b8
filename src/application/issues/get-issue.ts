import { and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { issues } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import { type TaggedDocument, taggedDocument } from "../../infrastructure/crypto/etag";
import type { Database, ReadAccess, ReadDb } from "../../infrastructure/db/database";
import {
  displayNameOf,
  issueSummary,
  liveIssueIdQuery,
  namesOf,
  namesOfPeople,
} from "./issue-view";
import { changelogAuthors, changelogRows, changelogView } from "./list-changelog";
import { commentAuthors, commentRows, commentView } from "./list-comments";

export interface IssueLink {
  type: string;
  direction: "inward" | "outward";
  key: string;
}

export interface GetIssueInput {
  access: ReadAccess;
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

type Row = typeof issues.$inferSelect & {
  links: IssueLink[];
  assigneeName: string | null;
  reporterName: string | null;
};
type CommentRow = Parameters<typeof commentView>[0] & { authorName: string | null };
type ChangelogRow = Parameters<typeof changelogView>[0] & { authorName: string | null };

/**
 * The statements of one issue's read: the issue (with its links and people's names), then its
 * comments and change histories if `include` asks — found through the issue's key, so all of
 * them travel in one round trip. The query-plan test EXPLAINs exactly these.
 */
export function issueDetailStatements(
  rdb: ReadDb,
  input: Omit<GetIssueInput, "access">,
): [BatchItem<"pg">, ...BatchItem<"pg">[]] {
  const issueId = liveIssueIdQuery(input.instanceId, input.key);
  const statements: [BatchItem<"pg">, ...BatchItem<"pg">[]] = [
    rdb
      .select({
        ...columns,
        links,
        assigneeName: displayNameOf("issues", "assignee_account_id"),
        reporterName: displayNameOf("issues", "reporter_account_id"),
      })
      .from(issues)
      .where(
        and(
          eq(issues.instanceId, input.instanceId),
          eq(issues.key, input.key),
          isNull(issues.deletedAt),
        ),
      ),
  ];
  if (input.include.comments) {
    statements.push(commentRows(rdb, issueId));
  }
  if (input.include.changelog) {
    statements.push(changelogRows(rdb, issueId));
  }
  return statements;
}

async function loadIssue(db: Database, input: GetIssueInput) {
  const { results } = await db.read(input.access, (rdb) => issueDetailStatements(rdb, input));
  const [rows, ...children] = results as unknown[][];
  const row = rows?.[0] as Row | undefined;
  if (!row) {
    return undefined;
  }
  const comments = (input.include.comments ? children.shift() : []) as CommentRow[];
  const changelog = (input.include.changelog ? children.shift() : []) as ChangelogRow[];
  const names = new Map([
    ...namesOfPeople([row]),
    ...namesOf([...commentAuthors(comments), ...changelogAuthors(changelog)]),
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
 * One live issue of the tenant's instance, serialised with its ETag. Deleted, unknown and other
 * tenants' issues are not found.
 */
export async function getIssue(
  deps: { db: Database },
  input: GetIssueInput,
): Promise<TaggedDocument> {
  const issue = await loadIssue(deps.db, input);
  if (!issue) {
    throw notFound(`Issue ${input.key}`);
  }
  return taggedDocument(issue);
}
