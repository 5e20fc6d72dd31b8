// The field catalogue (GET /field) and how each field's value is rendered in an issue. One table
// drives field selection (`*all`, `*navigable`), `names`, `schema`, renderedFields and changelog
// naming, so the representations cannot drift apart.

import { type AdfDoc, adfToHtml, adfToWiki } from "./adf.ts";
import { CUSTOM_TYPE_KEYS, CUSTOM_TYPE_LABELS } from "./catalog.ts";
import {
  type Json,
  type RenderCtx,
  renderComponent,
  renderIssueType,
  renderOption,
  renderPriority,
  renderProjectRef,
  renderResolution,
  renderStatus,
  renderUser,
  renderUserById,
  renderVersion,
} from "./entities.ts";
import type { Comment, CustomFieldDef, Issue } from "./model.ts";
import type { Store } from "./store.ts";
import { formatJiraDateTime, formatRendered } from "./time.ts";

export interface IssueRenderCtx extends RenderCtx {
  /** Embedded comment lists are truncated like Jira's (null = no truncation). */
  commentLimit: number | null;
}

export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  navigable: boolean;
  orderable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema?: Json;
  /** The `field` name used in changelog items. */
  changelogName: string;
  /** Fields like `issuekey` are in the catalogue but never in `fields`. */
  virtual?: boolean;
  /** undefined means "omit the key" (Jira omits `parent` when there is none). */
  render(issue: Issue, ctx: IssueRenderCtx): unknown;
  rendered?(issue: Issue, ctx: IssueRenderCtx): unknown;
}

const dt = (ms: number | null, ctx: RenderCtx) =>
  ms === null ? null : formatJiraDateTime(ms, ctx.store.timeZone);
const rdt = (ms: number | null, ctx: RenderCtx) =>
  ms === null ? null : formatRendered(ms, ctx.store.timeZone);
const richText = (value: AdfDoc | null, ctx: RenderCtx) =>
  ctx.api === "2" ? adfToWiki(value) : value;

function issueApi(ctx: RenderCtx, idOrKey: string): string {
  return `${ctx.store.baseUrl}/rest/api/${ctx.api}/issue/${idOrKey}`;
}

/** The compact issue reference used by parent, subtasks and issue links. */
export function renderIssueRef(ctx: RenderCtx, issue: Issue): Json {
  const store = ctx.store;
  const fields: Json = { summary: issue.summary };
  const status = store.statusById.get(issue.statusId);
  if (status) {
    fields.status = renderStatus(ctx, status);
  }
  const priority = issue.priorityId ? store.priorityById.get(issue.priorityId) : undefined;
  if (priority) {
    fields.priority = renderPriority(ctx, priority);
  }
  const type = store.issueTypeById.get(issue.issueTypeId);
  if (type) {
    fields.issuetype = renderIssueType(ctx, type);
  }
  return { id: issue.id, key: issue.key, self: issueApi(ctx, issue.id), fields };
}

export function renderComment(
  ctx: RenderCtx,
  issue: Issue,
  c: Comment,
  renderedBody = false,
): Json {
  const out: Json = {
    self: `${issueApi(ctx, issue.id)}/comment/${c.id}`,
    id: c.id,
    author: renderUserById(ctx, c.authorId),
    body: ctx.api === "2" ? adfToWiki(c.body) : c.body,
    updateAuthor: renderUserById(ctx, c.updateAuthorId),
    created: dt(c.created, ctx),
    updated: dt(c.updated, ctx),
    jsdPublic: true,
  };
  if (renderedBody) {
    out.renderedBody = adfToHtml(c.body, ctx.store.baseUrl);
  }
  return out;
}

function commentPage(issue: Issue, ctx: IssueRenderCtx, html: boolean): Json {
  const limit = ctx.commentLimit ?? issue.comments.length;
  const shown = issue.comments.slice(0, limit);
  return {
    comments: shown.map((c) => {
      const r = renderComment(ctx, issue, c);
      if (html) {
        r.body = adfToHtml(c.body, ctx.store.baseUrl);
      }
      return r;
    }),
    self: `${issueApi(ctx, issue.id)}/comment`,
    // Jira reports the number embedded here (0 for an issue without comments), not the cap.
    maxResults: shown.length,
    total: issue.comments.length,
    startAt: 0,
  };
}

