/**
 * Zod schemas shared by the MCP tools: the inputs several tools take and the shapes of their
 * structured results (the same objects the REST API returns; described for an assistant).
 *
 * Inputs are strict objects, so a misnamed argument is an error rather than silently ignored.
 * Outputs are loose objects: clients validate results against the published JSON schema, and a
 * field added to an API object later must not make older clients reject the result.
 */
import { z } from "zod";

export const InstanceIdInput = z
  .uuid()
  .optional()
  .describe(
    "The Jira instance (site) id, from list_instances. May be left out when the tenant has only one.",
  );

export const IssueKeyInput = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}-[1-9][0-9]{0,14}$/, "an issue key such as PROJ-123")
  .describe("The issue key, e.g. PROJ-123.");

export const LimitInput = (fallback: number) =>
  z.number().int().min(1).max(100).default(fallback).describe("Page size (1–100).");

export const CursorInput = z
  .string()
  .max(2000)
  .optional()
  .describe("Opaque cursor from a previous call's nextCursor, to fetch the next page.");

export const IdempotencyKeyInput = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe(
    "Optional. Reusing the same key with the same arguments within 24 hours replays the first " +
      "result instead of writing again; use it when retrying after a timeout.",
  );

/** Rich text: a plain string, or an Atlassian Document Format (ADF) document. */
export const RichTextInput = z.union([
  z.string().min(1).max(100_000),
  z
    .object({
      type: z.literal("doc"),
      version: z.literal(1),
      content: z.array(z.record(z.string(), z.unknown())),
    })
    .describe("An Atlassian Document Format document."),
]);

const UserRef = z
  .looseObject({ accountId: z.string(), displayName: z.string().nullable() })
  .nullable()
  .describe("A Jira user (account id and display name), or null.");

const time = z.string().describe("ISO-8601 UTC time.");

export const IssueSummaryOutput = z.looseObject({
  id: z.string().describe("Our UUID for the issue."),
  instanceId: z.string(),
  jiraId: z.string(),
  key: z.string(),
  projectKey: z.string(),
  summary: z.string(),
  status: z.string().nullable(),
  statusCategory: z.string().nullable().describe("new, indeterminate (in progress) or done."),
  type: z.string().nullable(),
  priority: z.string().nullable(),
  assignee: UserRef,
  reporter: UserRef,
  labels: z.array(z.string()),
  components: z.array(z.string()),
  fixVersions: z.array(z.string()),
  parentKey: z.string().nullable(),
  created: time,
  updated: time,
  resolved: time.nullable(),
  customFields: z.record(z.string(), z.unknown()).describe("customfield_* values by field id."),
  commentsCount: z.number(),
  changelogCount: z.number(),
});

export const IssueDetailOutput = IssueSummaryOutput.extend({
  descriptionText: z.string().describe("The description as plain text."),
  description: z.unknown().describe("The description as ADF, or null."),
  resolution: z.string().nullable(),
  links: z.array(z.looseObject({ type: z.string(), direction: z.string(), key: z.string() })),
  comments: z
    .array(
      z.looseObject({
        id: z.string(),
        author: UserRef,
        bodyText: z.string(),
        created: time,
        updated: time,
      }),
    )
    .optional()
    .describe("Oldest first; present when includeComments was set."),
  changelog: z
    .array(
      z.looseObject({
        id: z.string(),
        author: UserRef,
        created: time,
        items: z.array(z.unknown()),
      }),
    )
    .optional()
    .describe("Field changes, oldest first; present when includeChangelog was set."),
});

export const pageOutput = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    items: z.array(item),
    nextCursor: z.string().nullable().describe("Pass it as cursor for the next page; null: done."),
  });
