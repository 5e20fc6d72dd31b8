/**
 * A Jira issue (REST v3, completed: every comment and history present, emails scrubbed) → the rows
 * stored for it. Pure: no I/O. Values Jira leaves out map to null / empty, never to errors, except
 * what an issue cannot exist without (id, key, `updated`).
 */
import { adfToText } from "./adf";
import {
  type ChangelogRow,
  type CommentRow,
  changelogRecord,
  commentRecord,
  mapAll,
} from "./comment-record";
import { invalid } from "./errors";
import { cleanJson, type JsonObject, jiraDate, obj, str, strings } from "./json-record";
import { type LinkRow, linkRecords } from "./link-record";

export type { ChangelogRow, CommentRow, LinkRow };

/** The shape of an issue as the Jira client returns it (structural, so domain/ needs no client). */
export interface JiraIssueInput {
  id: string;
  key?: string;
  fields?: Record<string, unknown>;
  changelog?: { histories?: readonly unknown[] };
  [other: string]: unknown;
}

export interface IssueRow {
  jiraId: string;
  key: string;
  projectKey: string;
  projectId: string | null;
  summary: string;
  /** ADF as Jira sent it; null when the issue has no description. */
  description: unknown;
  descriptionText: string;
  status: string | null;
  statusId: string | null;
  /** new | indeterminate | done */
  statusCategory: string | null;
  issueType: string | null;
  isSubtask: boolean;
  priority: string | null;
  priorityId: string | null;
  assigneeAccountId: string | null;
  reporterAccountId: string | null;
  labels: string[];
  components: string[];
  fixVersions: string[];
  parentKey: string | null;
  resolution: string | null;
  created: Date;
  /** Jira's `updated`: the version of this record (the store never lets it go backwards). */
  updated: Date;
  resolved: Date | null;
  /** Every non-null `customfield_*` value, as Jira gave it. */
  customFields: JsonObject;
  /** The issue JSON without the comments and histories, which are stored as rows of their own. */
  raw: JsonObject;
}

export interface IssueRecord {
  issue: IssueRow;
  /** Oldest first. */
  comments: CommentRow[];
  /** Oldest first. */
  changelogs: ChangelogRow[];
  links: LinkRow[];
}

function customFieldsOf(fields: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [id, value] of Object.entries(fields)) {
    if (id.startsWith("customfield_") && value !== null && value !== undefined) {
      out[id] = value;
    }
  }
  return out;
}

function rawOf(input: JiraIssueInput): JsonObject {
  const { changelog: _changelog, ...rest } = input;
  const { comment: _comment, ...fields } = input.fields ?? {};
  return obj(cleanJson({ ...rest, fields }));
}

export function issueRecord(input: JiraIssueInput): IssueRecord {
  const raw = rawOf(input);
  const jiraId = str(raw.id);
  const key = str(raw.key);
  const f = obj(raw.fields);
  const updated = jiraDate(f.updated);
  if (jiraId === null || key === null || updated === null) {
    throw invalid(`Jira issue ${key ?? jiraId ?? "?"} lacks an id, a key or 'updated'.`);
  }
  const created = jiraDate(f.created) ?? updated;
  const status = obj(f.status);
  const type = obj(f.issuetype);
  const priority = obj(f.priority);
  const project = obj(f.project);
  const issue: IssueRow = {
    jiraId,
    key,
    projectKey: str(project.key) ?? key.slice(0, Math.max(0, key.lastIndexOf("-"))),
    projectId: str(project.id),
    summary: typeof f.summary === "string" ? f.summary : "",
    description: f.description ?? null,
    descriptionText: adfToText(f.description),
    status: str(status.name),
    statusId: str(status.id),
    statusCategory: str(obj(status.statusCategory).key),
    issueType: str(type.name),
    isSubtask: type.subtask === true,
    priority: str(priority.name),
    priorityId: str(priority.id),
    assigneeAccountId: str(obj(f.assignee).accountId),
    reporterAccountId: str(obj(f.reporter).accountId),
    labels: strings(f.labels),
    components: strings(f.components, (c) => c.name),
    fixVersions: strings(f.fixVersions, (v) => v.name),
    parentKey: str(obj(f.parent).key),
    resolution: str(obj(f.resolution).name),
    created,
    updated,
    resolved: jiraDate(f.resolutiondate),
    customFields: customFieldsOf(f),
    raw,
  };
  const comments = obj(input.fields?.comment).comments;
  return {
    issue,
    comments: mapAll(comments, (c) => commentRecord(c, created)),
    changelogs: mapAll(input.changelog?.histories, (h) => changelogRecord(h, created)),
    links: linkRecords(f.issuelinks),
  };
}