function renderLinks(issue: Issue, ctx: RenderCtx): Json[] {
  const out: Json[] = [];
  for (const link of ctx.store.linksOf(issue.id)) {
    const type = ctx.store.linkTypeById.get(link.typeId);
    const outward = link.sourceId === issue.id;
    const other = ctx.store.issues.get(outward ? link.destinationId : link.sourceId);
    if (!type || !other) {
      continue;
    }
    const entry: Json = {
      id: link.id,
      self: `${ctx.store.baseUrl}/rest/api/${ctx.api}/issueLink/${link.id}`,
      type: {
        id: type.id,
        name: type.name,
        inward: type.inward,
        outward: type.outward,
        self: `${ctx.store.baseUrl}/rest/api/${ctx.api}/issueLinkType/${type.id}`,
      },
    };
    entry[outward ? "outwardIssue" : "inwardIssue"] = renderIssueRef(ctx, other);
    out.push(entry);
  }
  return out;
}

function sys(
  id: string,
  name: string,
  schema: Json | undefined,
  render: FieldDef["render"],
  extra: Partial<FieldDef> = {},
): FieldDef {
  const def: FieldDef = {
    id,
    name,
    custom: false,
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: [id],
    changelogName: id,
    render,
    ...extra,
  };
  if (schema) {
    def.schema = { ...schema, system: id };
  }
  return def;
}

const nullField = () => null;

