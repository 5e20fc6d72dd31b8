/**
 * Completing issues: Jira truncates the comment list embedded in `fields.comment` and the
 * changelog embedded by `expand=changelog`. When `total` exceeds what came, page the rest from
 * the per-issue endpoints so the returned issue carries every comment and history.
 */
import { collect } from "./pagination";
import {
  type JiraChangelog,
  type JiraComment,
  type JiraIssue,
  pageOfCommentsSchema,
} from "./schemas";

export interface CompletionSources {
  issueComments(idOrKey: string): AsyncIterable<JiraComment>;
  issueChangelog(idOrKey: string): AsyncIterable<JiraChangelog>;
}

/** Whether the embedded comments or changelog of an issue are incomplete. */
export function isTruncated(issue: JiraIssue): { comments: boolean; changelog: boolean } {
  const embedded = pageOfCommentsSchema.safeParse(issue.fields?.comment);
  const comments =
    embedded.success &&
    typeof embedded.data.total === "number" &&
    embedded.data.total > embedded.data.comments.length;
  const log = issue.changelog;
  const changelog =
    log !== undefined && typeof log.total === "number" && log.total > log.histories.length;
  return { comments, changelog };
}

/** Return a copy of `issue` with all comments and histories; the input is not modified. */
export async function completeIssue(
  sources: CompletionSources,
  issue: JiraIssue,
): Promise<JiraIssue> {
  const truncated = isTruncated(issue);
  const idOrKey = issue.id;
  const [comments, histories] = await Promise.all([
    truncated.comments ? collect(sources.issueComments(idOrKey)) : undefined,
    truncated.changelog ? collect(sources.issueChangelog(idOrKey)) : undefined,
  ]);
  let result: JiraIssue = issue;
  if (comments !== undefined) {
    const embedded = issue.fields?.comment;
    const base = typeof embedded === "object" && embedded !== null ? embedded : {};
    const comment = {
      ...base,
      comments,
      startAt: 0,
      maxResults: comments.length,
      total: comments.length,
    };
    result = { ...result, fields: { ...result.fields, comment } };
  }
  if (histories !== undefined && issue.changelog !== undefined) {
    result = {
      ...result,
      changelog: {
        ...issue.changelog,
        histories,
        startAt: 0,
        maxResults: histories.length,
        total: histories.length,
      },
    };
  }
  return result;
}
