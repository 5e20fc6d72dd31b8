/**
 * `fields.issuelinks` → link rows as seen from the issue that carries them. Jira lists each link on
 * both of its issues: on the source with `outwardIssue` (read "this <outward> other", e.g.
 * "blocks"), on the destination with `inwardIssue` ("this <inward> other", "is blocked by").
 */
import { type JsonObject, obj, str } from "./json-record";

export interface LinkRow {
  jiraId: string;
  /** The link type's name, e.g. "Blocks". */
  linkType: string;
  direction: "inward" | "outward";
  /** The phrase for this direction, e.g. "blocks" or "is blocked by". */
  description: string | null;
  otherIssueKey: string;
  otherIssueJiraId: string | null;
}

function linkRecord(link: JsonObject): LinkRow | null {
  const jiraId = str(link.id);
  const type = obj(link.type);
  const outward = "outwardIssue" in link && link.outwardIssue != null;
  const other = obj(outward ? link.outwardIssue : link.inwardIssue);
  const otherIssueKey = str(other.key);
  if (jiraId === null || otherIssueKey === null) {
    return null;
  }
  const direction = outward ? "outward" : "inward";
  return {
    jiraId,
    linkType: str(type.name) ?? "",
    direction,
    description: str(type[direction]),
    otherIssueKey,
    otherIssueJiraId: str(other.id),
  };
}

/** One row per link id (a link appears at most once on an issue). */
export function linkRecords(issuelinks: unknown): LinkRow[] {
  const byId = new Map<string, LinkRow>();
  for (const item of Array.isArray(issuelinks) ? issuelinks : []) {
    const row = linkRecord(obj(item));
    if (row) {
      byId.set(row.jiraId, row);
    }
  }
  return [...byId.values()];
}