export const SYSTEM_FIELDS: FieldDef[] = [
  sys("issuekey", "Key", undefined, nullField, {
    virtual: true,
    clauseNames: ["id", "issue", "issuekey", "key"],
    orderable: false,
  }),
  sys("statuscategorychangedate", "Status Category Changed", { type: "datetime" }, (i, c) =>
    dt(i.statusCategoryChangeDate, c),
  ),
  sys(
    "issuetype",
    "Issue Type",
    { type: "issuetype" },
    (i, c) => {
      const t = c.store.issueTypeById.get(i.issueTypeId);
      return t ? renderIssueType(c, t) : null;
    },
    { clauseNames: ["issuetype", "type"], changelogName: "issuetype" },
  ),
  sys(
    "parent",
    "Parent",
    { type: "issuelink" },
    (i, c) => {
      const p = i.parentId ? c.store.issues.get(i.parentId) : undefined;
      return p ? renderIssueRef(c, p) : undefined;
    },
    { changelogName: "IssueParentAssociation" },
  ),
  sys("timespent", "Time Spent", { type: "number" }, nullField, { clauseNames: ["timespent"] }),
  sys("project", "Project", { type: "project" }, (i, c) => renderProjectRef(c, c.store.project(i))),
  sys(
    "fixVersions",
    "Fix versions",
    { type: "array", items: "version" },
    (i, c) => {
      const p = c.store.project(i);
      return i.fixVersionIds
        .map((id) => p.versions.find((v) => v.id === id))
        .filter((v) => v !== undefined)
        .map((v) => renderVersion(c, v, p.id));
    },
    { clauseNames: ["fixVersion"], changelogName: "Fix Version" },
  ),
  sys("aggregatetimespent", "Σ Time Spent", { type: "number" }, nullField),
  sys("resolution", "Resolution", { type: "resolution" }, (i, c) => {
    const r = i.resolutionId ? c.store.resolutionById.get(i.resolutionId) : undefined;
    return r ? renderResolution(c, r) : null;
  }),
  sys("resolutiondate", "Resolved", { type: "datetime" }, (i, c) => dt(i.resolutionDate, c), {
    clauseNames: ["resolutiondate", "resolved"],
    rendered: (i, c) => rdt(i.resolutionDate, c),
  }),
  sys("workratio", "Work Ratio", { type: "number" }, () => -1),
  sys("lastViewed", "Last Viewed", { type: "datetime" }, nullField),
  sys(
    "watches",
    "Watchers",
    { type: "watches" },
    (i, c) => ({
      self: `${issueApi(c, i.key)}/watchers`,
      watchCount: i.watchers,
      isWatching: false,
    }),
    { clauseNames: ["watchers"] },
  ),
  sys("created", "Created", { type: "datetime" }, (i, c) => dt(i.created, c), {
    clauseNames: ["created", "createdDate"],
    rendered: (i, c) => rdt(i.created, c),
  }),
  sys("priority", "Priority", { type: "priority" }, (i, c) => {
    const p = i.priorityId ? c.store.priorityById.get(i.priorityId) : undefined;
    return p ? renderPriority(c, p) : null;
  }),
  sys("labels", "Labels", { type: "array", items: "string" }, (i) => [...i.labels]),
  sys("timeestimate", "Remaining Estimate", { type: "number" }, nullField),
  sys("aggregatetimeoriginalestimate", "Σ Original Estimate", { type: "number" }, nullField),
  sys(
    "versions",
    "Affects versions",
    { type: "array", items: "version" },
    (i, c) => {
      const p = c.store.project(i);
      return i.versionIds
        .map((id) => p.versions.find((v) => v.id === id))
        .filter((v) => v !== undefined)
        .map((v) => renderVersion(c, v, p.id));
    },
    { clauseNames: ["affectedVersion"], changelogName: "Version" },
  ),
  sys(
    "issuelinks",
    "Linked Issues",
    { type: "array", items: "issuelinks" },
    (i, c) => renderLinks(i, c),
    {
      clauseNames: ["issueLink"],
      changelogName: "Link",
    },
  ),
  sys("assignee", "Assignee", { type: "user" }, (i, c) => renderUserById(c, i.assigneeId)),
  sys("updated", "Updated", { type: "datetime" }, (i, c) => dt(i.updated, c), {
    clauseNames: ["updated", "updatedDate"],
    rendered: (i, c) => rdt(i.updated, c),
  }),
  sys("status", "Status", { type: "status" }, (i, c) => {
    const s = c.store.statusById.get(i.statusId);
    return s ? renderStatus(c, s) : null;
  }),
  sys(
    "components",
    "Components",
    { type: "array", items: "component" },
    (i, c) => {
      const p = c.store.project(i);
      return i.componentIds
        .map((id) => p.components.find((x) => x.id === id))
        .filter((x) => x !== undefined)
        .map((x) => renderComponent(c, x));
    },
    { clauseNames: ["component"], changelogName: "Component" },
  ),
  sys("timeoriginalestimate", "Original estimate", { type: "number" }, nullField, {
    clauseNames: ["originalEstimate", "timeoriginalestimate"],
  }),
  sys("description", "Description", { type: "string" }, (i, c) => richText(i.description, c), {
    rendered: (i, c) => adfToHtml(i.description, c.store.baseUrl),
  }),
  sys("timetracking", "Time tracking", { type: "timetracking" }, () => ({}), {
    navigable: false,
    searchable: false,
    clauseNames: [],
  }),
  sys("security", "Security Level", { type: "securitylevel" }, nullField, {
    clauseNames: ["level"],
  }),
  sys("attachment", "Attachment", { type: "array", items: "attachment" }, () => [], {
    navigable: false,
    clauseNames: ["attachments"],
  }),
  sys("aggregatetimeestimate", "Σ Remaining Estimate", { type: "number" }, nullField),
  sys("summary", "Summary", { type: "string" }, (i) => i.summary),
  sys("creator", "Creator", { type: "user" }, (i, c) => renderUserById(c, i.creatorId)),
  sys(
    "subtasks",
    "Sub-tasks",
    { type: "array", items: "issuelinks" },
    (i, c) =>
      c.store
        .children(i.id)
        .filter((ch) => ch.issueTypeId === "10004")
        .map((ch) => renderIssueRef(c, ch)),
    { clauseNames: ["subtasks"] },
  ),
  sys("reporter", "Reporter", { type: "user" }, (i, c) => renderUserById(c, i.reporterId)),
  sys("aggregateprogress", "Σ Progress", { type: "progress" }, () => ({ progress: 0, total: 0 })),
  sys("environment", "Environment", { type: "string" }, (i, c) => richText(i.environment, c), {
    rendered: (i, c) => adfToHtml(i.environment, c.store.baseUrl),
  }),
  sys("duedate", "Due date", { type: "date" }, (i) => i.duedate, {
    clauseNames: ["due", "duedate"],
  }),
  sys("progress", "Progress", { type: "progress" }, () => ({ progress: 0, total: 0 })),
  sys("comment", "Comment", { type: "comments-page" }, (i, c) => commentPage(i, c, false), {
    navigable: false,
    rendered: (i, c) => commentPage(i, c, true),
  }),
  sys("votes", "Votes", { type: "votes" }, (i, c) => ({
    self: `${issueApi(c, i.key)}/votes`,
    votes: i.votes,
    hasVoted: false,
  })),
  sys(
    "worklog",
    "Log Work",
    { type: "array", items: "worklog" },
    () => ({
      startAt: 0,
      maxResults: 20,
      total: 0,
      worklogs: [],
    }),
    { navigable: false, clauseNames: [] },
  ),
  sys(
    "issuerestriction",
    "Restrict to",
    { type: "issuerestriction" },
    () => ({
      issuerestrictions: {},
      shouldDisplay: false,
    }),
    { navigable: true, searchable: false, clauseNames: [] },
  ),
];

function customSchema(def: CustomFieldDef): Json {
  const base = { custom: CUSTOM_TYPE_KEYS[def.type], customId: def.numericId };
  switch (def.type) {
    case "float":
      return { type: "number", ...base };
    case "select":
      return { type: "option", ...base };
    case "multiselect":
      return { type: "array", items: "option", ...base };
    case "userpicker":
      return { type: "user", ...base };
    case "multiuserpicker":
      return { type: "array", items: "user", ...base };
    case "datepicker":
      return { type: "date", ...base };
    case "datetime":
      return { type: "datetime", ...base };
    case "labels":
      return { type: "array", items: "string", ...base };
    case "rank":
      return { type: "any", ...base };
    default:
      return { type: "string", ...base };
  }
}

