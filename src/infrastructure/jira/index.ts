export type { AuthProvider, JiraAuth } from "./auth";
export type { BulkFetchResult } from "./bulk";
export { createJiraClient, type JiraClient, type JiraClientOptions } from "./client";
export { isTruncated } from "./complete";
export { classifyStatus, isJiraError, JiraError, type JiraErrorKind } from "./errors";
export type { IssueFetchOptions, SearchJqlOptions } from "./issues";
export {
  ATLASSIAN_TOKEN_URL,
  type OAuthTokens,
  type RefreshOAuthTokenInput,
  refreshOAuthToken,
} from "./oauth";
export { Pacer, type PacerOptions, type RequestBudget } from "./pacer";
export { collect } from "./pagination";
export type { ProjectsOptions, UsersOptions } from "./read";
export type { JiraClientEvent, RetryReason } from "./request";
export type {
  JiraChangelog,
  JiraComment,
  JiraCreatedIssue,
  JiraField,
  JiraIssue,
  JiraIssueChangeLog,
  JiraIssueError,
  JiraProject,
  JiraSearchPage,
  JiraServerInfo,
  JiraTransition,
  JiraUser,
} from "./schemas";
export type { CreateIssueInput, EditIssueInput } from "./write";
