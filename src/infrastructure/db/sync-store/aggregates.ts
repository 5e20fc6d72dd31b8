/** Per-issue values derived from its children: comment and changelog counts, the search vector. */
import { sql } from "drizzle-orm";
import type { Tx } from "../database";
import { uuidArray } from "./scope";

/**
 * Caps on the text fed to to_tsvector: a tsvector is limited to 1 MB, and an issue with
 * megabytes of comments must still be storable (its first ~100k characters stay searchable).
 */
const SUMMARY_CHARS = 10_000;
const DESCRIPTION_CHARS = 50_000;
const COMMENT_CHARS = 100_000;

/**
 * Recomputes `comments_count`, `changelog_count` and `search_vector` (summary A, description B,
 * all comment texts C) of the given issues (row ids) from what is stored, in one statement.
 * Reading the stored comments, not the caller's copy, keeps the result the same whichever path
 * (batch upsert, one webhook comment) changed them.
 */
export async function refreshIssueAggregates(tx: Tx, issueIds: readonly string[]): Promise<void> {
  if (issueIds.length === 0) {
    return;
  }
  await tx.execute(sql`
    update issues as i set
      comments_count = c.n,
      changelog_count = h.n,
      search_vector =
        setweight(to_tsvector('english', left(i.summary, ${sql.raw(String(SUMMARY_CHARS))})), 'A')
        || setweight(to_tsvector('english', left(i.description_text, ${sql.raw(String(DESCRIPTION_CHARS))})), 'B')
        || setweight(to_tsvector('english', coalesce(c.text, '')), 'C')
    from unnest(${uuidArray(issueIds)}) as t(id)
      cross join lateral (
        select count(*)::int as n,
          left(string_agg(body_text, ' ' order by created, jira_id), ${sql.raw(String(COMMENT_CHARS))}) as text
        from comments where issue_id = t.id
      ) as c
      cross join lateral (select count(*)::int as n from changelogs where issue_id = t.id) as h
    where i.id = t.id`);
}