function renderCustom(def: CustomFieldDef, value: unknown, ctx: RenderCtx): unknown {
  if (value === undefined || value === null) {
    return null;
  }
  switch (def.type) {
    case "textarea":
      return richText(value as AdfDoc, ctx);
    case "select": {
      const o = def.options.find((x) => x.id === value);
      return o ? renderOption(ctx, o) : null;
    }
    case "multiselect":
      return (value as string[])
        .map((id) => def.options.find((x) => x.id === id))
        .filter((o) => o !== undefined)
        .map((o) => renderOption(ctx, o));
    case "userpicker":
      return renderUserById(ctx, value as string);
    case "multiuserpicker":
      return (value as string[])
        .map((id) => ctx.store.userById.get(id))
        .filter((u) => u !== undefined)
        .map((u) => renderUser(ctx, u));
    case "datetime":
      return dt(value as number, ctx);
    case "labels":
      return [...(value as string[])];
    default:
      return value;
  }
}

export function customFieldDef(def: CustomFieldDef): FieldDef {
  return {
    id: def.id,
    name: def.name,
    custom: true,
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: [`cf[${def.numericId}]`, def.name, `${def.name}[${CUSTOM_TYPE_LABELS[def.type]}]`],
    schema: customSchema(def),
    changelogName: def.name,
    render: (issue, ctx) => renderCustom(def, issue.custom[def.id], ctx),
    rendered: (issue, ctx) => {
      const v = issue.custom[def.id];
      if (def.type === "textarea") {
        return adfToHtml((v as AdfDoc | undefined) ?? null, ctx.store.baseUrl);
      }
      if (def.type === "datetime") {
        return typeof v === "number" ? formatRendered(v, ctx.store.timeZone) : null;
      }
      return null;
    },
  };
}

/** changelog `from`/`to` (raw) and `fromString`/`toString` (display) for a custom value. */
export function customFieldDisplay(
  def: CustomFieldDef,
  value: unknown,
  store: Store,
): { raw: string | null; display: string | null } {
  if (value === undefined || value === null) {
    return { raw: null, display: null };
  }
  switch (def.type) {
    case "select": {
      const o = def.options.find((x) => x.id === value);
      return { raw: String(value), display: o?.value ?? null };
    }
    case "multiselect": {
      const ids = value as string[];
      return {
        raw: `[${ids.join(", ")}]`,
        display: ids.map((id) => def.options.find((x) => x.id === id)?.value ?? id).join(","),
      };
    }
    case "userpicker":
      return {
        raw: String(value),
        display: store.userById.get(String(value))?.displayName ?? null,
      };
    case "multiuserpicker": {
      const ids = value as string[];
      return {
        raw: `[${ids.join(", ")}]`,
        display: ids.map((id) => store.userById.get(id)?.displayName ?? id).join(", "),
      };
    }
    case "textarea":
      return { raw: null, display: adfToWiki(value as AdfDoc) };
    case "datetime":
      return {
        raw: formatJiraDateTime(value as number, store.timeZone),
        display: formatRendered(value as number, store.timeZone),
      };
    case "labels":
      return { raw: null, display: (value as string[]).join(" ") };
    case "float":
      return { raw: null, display: String(value) };
    default:
      return { raw: null, display: String(value) };
  }
}

export class FieldCatalogue {
  readonly all: FieldDef[];
  readonly byId: Map<string, FieldDef>;
  /** Lower-cased clause names and field names -> field, for JQL. */
  readonly byClause: Map<string, FieldDef>;

  constructor(customFields: readonly CustomFieldDef[]) {
    this.all = [...SYSTEM_FIELDS, ...customFields.map(customFieldDef)];
    this.byId = new Map(this.all.map((f) => [f.id, f]));
    this.byClause = new Map();
    for (const f of this.all) {
      for (const name of [f.id, f.name, ...f.clauseNames]) {
        this.byClause.set(name.toLowerCase(), f);
      }
    }
  }

  /** Catalogue entry as GET /rest/api/3/field returns it. */
  details(f: FieldDef): Json {
    const out: Json = {
      id: f.id,
      key: f.id,
      name: f.name,
      custom: f.custom,
      orderable: f.orderable,
      navigable: f.navigable,
      searchable: f.searchable,
      clauseNames: f.clauseNames,
    };
    if (f.schema) {
      out.schema = f.schema;
    }
    return out;
  }
}
