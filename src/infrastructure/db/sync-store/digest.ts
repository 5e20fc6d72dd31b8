/**
 * Content digests for reconciliation. A digest covers what is stored for an issue — every column,
 * the custom fields, the raw fields, comments, histories and links — with one part per column so a
 * verification can tell which fields drifted even when Jira's `updated` did not move. Both sides
 * (a fresh record, and rows read back from Postgres) go through the same canonical form: object
 * keys sorted (jsonb reorders them), dates as ISO strings, children sorted by id.
 */
import { compareJiraIds } from "../../../domain/comment-record";
import type { IssueRecord } from "../../../domain/issue-record";
import { obj } from "../../../domain/json-record";

export interface IssueDigest {
  /** Covers every part. */
  digest: string;
  /** Per column (`summary`, `status`, …) plus `customFields`, `rawFields`, `comments`, `changelogs`, `links`. */
  parts: Record<string, string>;
}

/** Raw fields that change without the issue changing (Jira sets lastViewed on every view). */
const VOLATILE_RAW_FIELDS = ["comment", "lastViewed"];

export function canonical(value: unknown): string {
  if (value === null || value === undefined) {
    return "null";
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(",")}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** cyrb53: fast, synchronous, 53 bits; no adversary here — a collision only delays one repair. */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Two seeds: ~106 bits, as 28 hex characters. */
const hash = (text: string) =>
  cyrb53(text, 0).toString(16).padStart(14, "0") + cyrb53(text, 1).toString(16).padStart(14, "0");

const byId = <T extends { jiraId: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => compareJiraIds(a.jiraId, b.jiraId));

export function issueRecordDigest(record: IssueRecord): IssueDigest {
  const { raw, ...columns } = record.issue;
  const parts: Record<string, string> = {};
  for (const [name, value] of Object.entries(columns)) {
    parts[name] = hash(canonical(value));
  }
  const rawFields = { ...obj(raw.fields) };
  for (const name of VOLATILE_RAW_FIELDS) {
    delete rawFields[name];
  }
  parts.rawFields = hash(canonical(rawFields));
  parts.comments = hash(
    canonical(
      byId(record.comments).map((c) => [
        c.jiraId,
        c.authorAccountId,
        c.created,
        c.updated,
        c.bodyText,
        c.body,
      ]),
    ),
  );
  parts.changelogs = hash(
    canonical(
      byId(record.changelogs).map((h) => [h.jiraId, h.authorAccountId, h.created, h.items]),
    ),
  );
  parts.links = hash(
    canonical(
      [...record.links]
        .sort(
          (a, b) => compareJiraIds(a.jiraId, b.jiraId) || a.direction.localeCompare(b.direction),
        )
        .map((l) => [
          l.jiraId,
          l.linkType,
          l.direction,
          l.description,
          l.otherIssueKey,
          l.otherIssueJiraId,
        ]),
    ),
  );
  const names = Object.keys(parts).sort();
  return { digest: hash(names.map((name) => `${name}=${parts[name]}`).join(";")), parts };
}

/** Names of the parts that differ (empty when the digests are equal). */
export function diffDigests(a: IssueDigest, b: IssueDigest): string[] {
  const names = new Set([...Object.keys(a.parts), ...Object.keys(b.parts)]);
  return [...names].filter((name) => a.parts[name] !== b.parts[name]).sort();
}
