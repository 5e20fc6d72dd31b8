// Site-wide configuration shared by every simulated site: workflow statuses, issue types,
// priorities, resolutions, link types and the custom-field catalogue. The ids mirror what a
// freshly provisioned Jira Cloud company-managed software project exposes.

import type {
  CustomFieldDef,
  CustomFieldType,
  IssueType,
  LinkType,
  Priority,
  Resolution,
  Status,
  StatusCategoryKey,
} from "./model.ts";

export const STATUS_CATEGORIES: Record<
  StatusCategoryKey,
  { id: number; key: StatusCategoryKey; colorName: string; name: string }
> = {
  new: { id: 2, key: "new", colorName: "blue-gray", name: "To Do" },
  indeterminate: { id: 4, key: "indeterminate", colorName: "yellow", name: "In Progress" },
  done: { id: 3, key: "done", colorName: "green", name: "Done" },
};

export const STATUSES: Status[] = [
  { id: "10000", name: "To Do", description: "", category: "new" },
  {
    id: "3",
    name: "In Progress",
    description: "This issue is being actively worked on at the moment by the assignee.",
    category: "indeterminate",
  },
  {
    id: "10001",
    name: "In Review",
    description: "Waiting for code review.",
    category: "indeterminate",
  },
  { id: "10002", name: "Done", description: "", category: "done" },
];

export const INITIAL_STATUS_ID = "10000";

/** Every status can move to every other one (Jira's simplified workflow); one transition each. */
export const TRANSITIONS: { id: string; name: string; toStatusId: string }[] = [
  { id: "11", name: "To Do", toStatusId: "10000" },
  { id: "21", name: "In Progress", toStatusId: "3" },
  { id: "31", name: "In Review", toStatusId: "10001" },
  { id: "41", name: "Done", toStatusId: "10002" },
];

export const ISSUE_TYPES: IssueType[] = [
  {
    id: "10000",
    name: "Epic",
    description: "Epics track collections of related bugs, stories, and tasks.",
    subtask: false,
    hierarchyLevel: 1,
    avatarId: 10307,
  },
  {
    id: "10001",
    name: "Story",
    description: "Stories track functionality or features expressed as user goals.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10315,
  },
  {
    id: "10002",
    name: "Task",
    description: "Tasks track small, distinct pieces of work.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10318,
  },
  {
    id: "10003",
    name: "Bug",
    description: "Bugs track problems or errors.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10303,
  },
  {
    id: "10004",
    name: "Sub-task",
    description: "Subtasks track small pieces of work that are part of a larger task.",
    subtask: true,
    hierarchyLevel: -1,
    avatarId: 10316,
  },
];

export const EPIC_TYPE_ID = "10000";
export const SUBTASK_TYPE_ID = "10004";

export const PRIORITIES: Priority[] = [
  { id: "1", name: "Highest", color: "#d04437", icon: "highest_new.svg" },
  { id: "2", name: "High", color: "#f15C75", icon: "high_new.svg" },
  { id: "3", name: "Medium", color: "#f79232", icon: "medium_new.svg" },
  { id: "4", name: "Low", color: "#707070", icon: "low_new.svg" },
  { id: "5", name: "Lowest", color: "#999999", icon: "lowest_new.svg" },
];

export const DEFAULT_PRIORITY_ID = "3";

export const RESOLUTIONS: Resolution[] = [
  { id: "10000", name: "Done", description: "Work has been completed on this issue." },
  { id: "10001", name: "Won't Do", description: "This issue won't be actioned." },
  {
    id: "10002",
    name: "Duplicate",
    description: "The problem is a duplicate of an existing issue.",
  },
  {
    id: "10003",
    name: "Cannot Reproduce",
    description: "This issue couldn't be reproduced.",
  },
];

export const DONE_RESOLUTION_ID = "10000";

export const LINK_TYPES: LinkType[] = [
  { id: "10000", name: "Blocks", inward: "is blocked by", outward: "blocks" },
  { id: "10001", name: "Cloners", inward: "is cloned by", outward: "clones" },
  { id: "10002", name: "Duplicate", inward: "is duplicated by", outward: "duplicates" },
  { id: "10003", name: "Relates", inward: "relates to", outward: "relates to" },
];

function options(startId: number, values: string[]) {
  return values.map((value, i) => ({ id: String(startId + i), value }));
}

function cf(
  numericId: number,
  name: string,
  type: CustomFieldType,
  opts: string[] = [],
): CustomFieldDef {
  return {
    id: `customfield_${numericId}`,
    numericId,
    name,
    type,
    options: options(numericId * 10, opts),
  };
}

export const CUSTOM_FIELDS: CustomFieldDef[] = [
  cf(10010, "Customer Reference", "textfield"),
  cf(10011, "Acceptance Criteria", "textarea"),
  cf(10012, "Story Points", "float"),
  cf(10013, "Severity", "select", ["S1 - Critical", "S2 - Major", "S3 - Minor", "S4 - Trivial"]),
  cf(10014, "Affected Platforms", "multiselect", ["Web", "iOS", "Android", "API", "Desktop"]),
  cf(10015, "Reviewer", "userpicker"),
  cf(10016, "Target Date", "datepicker"),
  cf(10017, "Deployed At", "datetime"),
  cf(10018, "Tags", "labels"),
  cf(10019, "Rank", "rank"),
  cf(10020, "Design Link", "url"),
  cf(10021, "Stakeholders", "multiuserpicker"),
  cf(10022, "Start date", "datepicker"),
];

export const CUSTOM_TYPE_KEYS: Record<CustomFieldType, string> = {
  textfield: "com.atlassian.jira.plugin.system.customfieldtypes:textfield",
  textarea: "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
  float: "com.atlassian.jira.plugin.system.customfieldtypes:float",
  select: "com.atlassian.jira.plugin.system.customfieldtypes:select",
  multiselect: "com.atlassian.jira.plugin.system.customfieldtypes:multiselect",
  userpicker: "com.atlassian.jira.plugin.system.customfieldtypes:userpicker",
  multiuserpicker: "com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker",
  datepicker: "com.atlassian.jira.plugin.system.customfieldtypes:datepicker",
  datetime: "com.atlassian.jira.plugin.system.customfieldtypes:datetime",
  labels: "com.atlassian.jira.plugin.system.customfieldtypes:labels",
  url: "com.atlassian.jira.plugin.system.customfieldtypes:url",
  rank: "com.pyxis.greenhopper.jira:gh-lexo-rank",
};

export const CUSTOM_TYPE_LABELS: Record<CustomFieldType, string> = {
  textfield: "Short text",
  textarea: "Paragraph",
  float: "Number",
  select: "Dropdown",
  multiselect: "Select List (multiple choices)",
  userpicker: "User Picker (single user)",
  multiuserpicker: "User Picker (multiple users)",
  datepicker: "Date",
  datetime: "Date Time Picker",
  labels: "Labels",
  url: "URL",
  rank: "Global Rank",
};
