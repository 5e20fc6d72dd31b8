/**
 * The sync store: writing Jira data into Postgres inside a tenant transaction
 * (`Database.withTenant`) so that nothing goes stale or backwards, and reading back what
 * reconciliation compares. Every function takes the transaction and the {tenantId, instanceId}.
 */

export { upsertFields, upsertProjects, upsertUsers } from "./catalog";
export { markIssuesDeleted } from "./deletes";
export { diffDigests, type IssueDigest, issueRecordDigest } from "./digest";
export { refreshIssueFlow, upsertStatuses } from "./flow";
export { type UpsertIssuesResult, upsertIssues } from "./issues";
export type { SyncScope } from "./scope";
export { storedIssueDigests, storedIssueRecords } from "./stored";
export {
  healFutureVersions,
  type IssueVersion,
  issueVersionPages,
  issueVersions,
} from "./versions";
