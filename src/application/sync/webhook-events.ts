/**
 * The Jira webhook events the sync engine understands. Anything else is acknowledged and ignored:
 * an event name never reaches the audit log or the planner unless it is one of these.
 */
export const ISSUE_EVENTS = ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted"];
export const COMMENT_EVENTS = ["comment_created", "comment_updated", "comment_deleted"];
export const WORKLOG_EVENTS = ["worklog_created", "worklog_updated", "worklog_deleted"];
export const LINK_EVENTS = ["issuelink_created", "issuelink_deleted"];
export const CATALOG_EVENTS = [
  "project_created",
  "project_updated",
  "project_deleted",
  "user_created",
  "user_updated",
  "user_deleted",
];

const KNOWN = new Set([
  ...ISSUE_EVENTS,
  ...COMMENT_EVENTS,
  ...WORKLOG_EVENTS,
  ...LINK_EVENTS,
  ...CATALOG_EVENTS,
]);

export function knownWebhookEvent(value: unknown): string | undefined {
  return typeof value === "string" && KNOWN.has(value) ? value : undefined;
}

/** Atlassian account ids: `557058:uuid` or 24 hex digits, never anything exotic. */
export function accountIdOf(value: unknown): string | undefined {
  return typeof value === "string" && /^[A-Za-z0-9:_-]{1,128}$/.test(value) ? value : undefined;
}

/** Deliveries signed longer ago than this are refused: a captured body cannot be replayed later. */
export const WEBHOOK_MAX_AGE_MS = 24 * 60 * 60 * 1000;
