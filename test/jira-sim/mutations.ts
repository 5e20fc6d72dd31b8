// Every write (REST or control API) goes through here so changelog, `updated`, indexes and
// webhook events stay consistent. Edits are validated completely before anything is applied,
// like Jira, which rejects the whole request when one field is invalid.

import { type AdfDoc, adfToWiki, isAdfDoc } from "./adf.ts";
import {
  DEFAULT_PRIORITY_ID,
  DONE_RESOLUTION_ID,
  INITIAL_STATUS_ID,
  SUBTASK_TYPE_ID,
  TRANSITIONS,
} from "./catalog.ts";
import { customFieldDisplay, type FieldCatalogue } from "./fields.ts";
import type {
  Comment,
  CustomFieldDef,
  History,
  HistoryItem,
  Issue,
  IssueLinkRecord,
} from "./model.ts";
import type { Store } from "./store.ts";
import { isValidDateOnly, parseJiraDateTime } from "./time.ts";

export type SiteEvent =
  | {
      type: "jira:issue_created";
      issue: Issue;
      items: HistoryItem[];
      historyId: string;
      actorId: string;
    }
  | {
      type: "jira:issue_updated";
      issue: Issue;
      eventTypeName: string;
      history: History | null;
      comment?: Comment;
      actorId: string;
    }
  | { type: "jira:issue_deleted"; issue: Issue; actorId: string }
  | {
      type: "comment_created" | "comment_updated" | "comment_deleted";
      issue: Issue;
      comment: Comment;
      actorId: string;
    }
  | { type: "issuelink_created" | "issuelink_deleted"; link: IssueLinkRecord; actorId: string };

export class ValidationError extends Error {
  readonly errors: Record<string, string>;
  readonly errorMessages: string[];
  constructor(errors: Record<string, string>, errorMessages: string[] = []) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? "invalid");
    this.errors = errors;
    this.errorMessages = errorMessages;
  }
}

interface LinkPlan {
  typeId: string;
  otherId: string;
  outward: boolean;
}

