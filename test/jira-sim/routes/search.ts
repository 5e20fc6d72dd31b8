// search/jql (token pagination, no total), issue/bulkfetch and changelog/bulkfetch.

import type { Json } from "../entities.ts";
import {
  type HttpError,
  intParam,
  jiraError,
  json,
  jsonBody,
  type Router,
  type SimRequest,
} from "../http.ts";
import type { History, Issue } from "../model.ts";
import { parseFieldSelection, renderHistory, renderIssue, splitList } from "../render.ts";
import type { Site } from "../site.ts";
import { pageToken, readPageToken } from "../tokens.ts";

/** Jira truncates embedded lists in search-like responses. */
export const SEARCH_COMMENT_LIMIT = 20;
export const SEARCH_CHANGELOG_LIMIT = 40;

interface SearchParams {
  jql: string;
  nextPageToken: string | null;
  maxResults: number | null;
  fields: string[];
  expand: string[];
}

function fromQuery(req: SimRequest): SearchParams {
  const max = req.query.get("maxResults");
  return {
    jql: req.query.get("jql") ?? "",
    nextPageToken: req.query.get("nextPageToken"),
    maxResults: max === null || max === "" ? null : intParam(req.query, "maxResults", 50),
    fields: req.query.getAll("fields"),
    expand: splitList(req.query.getAll("expand")),
  };
}

function stringList(v: unknown, name: string): string[] {
  if (v === undefined || v === null) {
    return [];
  }
  if (typeof v === "string") {
    return splitList(v);
  }
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
    return splitList(v as string[]);
  }
  throw jiraError(400, [`Invalid request payload: '${name}' must be a list of strings.`]);
}

function fromBody(req: SimRequest): SearchParams {
  const body = jsonBody(req);
  if (body.jql !== undefined && typeof body.jql !== "string") {
    throw jiraError(400, ["Invalid request payload: 'jql' must be a string."]);
  }
  if (body.maxResults !== undefined && !Number.isInteger(body.maxResults)) {
    throw jiraError(400, ["Invalid request payload: 'maxResults' must be an integer."]);
  }
  if (
    body.nextPageToken !== undefined &&
    body.nextPageToken !== null &&
    typeof body.nextPageToken !== "string"
  ) {
    throw jiraError(400, ["Invalid request payload: 'nextPageToken' must be a string."]);
  }
  return {
    jql: (body.jql as string | undefined) ?? "",
    nextPageToken: (body.nextPageToken as string | null | undefined) ?? null,
    maxResults: (body.maxResults as number | undefined) ?? null,
    fields: stringList(body.fields, "fields"),
    expand: stringList(body.expand, "expand"),
  };
}

function search(site: Site, p: SearchParams) {
  const ids = site.searchIds(p.jql);
  const scope = `search|${p.jql.trim()}`;
  const offset = p.nextPageToken ? readPageToken(p.nextPageToken, scope) : 0;
  const parsed = parseFieldSelection(site.catalogue, p.fields, "id");
  // Expansions need the issue envelope even when only ids were asked for.
  const selection = parsed.idOnly && p.expand.length > 0 ? { idOnly: false, fields: [] } : parsed;
  // Pages can be huge only when nothing expensive is asked for (id/key/updated).
  const cheap = selection.fields.every((f) => f.id === "updated") && p.expand.length === 0;
  const cap = cheap ? 5000 : 100;
  if (p.maxResults !== null && p.maxResults < 1) {
    throw jiraError(400, ["The maxResults parameter must be greater than 0."]);
  }
  const max = Math.min(p.maxResults ?? 50, cap);
  const expand = new Set(p.expand);
  const ctx = site.ctx(SEARCH_COMMENT_LIMIT);
  const page = ids.slice(offset, offset + max);
  const issues: Json[] = [];
  for (const id of page) {
    const issue = site.store.issues.get(id);
    if (issue) {
      issues.push(
        renderIssue(ctx, issue, {
          selection,
          expand,
          changelogLimit: SEARCH_CHANGELOG_LIMIT,
          topLevelMeta: true,
        }),
      );
    }
  }
  const body: Json = { issues };
  const nextOffset = offset + page.length;
  if (nextOffset < ids.length) {
    body.nextPageToken = pageToken(nextOffset, scope);
  }
  body.isLast = nextOffset >= ids.length;
  if (expand.has("names")) {
    body.names = Object.fromEntries(selection.fields.map((f) => [f.id, f.name]));
  }
  if (expand.has("schema")) {
    body.schema = Object.fromEntries(
      selection.fields.filter((f) => f.schema).map((f) => [f.id, f.schema]),
    );
  }
  return json(200, body);
}

