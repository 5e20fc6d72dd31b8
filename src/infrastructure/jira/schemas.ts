/**
 * Lenient zod schemas for the parts of Jira REST v3 responses the platform uses (shapes from
 * Atlassian's OpenAPI document). Objects are loose: Jira adds fields, and unknown / custom field
 * values are kept untouched.
 */
import { z } from "zod";

const optionalString = z.string().nullish();

export const userSchema = z.looseObject({
  accountId: z.string(),
  accountType: optionalString,
  displayName: optionalString,
  emailAddress: optionalString,
  active: z.boolean().nullish(),
  timeZone: optionalString,
});
export type JiraUser = z.infer<typeof userSchema>;

export const serverInfoSchema = z.looseObject({
  baseUrl: optionalString,
  version: optionalString,
  deploymentType: optionalString,
  buildNumber: z.number().nullish(),
  serverTime: optionalString,
});
export type JiraServerInfo = z.infer<typeof serverInfoSchema>;

export const fieldSchema = z.looseObject({
  id: z.string(),
  key: optionalString,
  name: z.string(),
  custom: z.boolean().nullish(),
  schema: z.looseObject({ type: optionalString, custom: optionalString }).nullish(),
});
export type JiraField = z.infer<typeof fieldSchema>;

export const statusSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusCategory: z.looseObject({ key: optionalString }).nullish(),
});
export type JiraStatus = z.infer<typeof statusSchema>;

export const projectSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  projectTypeKey: optionalString,
});
export type JiraProject = z.infer<typeof projectSchema>;

export function pageBeanSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    startAt: z.number().nullish(),
    maxResults: z.number().nullish(),
    total: z.number().nullish(),
    isLast: z.boolean().nullish(),
    values: z.array(item).default([]),
  });
}

export const changeItemSchema = z.looseObject({
  field: z.string(),
  fieldId: optionalString,
  fieldtype: optionalString,
  from: optionalString,
  fromString: optionalString,
  to: optionalString,
  toString: optionalString,
});

export const changelogSchema = z.looseObject({
  id: z.string(),
  created: optionalString,
  author: z.looseObject({}).nullish(),
  items: z.array(changeItemSchema).default([]),
});
export type JiraChangelog = z.infer<typeof changelogSchema>;

export const commentSchema = z.looseObject({
  id: z.string(),
  body: z.unknown(),
  author: z.looseObject({}).nullish(),
  created: optionalString,
  updated: optionalString,
});
export type JiraComment = z.infer<typeof commentSchema>;

export const pageOfCommentsSchema = z.looseObject({
  startAt: z.number().nullish(),
  maxResults: z.number().nullish(),
  total: z.number().nullish(),
  comments: z.array(commentSchema).default([]),
});
export type JiraCommentPage = z.infer<typeof pageOfCommentsSchema>;

export const pageOfChangelogsSchema = z.looseObject({
  startAt: z.number().nullish(),
  maxResults: z.number().nullish(),
  total: z.number().nullish(),
  histories: z.array(changelogSchema).default([]),
});
export type JiraChangelogPage = z.infer<typeof pageOfChangelogsSchema>;

export const issueSchema = z.looseObject({
  id: z.string(),
  /** Absent when only `id` is requested from search/jql (its default). */
  key: z.string().optional(),
  self: optionalString,
  /** Field values by field id; custom field shapes are kept as Jira sent them. */
  fields: z.record(z.string(), z.unknown()).optional(),
  changelog: pageOfChangelogsSchema.optional(),
});
export type JiraIssue = z.infer<typeof issueSchema>;

export const searchPageSchema = z.looseObject({
  issues: z.array(issueSchema).default([]),
  nextPageToken: optionalString,
  isLast: z.boolean().nullish(),
  names: z.record(z.string(), z.string()).nullish(),
});
export type JiraSearchPage = z.infer<typeof searchPageSchema>;

export const issueErrorSchema = z.looseObject({
  id: z.string(),
  errorMessage: optionalString,
});
export type JiraIssueError = z.infer<typeof issueErrorSchema>;

export const bulkIssueResultsSchema = z.looseObject({
  issues: z.array(issueSchema).default([]),
  issueErrors: z.array(issueErrorSchema).default([]),
});

export const issueChangeLogSchema = z.looseObject({
  issueId: z.string(),
  changeHistories: z.array(changelogSchema).default([]),
});
export type JiraIssueChangeLog = z.infer<typeof issueChangeLogSchema>;

export const bulkChangelogResponseSchema = z.looseObject({
  issueChangeLogs: z.array(issueChangeLogSchema).default([]),
  nextPageToken: optionalString,
});

export const createdIssueSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  self: optionalString,
});
export type JiraCreatedIssue = z.infer<typeof createdIssueSchema>;

export const transitionSchema = z.looseObject({
  id: z.string(),
  name: optionalString,
  to: z.looseObject({ id: optionalString, name: optionalString }).nullish(),
});
export type JiraTransition = z.infer<typeof transitionSchema>;

export const transitionsSchema = z.looseObject({
  transitions: z.array(transitionSchema).default([]),
});

export const oauthTokenSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
  expires_in: z.number(),
  scope: optionalString,
});
