/**
 * Jira comments and changelog histories → the rows stored for them. Pure; the input is expected
 * email-scrubbed (see pii.ts) and cleaned (see cleanJson).
 */
import { adfToText } from "./adf";
import { cleanJson, type JsonObject, jiraDate, obj, str } from "./json-record";

export interface CommentRow {
  jiraId: string;
  authorAccountId: string | null;
  /** ADF as Jira sent it (a string for v2 / webhook payloads). */
  body: unknown;
  bodyText: string;
  created: Date;
  updated: Date;
  /** The comment JSON without `body`, which is kept once, in its own column. */
  raw: JsonObject;
}

export interface ChangelogRow {
  jiraId: string;
  authorAccountId: string | null;
  created: Date;
  /** `[{field, fieldtype, fieldId, from, fromString, to, toString}]` as Jira sends them. */
  items: unknown[];
}

/**
 * A comment row, or null when the comment has no id. Missing timestamps fall back to each other
 * and then to `fallback` (the creation), because the columns are NOT NULL.
 */
export function commentRecord(input: unknown, fallback: Date = new Date(0)): CommentRow | null {
  const comment = obj(cleanJson(input));
  const jiraId = str(comment.id);
  if (jiraId === null) {
    return null;
  }
  const created = jiraDate(comment.created) ?? jiraDate(comment.updated) ?? fallback;
  const { body, ...raw } = comment;
  return {
    jiraId,
    authorAccountId: str(obj(comment.author).accountId),
    body: body ?? null,
    bodyText: adfToText(body),
    created,
    updated: jiraDate(comment.updated) ?? created,
    raw,
  };
}

export function changelogRecord(input: unknown, fallback: Date = new Date(0)): ChangelogRow | null {
  const history = obj(cleanJson(input));
  const jiraId = str(history.id);
  if (jiraId === null) {
    return null;
  }
  return {
    jiraId,
    authorAccountId: str(obj(history.author).accountId),
    created: jiraDate(history.created) ?? fallback,
    items: Array.isArray(history.items) ? history.items : [],
  };
}

/** Numeric Jira ids compare as numbers ("9" < "10"); anything else as text. */
export function compareJiraIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}

/** Oldest first; ties broken by id. */
export const chronological = (
  a: { created: Date; jiraId: string },
  b: { created: Date; jiraId: string },
) => a.created.getTime() - b.created.getTime() || compareJiraIds(a.jiraId, b.jiraId);

/** Rows of a list, one per id (the last copy wins), oldest first. */
export function mapAll<T extends { jiraId: string; created: Date }>(
  list: unknown,
  map: (item: unknown) => T | null,
): T[] {
  const byId = new Map<string, T>();
  for (const item of Array.isArray(list) ? list : []) {
    const row = map(item);
    if (row) {
      byId.set(row.jiraId, row);
    }
  }
  return [...byId.values()].sort(chronological);
}