function idsOrKeys(body: Record<string, unknown>, max: number): string[] {
  const v = body.issueIdsOrKeys;
  if (!Array.isArray(v) || v.length === 0) {
    throw jiraError(400, ["issueIdsOrKeys must contain at least one issue ID or key."]);
  }
  if (v.length > max) {
    throw jiraError(400, [`A maximum of ${max} issue IDs or keys can be requested.`]);
  }
  return v.map((x) => String(x));
}

export function registerSearchRoutes(router: Router, site: Site): void {
  router.add("GET", "/rest/api/3/search/jql", (req) => search(site, fromQuery(req)));
  router.add("POST", "/rest/api/3/search/jql", (req) => search(site, fromBody(req)));

  // The legacy endpoints were removed from Jira Cloud in 2025.
  const gone = (): never => {
    throw jiraError(410, [
      "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046",
    ]) as HttpError;
  };
  router.add("GET", "/rest/api/3/search", gone);
  router.add("POST", "/rest/api/3/search", gone);

  router.add("POST", "/rest/api/3/issue/bulkfetch", (req) => {
    const body = jsonBody(req);
    const wanted = idsOrKeys(body, 100);
    const selection = parseFieldSelection(
      site.catalogue,
      stringList(body.fields, "fields"),
      "*navigable",
    );
    const expand = new Set(stringList(body.expand, "expand"));
    const ctx = site.ctx(SEARCH_COMMENT_LIMIT);
    const issues: Json[] = [];
    const issueErrors: Json[] = [];
    const seen = new Set<string>();
    for (const ref of wanted) {
      const issue = site.store.getIssue(ref);
      if (!issue) {
        issueErrors.push({
          id: ref,
          errorMessage: "Issue does not exist or you do not have permission to see it.",
        });
        continue;
      }
      if (seen.has(issue.id)) {
        continue;
      }
      seen.add(issue.id);
      issues.push(
        renderIssue(ctx, issue, {
          selection,
          expand,
          changelogLimit: SEARCH_CHANGELOG_LIMIT,
        }),
      );
    }
    return json(200, { issues, issueErrors });
  });

  router.add("POST", "/rest/api/3/changelog/bulkfetch", (req) => {
    const body = jsonBody(req);
    const wanted = idsOrKeys(body, 1000);
    const fieldIds = stringList(body.fieldIds, "fieldIds");
    if (fieldIds.length > 10) {
      throw jiraError(400, ["A maximum of 10 field IDs can be requested."]);
    }
    const maxRaw = body.maxResults ?? 1000;
    if (!Number.isInteger(maxRaw) || (maxRaw as number) < 1 || (maxRaw as number) > 10000) {
      throw jiraError(400, ["maxResults must be between 1 and 10000."]);
    }
    const max = maxRaw as number;
    const issues: Issue[] = [];
    for (const ref of wanted) {
      const issue = site.store.getIssue(ref);
      if (issue && !issues.includes(issue)) {
        issues.push(issue);
      }
    }
    // Oldest changelog first, then smallest issue id, across all requested issues.
    const all: { issue: Issue; history: History }[] = [];
    for (const issue of issues) {
      for (const h of issue.histories) {
        const items =
          fieldIds.length > 0 ? h.items.filter((i) => fieldIds.includes(i.fieldId)) : h.items;
        if (items.length > 0) {
          all.push({ issue, history: items === h.items ? h : { ...h, items } });
        }
      }
    }
    all.sort(
      (a, b) =>
        a.history.created - b.history.created ||
        Number(a.issue.id) - Number(b.issue.id) ||
        Number(a.history.id) - Number(b.history.id),
    );
    const scope = `changelog|${issues.map((i) => i.id).join(",")}|${fieldIds.join(",")}`;
    const token = typeof body.nextPageToken === "string" ? body.nextPageToken : null;
    const offset = token ? readPageToken(token, scope) : 0;
    const page = all.slice(offset, offset + max);
    const ctx = site.ctx(null);
    const grouped = new Map<string, Json[]>();
    for (const { issue, history } of page) {
      let list = grouped.get(issue.id);
      if (!list) {
        list = [];
        grouped.set(issue.id, list);
      }
      list.push(renderHistory(ctx, history));
    }
    const out: Json = {
      issueChangeLogs: [...grouped].map(([issueId, changeHistories]) => ({
        issueId,
        changeHistories,
      })),
    };
    if (offset + page.length < all.length) {
      out.nextPageToken = pageToken(offset + page.length, scope);
    }
    return json(200, out);
  });
}