interface EditPlan {
  assign: Map<string, unknown>;
  comments: AdfDoc[];
  links: LinkPlan[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const READ_ONLY = new Set([
  "status",
  "created",
  "updated",
  "creator",
  "project",
  "resolutiondate",
  "statuscategorychangedate",
  "subtasks",
  "votes",
  "watches",
  "lastViewed",
  "workratio",
  "progress",
  "aggregateprogress",
  "comment",
  "worklog",
  "attachment",
  "issuelinks",
]);

const ARRAY_FIELDS = new Set(["labels", "components", "fixVersions", "versions"]);

function cannotSet(field: string): string {
  return `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

export interface MutationOptions {
  actorId: string;
  now: number;
  /** Whether webhooks fire for this change (REST always, control API on request). */
  notify: boolean;
  /** Silent edits do not move `updated` nor write changelog (like some app/system updates). */
  silent?: boolean;
}

export class Mutator {
  private readonly store: Store;
  private readonly catalogue: FieldCatalogue;
  private readonly emit: (event: SiteEvent) => void;

  constructor(store: Store, catalogue: FieldCatalogue, emit: (event: SiteEvent) => void) {
    this.store = store;
    this.catalogue = catalogue;
    this.emit = emit;
  }

  // ---- value parsing -------------------------------------------------------------------------

  private parseValue(
    fieldId: string,
    value: unknown,
    issue: Issue | null,
    projectId: string,
  ): unknown {
    const store = this.store;
    const project = store.projectById.get(projectId);
    switch (fieldId) {
      case "summary":
        if (typeof value !== "string" || value.trim() === "") {
          throw new FieldError("You must specify a summary of the issue.");
        }
        if (value.length > 255) {
          throw new FieldError("Summary must be less than 255 characters.");
        }
        return value;
      case "description":
      case "environment":
        if (value === null) {
          return null;
        }
        if (!isAdfDoc(value)) {
          throw new FieldError(
            "Operation value must be an Atlassian Document (see the Atlassian Document Format).",
          );
        }
        return value;
      case "priority": {
        if (value === null) {
          return null;
        }
        const p = isObj(value)
          ? [...store.priorityById.values()].find((x) => x.id === value.id || x.name === value.name)
          : undefined;
        if (!p) {
          throw new FieldError("The priority selected is invalid.");
        }
        return p.id;
      }
      case "assignee":
      case "reporter": {
        if (value === null) {
          if (fieldId === "reporter") {
            throw new FieldError("Reporter is required.");
          }
          return null;
        }
        const id = isObj(value) ? value.accountId : undefined;
        const u = typeof id === "string" ? store.userById.get(id) : undefined;
        if (!u) {
          throw new FieldError(
            fieldId === "assignee"
              ? `User '${String(id)}' cannot be assigned issues.`
              : "Specified reporter is not a user.",
          );
        }
        return u.accountId;
      }
      case "labels":
        return this.parseLabels(value);
      case "components":
      case "fixVersions":
      case "versions": {
        if (!Array.isArray(value)) {
          throw new FieldError("Operation value must be an array.");
        }
        const pool =
          fieldId === "components" ? (project?.components ?? []) : (project?.versions ?? []);
        const noun = fieldId === "components" ? "Component" : "Version";
        return value.map((v) => this.resolveNamed(pool, v, noun));
      }
      case "duedate":
        if (value === null) {
          return null;
        }
        if (typeof value !== "string" || !isValidDateOnly(value)) {
          throw new FieldError(`Error parsing date string: ${String(value)}`);
        }
        return value;
      case "parent": {
        if (value === null) {
          return null;
        }
        const ref = isObj(value) ? (value.key ?? value.id) : undefined;
        const parent = typeof ref === "string" ? store.getIssue(ref) : undefined;
        if (!parent || parent.id === issue?.id) {
          throw new FieldError("Could not find issue by id or key.");
        }
        return parent.id;
      }
      case "issuetype": {
        const t = isObj(value)
          ? [...store.issueTypeById.values()].find(
              (x) => x.id === value.id || x.name === value.name,
            )
          : undefined;
        if (!t) {
          throw new FieldError("The issue type selected is invalid.");
        }
        return t.id;
      }
      case "resolution": {
        if (value === null) {
          return null;
        }
        const r = isObj(value)
          ? [...store.resolutionById.values()].find(
              (x) => x.id === value.id || x.name === value.name,
            )
          : undefined;
        if (!r) {
          throw new FieldError("The resolution selected is invalid.");
        }
        return r.id;
      }
      default: {
        const def = store.customFieldById.get(fieldId);
        if (!def || READ_ONLY.has(fieldId)) {
          throw new FieldError(cannotSet(fieldId));
        }
        return this.parseCustom(def, value);
      }
    }
  }

  private parseLabels(value: unknown): string[] {
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      throw new FieldError("Operation value must be an array of strings.");
    }
    for (const l of value as string[]) {
      if (/\s/.test(l)) {
        throw new FieldError(`The label '${l}' contains spaces which is invalid.`);
      }
      if (l.length > 255) {
        throw new FieldError("The label must not exceed 255 characters.");
      }
    }
    return [...new Set(value as string[])];
  }

  private resolveNamed(
    pool: readonly { id: string; name: string }[],
    v: unknown,
    noun: string,
  ): string {
    if (isObj(v) && typeof v.id === "string") {
      const hit = pool.find((x) => x.id === v.id);
      if (!hit) {
        throw new FieldError(`${noun} id '${v.id}' is not valid`);
      }
      return hit.id;
    }
    if (isObj(v) && typeof v.name === "string") {
      const hit = pool.find((x) => x.name === v.name);
      if (!hit) {
        throw new FieldError(`${noun} name '${v.name}' is not valid`);
      }
      return hit.id;
    }
    throw new FieldError(`${noun} must be given as {"id": ...} or {"name": ...}.`);
  }

  private parseCustom(def: CustomFieldDef, value: unknown): unknown {
    if (value === null) {
      return null;
    }
    const option = (v: unknown): string => {
      const hit = isObj(v)
        ? def.options.find((o) =>
            v.id !== undefined ? o.id === String(v.id) : o.value === v.value,
          )
        : undefined;
      if (!hit) {
        const label =
          isObj(v) && v.id !== undefined
            ? `id '${String(v.id)}'`
            : `value '${isObj(v) ? String(v.value) : String(v)}'`;
        throw new FieldError(`Option ${label} is not valid`);
      }
      return hit.id;
    };
    const user = (v: unknown): string => {
      const id = isObj(v) ? v.accountId : undefined;
      if (typeof id !== "string" || !this.store.userById.has(id)) {
        throw new FieldError(
          `Specified user '${String(id)}' does not exist or you do not have required permissions.`,
        );
      }
      return id;
    };
    switch (def.type) {
      case "textfield":
      case "url":
      case "rank":
        if (typeof value !== "string") {
          throw new FieldError("Operation value must be a string");
        }
        if (def.type === "textfield" && value.length > 255) {
          throw new FieldError(
            "The entered text is too long. It exceeds the allowed limit of 255 characters.",
          );
        }
        return value;
      case "textarea":
        if (!isAdfDoc(value)) {
          throw new FieldError(
            "Operation value must be an Atlassian Document (see the Atlassian Document Format).",
          );
        }
        return value;
      case "float":
        if (typeof value !== "number" || !Number.isFinite(value)) {
          throw new FieldError("Operation value must be a number");
        }
        return value;
      case "select":
        return option(value);
      case "multiselect":
        if (!Array.isArray(value)) {
          throw new FieldError("Operation value must be an array");
        }
        return value.map(option);
      case "userpicker":
        return user(value);
      case "multiuserpicker":
        if (!Array.isArray(value)) {
          throw new FieldError("Operation value must be an array");
        }
        return value.map(user);
      case "datepicker":
        if (typeof value !== "string" || !isValidDateOnly(value)) {
          throw new FieldError(`Error parsing date string: ${String(value)}`);
        }
        return value;
      case "datetime": {
        const ms = typeof value === "string" ? parseJiraDateTime(value) : null;
        if (ms === null) {
          throw new FieldError(`Error parsing date string: ${String(value)}`);
        }
        return ms;
      }
      case "labels":
        return this.parseLabels(value);
    }
  }

  // ---- internal values -----------------------------------------------------------------------

  private getInternal(issue: Issue, fieldId: string): unknown {
    switch (fieldId) {
      case "summary":
        return issue.summary;
      case "description":
        return issue.description;
      case "environment":
        return issue.environment;
      case "priority":
        return issue.priorityId;
      case "assignee":
        return issue.assigneeId;
      case "reporter":
        return issue.reporterId;
      case "labels":
        return issue.labels;
      case "components":
        return issue.componentIds;
      case "fixVersions":
        return issue.fixVersionIds;
      case "versions":
        return issue.versionIds;
      case "duedate":
        return issue.duedate;
      case "parent":
        return issue.parentId;
      case "issuetype":
        return issue.issueTypeId;
      case "resolution":
        return issue.resolutionId;
      default:
        return issue.custom[fieldId] ?? null;
    }
  }

  private setInternal(issue: Issue, fieldId: string, value: unknown, now: number): void {
    switch (fieldId) {
      case "summary":
        issue.summary = value as string;
        break;
      case "description":
        issue.description = value as AdfDoc | null;
        break;
      case "environment":
        issue.environment = value as AdfDoc | null;
        break;
      case "priority":
        issue.priorityId = value as string | null;
        break;
      case "assignee":
        issue.assigneeId = value as string | null;
        break;
      case "reporter":
        issue.reporterId = value as string;
        break;
      case "labels":
        issue.labels = [...(value as string[])].sort();
        break;
      case "components":
        issue.componentIds = value as string[];
        break;
      case "fixVersions":
        issue.fixVersionIds = value as string[];
        break;
      case "versions":
        issue.versionIds = value as string[];
        break;
      case "duedate":
        issue.duedate = value as string | null;
        break;
      case "parent":
        this.store.setParent(issue, value as string | null);
        break;
      case "issuetype":
        issue.issueTypeId = value as string;
        break;
      case "resolution":
        issue.resolutionId = value as string | null;
        issue.resolutionDate = value === null ? null : (issue.resolutionDate ?? now);
        break;
      default:
        if (value === null || (Array.isArray(value) && value.length === 0)) {
          delete issue.custom[fieldId];
        } else {
          issue.custom[fieldId] = value;
        }
    }
  }

  /** Changelog items describing old -> new for one field. */
  private describeChange(fieldId: string, before: unknown, after: unknown): HistoryItem[] {
    const store = this.store;
    const def = this.catalogue.byId.get(fieldId);
    const field = def?.changelogName ?? fieldId;
    const item = (
      from: string | null,
      fromString: string | null,
      to: string | null,
      toStr: string | null,
    ): HistoryItem => ({
      field,
      fieldtype: def?.custom ? "custom" : "jira",
      fieldId,
      from,
      fromString,
      to,
      toString: toStr,
    });
    const userName = (id: unknown) =>
      typeof id === "string" ? (store.userById.get(id)?.displayName ?? null) : null;
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    switch (fieldId) {
      case "summary":
        return [item(null, str(before), null, str(after))];
      case "description":
      case "environment":
        return [
          item(null, adfToWiki(before as AdfDoc | null), null, adfToWiki(after as AdfDoc | null)),
        ];
      case "assignee":
      case "reporter":
        return [item(str(before), userName(before), str(after), userName(after))];
      case "priority": {
        const name = (id: unknown) =>
          typeof id === "string" ? (store.priorityById.get(id)?.name ?? null) : null;
        return [item(str(before), name(before), str(after), name(after))];
      }
      case "issuetype": {
        const name = (id: unknown) =>
          typeof id === "string" ? (store.issueTypeById.get(id)?.name ?? null) : null;
        return [item(str(before), name(before), str(after), name(after))];
      }
      case "resolution": {
        const name = (id: unknown) =>
          typeof id === "string" ? (store.resolutionById.get(id)?.name ?? null) : null;
        return [item(str(before), name(before), str(after), name(after))];
      }
      case "parent": {
        const key = (id: unknown) =>
          typeof id === "string" ? (store.issues.get(id)?.key ?? null) : null;
        return [item(str(before), key(before), str(after), key(after))];
      }
      case "duedate":
        return [item(str(before), str(before), str(after), str(after))];
      case "labels":
        return [
          item(
            null,
            (before as string[]).join(" ") || null,
            null,
            (after as string[]).join(" ") || null,
          ),
        ];
      case "components":
      case "fixVersions":
      case "versions": {
        const b = before as string[];
        const a = after as string[];
        const issueProject = (id: string) =>
          store.projects.flatMap((p) => [...p.components, ...p.versions]).find((x) => x.id === id)
            ?.name ?? null;
        return [
          ...b.filter((id) => !a.includes(id)).map((id) => item(id, issueProject(id), null, null)),
          ...a.filter((id) => !b.includes(id)).map((id) => item(null, null, id, issueProject(id))),
        ];
      }
      default: {
        const cf = store.customFieldById.get(fieldId);
        if (!cf) {
          return [];
        }
        const f = customFieldDisplay(cf, before, store);
        const t = customFieldDisplay(cf, after, store);
        return [item(f.raw, f.display, t.raw, t.display)];
      }
    }
  }

  // ---- planning ------------------------------------------------------------------------------

  private plan(issue: Issue | null, projectId: string, fields: Obj, update: Obj): EditPlan {
    const errors: Record<string, string> = {};
    const plan: EditPlan = { assign: new Map(), comments: [], links: [] };
    for (const [fieldId, value] of Object.entries(fields)) {
      if (issue === null && (fieldId === "project" || fieldId === "issuetype")) {
        continue;
      }
      if (fieldId in update) {
        errors[fieldId] = `Field '${fieldId}' cannot be set in both 'fields' and 'update'.`;
        continue;
      }
      try {
        if (READ_ONLY.has(fieldId)) {
          throw new FieldError(cannotSet(fieldId));
        }
        plan.assign.set(fieldId, this.parseValue(fieldId, value, issue, projectId));
      } catch (e) {
        errors[fieldId] = e instanceof FieldError ? e.message : String(e);
      }
    }
    for (const [fieldId, ops] of Object.entries(update)) {
      try {
        if (!Array.isArray(ops)) {
          throw new FieldError("Operations must be given as an array.");
        }
        for (const op of ops) {
          this.planOperation(plan, issue, projectId, fieldId, op);
        }
      } catch (e) {
        errors[fieldId] = e instanceof FieldError ? e.message : String(e);
      }
    }
    if (Object.keys(errors).length > 0) {
      throw new ValidationError(errors);
    }
    return plan;
  }

  private planOperation(
    plan: EditPlan,
    issue: Issue | null,
    projectId: string,
    fieldId: string,
    op: unknown,
  ): void {
    if (!isObj(op)) {
      throw new FieldError("Operation must be an object.");
    }
    const [verb, value] = Object.entries(op)[0] ?? ["", undefined];
    if (fieldId === "comment") {
      const body = isObj(value) ? value.body : undefined;
      if (verb !== "add" || !isAdfDoc(body)) {
        throw new FieldError("Comment body can not be empty!");
      }
      plan.comments.push(body);
      return;
    }
    if (fieldId === "issuelinks") {
      if (verb !== "add" || !isObj(value)) {
        throw new FieldError("Only the 'add' operation is supported for issue links.");
      }
      const typeRef = isObj(value.type) ? value.type : {};
      const type = [...this.store.linkTypeById.values()].find(
        (t) => t.id === typeRef.id || t.name === typeRef.name,
      );
      if (!type) {
        throw new FieldError("No issue link type with name or id found.");
      }
      const outward = isObj(value.outwardIssue);
      const ref = (outward ? value.outwardIssue : value.inwardIssue) as Obj | undefined;
      const other = ref ? this.store.getIssue(String(ref.key ?? ref.id ?? "")) : undefined;
      if (!other) {
        throw new FieldError("Could not find issue by id or key.");
      }
      plan.links.push({ typeId: type.id, otherId: other.id, outward });
      return;
    }
    if (verb === "set") {
      if (READ_ONLY.has(fieldId)) {
        throw new FieldError(cannotSet(fieldId));
      }
      plan.assign.set(fieldId, this.parseValue(fieldId, value, issue, projectId));
      return;
    }
    if (verb !== "add" && verb !== "remove") {
      throw new FieldError(`The operation '${verb}' is not supported by the field '${fieldId}'.`);
    }
    const cf = this.store.customFieldById.get(fieldId);
    const isArray =
      ARRAY_FIELDS.has(fieldId) ||
      cf?.type === "multiselect" ||
      cf?.type === "multiuserpicker" ||
      cf?.type === "labels";
    if (!isArray) {
      throw new FieldError(`The operation '${verb}' is not supported by the field '${fieldId}'.`);
    }
    const current = (plan.assign.get(fieldId) ??
      (issue ? this.getInternal(issue, fieldId) : null) ??
      []) as string[];
    const [parsed] = this.parseValue(fieldId, [value], issue, projectId) as string[];
    if (parsed === undefined) {
      return;
    }
    plan.assign.set(
      fieldId,
      verb === "add"
        ? [...current.filter((v) => v !== parsed), parsed]
        : current.filter((v) => v !== parsed),
    );
  }

  // ---- operations ----------------------------------------------------------------------------

  createIssue(body: Obj, opts: MutationOptions): Issue {
    const fields = isObj(body.fields) ? body.fields : {};
    const update = isObj(body.update) ? body.update : {};
    const store = this.store;
    const errors: Record<string, string> = {};
    const projectRef = isObj(fields.project) ? fields.project : undefined;
    const project = projectRef
      ? (store.projectById.get(String(projectRef.id ?? "")) ??
        store.projectByKey.get(String(projectRef.key ?? "").toUpperCase()))
      : undefined;
    if (!project) {
      errors.project = "Specify a valid project ID or key";
    }
    const typeRef = isObj(fields.issuetype) ? fields.issuetype : undefined;
    const type = typeRef
      ? [...store.issueTypeById.values()].find(
          (t) => t.id === typeRef.id || t.name === typeRef.name,
        )
      : undefined;
    if (!typeRef) {
      errors.issuetype = "Specify an issue type";
    } else if (!type) {
      errors.issuetype = "The issue type selected is invalid.";
    }
    if (fields.summary === undefined) {
      errors.summary = "You must specify a summary of the issue.";
    }
    let plan: EditPlan | null = null;
    try {
      plan = this.plan(null, project?.id ?? "", fields, update);
    } catch (e) {
      if (!(e instanceof ValidationError)) {
        throw e;
      }
      Object.assign(errors, e.errors);
    }
    if (type?.subtask && !plan?.assign.get("parent")) {
      errors.parent = "Given parent issue does not belong to appropriate hierarchy.";
    }
    if (!project || !type || !plan || Object.keys(errors).length > 0) {
      throw new ValidationError(errors);
    }
    const issue: Issue = {
      id: store.newIssueId(),
      key: `${project.key}-${project.nextIssueNumber++}`,
      projectId: project.id,
      issueTypeId: type.id,
      statusId: INITIAL_STATUS_ID,
      priorityId: DEFAULT_PRIORITY_ID,
      resolutionId: null,
      summary: "",
      description: null,
      environment: null,
      assigneeId: null,
      reporterId: opts.actorId,
      creatorId: opts.actorId,
      labels: [],
      componentIds: [],
      fixVersionIds: [],
      versionIds: [],
      duedate: null,
      parentId: null,
      created: opts.now,
      updated: opts.now,
      resolutionDate: null,
      statusCategoryChangeDate: opts.now,
      custom: {},
      comments: [],
      histories: [],
      votes: 0,
      watchers: 1,
    };
    const items: HistoryItem[] = [];
    for (const [fieldId, value] of plan.assign) {
      const before = this.getInternal(issue, fieldId);
      this.setInternal(issue, fieldId, value, opts.now);
      items.push(...this.describeChange(fieldId, fieldId === "labels" ? [] : before, value));
    }
    const status = store.statusById.get(INITIAL_STATUS_ID);
    items.push({
      field: "Status",
      fieldtype: "jira",
      fieldId: "status",
      from: null,
      fromString: null,
      to: INITIAL_STATUS_ID,
      toString: status?.name ?? null,
    });
    store.addIssue(issue);
    if (opts.notify) {
      this.emit({
        type: "jira:issue_created",
        issue,
        items,
        historyId: store.newHistoryId(),
        actorId: opts.actorId,
      });
    }
    for (const bodyDoc of plan.comments) {
      this.addComment(issue, bodyDoc, opts);
    }
    for (const link of plan.links) {
      this.addLink(issue, link, opts);
    }
    return issue;
  }

  editIssue(issue: Issue, body: Obj, opts: MutationOptions): History | null {
    const fields = isObj(body.fields) ? body.fields : {};
    const update = isObj(body.update) ? body.update : {};
    if (body.fields !== undefined && !isObj(body.fields)) {
      throw new ValidationError({}, [
        "Can not deserialize instance of java.util.LinkedHashMap out of START_ARRAY token",
      ]);
    }
    const plan = this.plan(issue, issue.projectId, fields, update);
    const items: HistoryItem[] = [];
    for (const [fieldId, value] of plan.assign) {
      const before = this.getInternal(issue, fieldId);
      if (JSON.stringify(before) === JSON.stringify(value)) {
        continue;
      }
      const beforeCopy = Array.isArray(before) ? [...before] : before;
      this.setInternal(issue, fieldId, value, opts.now);
      items.push(...this.describeChange(fieldId, beforeCopy, this.getInternal(issue, fieldId)));
    }
    const eventType = items.every((i) => i.fieldId === "assignee")
      ? "issue_assigned"
      : "issue_updated";
    const history = this.record(issue, items, opts, eventType);
    for (const bodyDoc of plan.comments) {
      this.addComment(issue, bodyDoc, opts);
    }
    for (const link of plan.links) {
      this.addLink(issue, link, opts);
    }
    return history;
  }

  /** Writes the history, bumps `updated` and fires jira:issue_updated. */
  private record(
    issue: Issue,
    items: HistoryItem[],
    opts: MutationOptions,
    eventTypeName: string,
  ): History | null {
    if (items.length === 0) {
      return null;
    }
    let history: History | null = null;
    if (!opts.silent) {
      history = { id: this.store.newHistoryId(), authorId: opts.actorId, created: opts.now, items };
      issue.histories.push(history);
      issue.updated = opts.now;
    }
    this.store.touch();
    if (opts.notify) {
      this.emit({
        type: "jira:issue_updated",
        issue,
        eventTypeName,
        history: history ?? {
          id: this.store.newHistoryId(),
          authorId: opts.actorId,
          created: opts.now,
          items,
        },
        actorId: opts.actorId,
      });
    }
    return history;
  }

  transitionTargets(issue: Issue) {
    return TRANSITIONS.filter((t) => t.toStatusId !== issue.statusId);
  }

  transition(issue: Issue, transitionId: string, body: Obj, opts: MutationOptions): void {
    const t = this.transitionTargets(issue).find((x) => x.id === transitionId);
    if (!t) {
      throw new ValidationError({}, [
        `Transition id '${transitionId}' is not valid for this issue.`,
      ]);
    }
    const fields = isObj(body.fields) ? body.fields : {};
    const update = isObj(body.update) ? body.update : {};
    const plan = this.plan(issue, issue.projectId, fields, update);
    const store = this.store;
    const from = store.statusById.get(issue.statusId);
    const to = store.statusById.get(t.toStatusId);
    if (!from || !to) {
      throw new ValidationError({}, ["Workflow is misconfigured."]);
    }
    const items: HistoryItem[] = [
      {
        field: "status",
        fieldtype: "jira",
        fieldId: "status",
        from: from.id,
        fromString: from.name,
        to: to.id,
        toString: to.name,
      },
    ];
    issue.statusId = to.id;
    if (from.category !== to.category) {
      issue.statusCategoryChangeDate = opts.now;
    }
    const wantedResolution =
      to.category === "done"
        ? ((plan.assign.get("resolution") as string | null | undefined) ?? DONE_RESOLUTION_ID)
        : null;
    plan.assign.delete("resolution");
    if (wantedResolution !== issue.resolutionId) {
      items.push(...this.describeChange("resolution", issue.resolutionId, wantedResolution));
      issue.resolutionId = wantedResolution;
      issue.resolutionDate = wantedResolution ? opts.now : null;
    }
    for (const [fieldId, value] of plan.assign) {
      const before = this.getInternal(issue, fieldId);
      if (JSON.stringify(before) !== JSON.stringify(value)) {
        const beforeCopy = Array.isArray(before) ? [...before] : before;
        this.setInternal(issue, fieldId, value, opts.now);
        items.push(...this.describeChange(fieldId, beforeCopy, value));
      }
    }
    this.record(issue, items, opts, "issue_generic");
    for (const bodyDoc of plan.comments) {
      this.addComment(issue, bodyDoc, opts);
    }
  }

  /** Finds a transition by target status name (control API convenience). */
  transitionIdForStatus(issue: Issue, statusName: string): string | undefined {
    const lower = statusName.toLowerCase();
    const status = [...this.store.statusById.values()].find(
      (s) => s.name.toLowerCase() === lower || s.id === statusName,
    );
    return status
      ? this.transitionTargets(issue).find((t) => t.toStatusId === status.id)?.id
      : undefined;
  }

  addComment(issue: Issue, body: AdfDoc, opts: MutationOptions): Comment {
    const comment: Comment = {
      id: this.store.newCommentId(),
      authorId: opts.actorId,
      updateAuthorId: opts.actorId,
      body,
      created: opts.now,
      updated: opts.now,
    };
    issue.comments.push(comment);
    if (!opts.silent) {
      issue.updated = opts.now;
    }
    this.store.touch();
    if (opts.notify) {
      this.emit({ type: "comment_created", issue, comment, actorId: opts.actorId });
      this.emit({
        type: "jira:issue_updated",
        issue,
        eventTypeName: "issue_commented",
        history: null,
        comment,
        actorId: opts.actorId,
      });
    }
    return comment;
  }

  updateComment(issue: Issue, comment: Comment, body: AdfDoc, opts: MutationOptions): Comment {
    comment.body = body;
    comment.updated = opts.now;
    comment.updateAuthorId = opts.actorId;
    if (!opts.silent) {
      issue.updated = opts.now;
    }
    this.store.touch();
    if (opts.notify) {
      this.emit({ type: "comment_updated", issue, comment, actorId: opts.actorId });
    }
    return comment;
  }

  deleteComment(issue: Issue, comment: Comment, opts: MutationOptions): void {
    issue.comments = issue.comments.filter((c) => c.id !== comment.id);
    if (!opts.silent) {
      issue.updated = opts.now;
    }
    this.store.touch();
    if (opts.notify) {
      this.emit({ type: "comment_deleted", issue, comment, actorId: opts.actorId });
    }
  }

  deleteIssue(issue: Issue, deleteSubtasks: boolean, opts: MutationOptions): void {
    const subtasks = this.store.children(issue.id).filter((c) => c.issueTypeId === SUBTASK_TYPE_ID);
    if (subtasks.length > 0 && !deleteSubtasks) {
      throw new ValidationError({}, [
        `The issue '${issue.key}' has subtasks. To delete it, set the deleteSubtasks parameter to true.`,
      ]);
    }
    for (const sub of subtasks) {
      this.deleteIssue(sub, true, opts);
    }
    if (opts.notify) {
      // Snapshot before removal so the payload still renders links and parent.
      this.emit({ type: "jira:issue_deleted", issue, actorId: opts.actorId });
    }
    const removed = this.store.removeIssue(issue, opts.now);
    if (opts.notify) {
      for (const link of removed) {
        this.emit({ type: "issuelink_deleted", link, actorId: opts.actorId });
      }
    }
  }

  addLink(issue: Issue, plan: LinkPlan, opts: MutationOptions): IssueLinkRecord {
    const link: IssueLinkRecord = {
      id: this.store.newLinkId(),
      typeId: plan.typeId,
      sourceId: plan.outward ? issue.id : plan.otherId,
      destinationId: plan.outward ? plan.otherId : issue.id,
    };
    this.store.addLink(link);
    const type = this.store.linkTypeById.get(plan.typeId);
    const other = this.store.issues.get(plan.otherId);
    for (const [side, counterpart, outward] of [
      [issue, other, plan.outward],
      [other, issue, !plan.outward],
    ] as const) {
      if (side && counterpart && type) {
        this.record(
          side,
          [
            {
              field: "Link",
              fieldtype: "jira",
              fieldId: "issuelinks",
              from: null,
              fromString: null,
              to: counterpart.key,
              toString: `This issue ${outward ? type.outward : type.inward} ${counterpart.key}`,
            },
          ],
          { ...opts, notify: false },
          "issue_updated",
        );
      }
    }
    if (opts.notify) {
      this.emit({ type: "issuelink_created", link, actorId: opts.actorId });
    }
    return link;
  }

  removeLink(linkId: string, opts: MutationOptions): IssueLinkRecord | undefined {
    const link = this.store.removeLink(linkId);
    if (!link) {
      return undefined;
    }
    const type = this.store.linkTypeById.get(link.typeId);
    for (const [sideId, otherId, outward] of [
      [link.sourceId, link.destinationId, true],
      [link.destinationId, link.sourceId, false],
    ] as const) {
      const side = this.store.issues.get(sideId);
      const other = this.store.issues.get(otherId);
      if (side && other && type) {
        this.record(
          side,
          [
            {
              field: "Link",
              fieldtype: "jira",
              fieldId: "issuelinks",
              from: other.key,
              fromString: `This issue ${outward ? type.outward : type.inward} ${other.key}`,
              to: null,
              toString: null,
            },
          ],
          { ...opts, notify: false },
          "issue_updated",
        );
      }
    }
    if (opts.notify) {
      this.emit({ type: "issuelink_deleted", link, actorId: opts.actorId });
    }
    return link;
  }

  /** Plans a link from control-API or REST input ({type:{name}, outwardIssue|inwardIssue}). */
  planLink(issue: Issue, body: Obj): LinkPlan {
    const plan: EditPlan = { assign: new Map(), comments: [], links: [] };
    try {
      this.planOperation(plan, issue, issue.projectId, "issuelinks", { add: body });
    } catch (e) {
      if (e instanceof FieldError) {
        throw new ValidationError({ issuelinks: e.message });
      }
      throw e;
    }
    const link = plan.links[0];
    if (!link) {
      throw new ValidationError({ issuelinks: "No link given." });
    }
    return link;
  }
}

class FieldError extends Error {}
