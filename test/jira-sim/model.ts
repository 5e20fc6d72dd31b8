// In-memory model of one simulated Jira site. Values are stored in compact internal form
// (ids, epoch millis, ADF) and turned into Jira's JSON shapes by render.ts at response time.

import type { AdfDoc } from "./adf.ts";

export interface User {
  accountId: string;
  displayName: string;
  /** null when the user's privacy settings hide it (Jira then omits emailAddress). */
  email: string | null;
  accountType: "atlassian" | "app";
  active: boolean;
  timeZone: string;
  locale: string;
}

export type StatusCategoryKey = "new" | "indeterminate" | "done";

export interface Status {
  id: string;
  name: string;
  description: string;
  category: StatusCategoryKey;
}

export interface IssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
  avatarId: number;
}

export interface Priority {
  id: string;
  name: string;
  color: string;
  icon: string;
}

export interface Resolution {
  id: string;
  name: string;
  description: string;
}

export interface Component {
  id: string;
  name: string;
  description: string;
}

export interface Version {
  id: string;
  name: string;
  released: boolean;
  releaseDate: string | null;
}

export interface Project {
  id: string;
  key: string;
  name: string;
  description: string;
  leadAccountId: string;
  components: Component[];
  versions: Version[];
  nextIssueNumber: number;
}

export interface LinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

/** A link reads "source <outward> destination", e.g. "OPS-1 blocks OPS-2". */
export interface IssueLinkRecord {
  id: string;
  typeId: string;
  sourceId: string;
  destinationId: string;
}

export interface Comment {
  id: string;
  authorId: string;
  updateAuthorId: string;
  body: AdfDoc;
  created: number;
  updated: number;
}

export interface HistoryItem {
  field: string;
  fieldtype: "jira" | "custom";
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface History {
  id: string;
  authorId: string;
  created: number;
  items: HistoryItem[];
}

export interface Issue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  priorityId: string | null;
  resolutionId: string | null;
  summary: string;
  description: AdfDoc | null;
  environment: AdfDoc | null;
  assigneeId: string | null;
  reporterId: string;
  creatorId: string;
  labels: string[];
  componentIds: string[];
  fixVersionIds: string[];
  versionIds: string[];
  duedate: string | null;
  parentId: string | null;
  created: number;
  updated: number;
  resolutionDate: number | null;
  statusCategoryChangeDate: number;
  /** customfield_* id -> internal value (see fields.ts for the per-type representation). */
  custom: Record<string, unknown>;
  comments: Comment[];
  /** Oldest first. */
  histories: History[];
  votes: number;
  watchers: number;
}

export type CustomFieldType =
  | "textfield"
  | "textarea"
  | "float"
  | "select"
  | "multiselect"
  | "userpicker"
  | "multiuserpicker"
  | "datepicker"
  | "datetime"
  | "labels"
  | "url"
  | "rank";

export interface CustomFieldOption {
  id: string;
  value: string;
}

export interface CustomFieldDef {
  id: string;
  numericId: number;
  name: string;
  type: CustomFieldType;
  options: CustomFieldOption[];
}

export interface DeletedIssue {
  id: string;
  key: string;
  deletedAt: number;
}
