// Issue rendering: field selection (`fields`), expansions and the truncation Jira applies to
// embedded comments and changelogs.

import { TRANSITIONS } from "./catalog.ts";
import { type Json, renderStatus, renderUserById } from "./entities.ts";
import type { FieldCatalogue, FieldDef, IssueRenderCtx } from "./fields.ts";
import type { History, Issue } from "./model.ts";
import type { Store } from "./store.ts";
import { formatJiraDateTime } from "./time.ts";

export interface FieldSelection {
  /** search/jql's default: the issue is just `{id}`. */
  idOnly: boolean;
  fields: FieldDef[];
}

export type DefaultFields = "id" | "*all" | "*navigable";

/** Flattens `fields` given as repeated params, comma lists or JSON arrays. */
export function splitList(raw: readonly string[] | string | undefined | null): string[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  const items = typeof raw === "string" ? [raw] : raw;
  return items
    .flatMap((s) => String(s).split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseFieldSelection(
  catalogue: FieldCatalogue,
  raw: readonly string[] | string | undefined | null,
  defaults: DefaultFields,
): FieldSelection {
  let tokens = splitList(raw);
  if (tokens.length === 0) {
    tokens = [defaults];
  }
  let all = false;
  let navigable = false;
  let wantsId = false;
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const t of tokens) {
    if (t === "*all") {
      all = true;
    } else if (t === "*navigable") {
      navigable = true;
    } else if (t.startsWith("-")) {
      exclude.add(t.slice(1));
    } else if (t === "id") {
      wantsId = true;
    } else if (t === "key" || t === "issuekey") {
      // Always part of the envelope; asking for it just switches off id-only mode.
      include.add("issuekey");
    } else if (catalogue.byId.has(t)) {
      include.add(t);
    }
  }
  if (wantsId && !all && !navigable && include.size === 0 && exclude.size === 0) {
    return { idOnly: true, fields: [] };
  }
  if (!all && !navigable && include.size === 0 && exclude.size > 0) {
    navigable = true;
  }
  const fields = catalogue.all.filter(
    (f) =>
      !f.virtual && !exclude.has(f.id) && (all || (navigable && f.navigable) || include.has(f.id)),
  );
  return { idOnly: false, fields };
}

export interface IssueRenderOptions {
  selection: FieldSelection;
  expand: ReadonlySet<string>;
  /** Newest histories embedded with expand=changelog (null = all). */
  changelogLimit: number | null;
  /** search/jql reports `names`/`schema` once at the top level, not per issue. */
  topLevelMeta?: boolean;
}

export function renderHistory(ctx: IssueRenderCtx, h: History): Json {
  const out: Json = { id: h.id };
  const author = renderUserById(ctx, h.authorId);
  if (author) {
    out.author = author;
  }
  out.created = formatJiraDateTime(h.created, ctx.store.timeZone);
  out.items = h.items.map((i) => ({ ...i }));
  return out;
}

export function renderTransitions(ctx: IssueRenderCtx, issue: Issue): Json[] {
  return TRANSITIONS.filter((t) => t.toStatusId !== issue.statusId).map((t) => {
    const status = ctx.store.statusById.get(t.toStatusId);
    return {
      id: t.id,
      name: t.name,
      to: status ? renderStatus(ctx, status) : {},
      hasScreen: false,
      isGlobal: true,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    };
  });
}

export const ISSUE_EXPAND =
  "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

export function renderIssue(ctx: IssueRenderCtx, issue: Issue, opts: IssueRenderOptions): Json {
  if (opts.selection.idOnly) {
    return { id: issue.id };
  }
  const fields: Json = {};
  const rendered: Json = {};
  const names: Json = {};
  const schema: Json = {};
  for (const f of opts.selection.fields) {
    const value = f.render(issue, ctx);
    if (value === undefined) {
      continue;
    }
    fields[f.id] = value;
    names[f.id] = f.name;
    if (f.schema) {
      schema[f.id] = f.schema;
    }
    if (opts.expand.has("renderedFields")) {
      rendered[f.id] = f.rendered ? f.rendered(issue, ctx) : null;
    }
  }
  const out: Json = {
    expand: ISSUE_EXPAND,
    id: issue.id,
    self: `${ctx.store.baseUrl}/rest/api/${ctx.api}/issue/${issue.id}`,
    key: issue.key,
  };
  if (opts.expand.has("renderedFields")) {
    out.renderedFields = rendered;
  }
  if (opts.expand.has("names") && !opts.topLevelMeta) {
    out.names = names;
  }
  if (opts.expand.has("schema") && !opts.topLevelMeta) {
    out.schema = schema;
  }
  if (opts.expand.has("transitions")) {
    out.transitions = renderTransitions(ctx, issue);
  }
  if (opts.expand.has("changelog")) {
    const total = issue.histories.length;
    const limit = opts.changelogLimit ?? total;
    // Jira embeds the most recent histories, newest first.
    const histories = issue.histories
      .slice(Math.max(0, total - limit))
      .reverse()
      .map((h) => renderHistory(ctx, h));
    out.changelog = { startAt: 0, maxResults: histories.length, total, histories };
  }
  out.fields = fields;
  return out;
}

/** The v2 issue representation that webhooks carry (rich text as wiki markup). */
export function renderWebhookIssue(catalogue: FieldCatalogue, store: Store, issue: Issue): Json {
  const ctx: IssueRenderCtx = { store, api: "2", includeEmail: false, commentLimit: 0 };
  const fields: Json = {};
  for (const f of catalogue.all) {
    if (f.virtual || f.id === "comment" || f.id === "worklog") {
      continue;
    }
    const value = f.render(issue, ctx);
    if (value !== undefined) {
      fields[f.id] = value;
    }
  }
  // Real payloads link the issue as /rest/api/2/{id} (without "issue/"); kept for fidelity.
  return { id: issue.id, self: `${store.baseUrl}/rest/api/2/${issue.id}`, key: issue.key, fields };
}

/** The short issue object inside comment_* webhooks. */
export function renderWebhookIssueSummary(
  catalogue: FieldCatalogue,
  store: Store,
  issue: Issue,
): Json {
  const ctx: IssueRenderCtx = { store, api: "2", includeEmail: false, commentLimit: 0 };
  const fields: Json = {};
  for (const id of ["summary", "issuetype", "project", "assignee", "priority", "status"]) {
    const f = catalogue.byId.get(id);
    if (f) {
      fields[id] = f.render(issue, ctx);
    }
  }
  return { id: issue.id, self: `${store.baseUrl}/rest/api/2/${issue.id}`, key: issue.key, fields };
}
