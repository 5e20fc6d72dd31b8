// Issue CRUD, transitions, comments, changelog and issue links.

import { isAdfDoc } from "../adf.ts";
import type { Json } from "../entities.ts";
import { renderComment } from "../fields.ts";
import {
  HttpError,
  intParam,
  jiraError,
  json,
  jsonBody,
  type Router,
  type SimRequest,
} from "../http.ts";
import type { Issue } from "../model.ts";
import { type MutationOptions, ValidationError } from "../mutations.ts";
import {
  parseFieldSelection,
  renderHistory,
  renderIssue,
  renderTransitions,
  splitList,
} from "../render.ts";
import type { Site } from "../site.ts";

/** GET /issue embeds at most this many comments / newest histories. */
const ISSUE_COMMENT_LIMIT = 20;
const ISSUE_CHANGELOG_LIMIT = 100;

/** Runs a mutation, turning validation failures into Jira's 400 body. */
export function validated<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new HttpError(400, { errorMessages: e.errorMessages, errors: e.errors });
    }
    throw e;
  }
}

export function restWrite(site: Site): MutationOptions {
  return { actorId: site.store.admin.accountId, now: site.now(), notify: true };
}

function renderOne(site: Site, req: SimRequest, issue: Issue): Json {
  const selection = parseFieldSelection(site.catalogue, req.query.getAll("fields"), "*all");
  const expand = new Set(splitList(req.query.getAll("expand")));
  return renderIssue(site.ctx(ISSUE_COMMENT_LIMIT), issue, {
    selection: selection.idOnly ? { idOnly: false, fields: [] } : selection,
    expand,
    changelogLimit: ISSUE_CHANGELOG_LIMIT,
  });
}

function bool(req: SimRequest, name: string): boolean {
  return req.query.get(name) === "true";
}

function commentOr404(issue: Issue, id: string) {
  const c = issue.comments.find((x) => x.id === id);
  if (!c) {
    throw jiraError(404, [`Can not find a comment for the id: ${id}.`]);
  }
  return c;
}

function commentBody(body: Record<string, unknown>) {
  if (body.body === undefined || body.body === null || body.body === "") {
    throw jiraError(400, [], { comment: "Comment body can not be empty!" });
  }
  if (!isAdfDoc(body.body)) {
    throw jiraError(400, [], {
      comment: "Operation value must be an Atlassian Document (see the Atlassian Document Format).",
    });
  }
  return body.body;
}

export function registerIssueRoutes(router: Router, site: Site): void {
  router.add("GET", "/rest/api/3/issue/{issueIdOrKey}", (req) => {
    return json(200, renderOne(site, req, site.issueOr404(req.params.issueIdOrKey ?? "")));
  });

  router.add("PUT", "/rest/api/3/issue/{issueIdOrKey}", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    const body = jsonBody(req);
    if (body.fields === undefined && body.update === undefined) {
      throw jiraError(400, ["No fields or update operations provided."]);
    }
    validated(() => site.mutator.editIssue(issue, body, restWrite(site)));
    if (bool(req, "returnIssue")) {
      return json(200, renderOne(site, req, issue));
    }
    return { status: 204 };
  });

  router.add("DELETE", "/rest/api/3/issue/{issueIdOrKey}", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    validated(() => site.mutator.deleteIssue(issue, bool(req, "deleteSubtasks"), restWrite(site)));
    return { status: 204 };
  });

  router.add("POST", "/rest/api/3/issue", (req) => {
    const body = jsonBody(req);
    const issue = validated(() => site.mutator.createIssue(body, restWrite(site)));
    return json(201, {
      id: issue.id,
      key: issue.key,
      self: `${site.url}/rest/api/3/issue/${issue.id}`,
    });
  });

  router.add("GET", "/rest/api/3/issue/{issueIdOrKey}/transitions", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    let transitions = renderTransitions(site.ctx(null), issue);
    const only = req.query.get("transitionId");
    if (only) {
      transitions = transitions.filter((t) => t.id === only);
    }
    return json(200, { expand: "transitions", transitions });
  });

  router.add("POST", "/rest/api/3/issue/{issueIdOrKey}/transitions", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    const body = jsonBody(req);
    const t = body.transition as Record<string, unknown> | undefined;
    const id = t && typeof t === "object" ? t.id : undefined;
    if (id === undefined || id === null || id === "") {
      throw jiraError(400, ["Missing 'transition' identifier"]);
    }
    validated(() => site.mutator.transition(issue, String(id), body, restWrite(site)));
    return { status: 204 };
  });

  router.add("GET", "/rest/api/3/issue/{issueIdOrKey}/comment", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    const startAt = Math.max(0, intParam(req.query, "startAt", 0));
    const maxResults = Math.min(100, Math.max(0, intParam(req.query, "maxResults", 100)));
    const orderBy = req.query.get("orderBy");
    if (orderBy !== null && !["created", "+created", "-created"].includes(orderBy)) {
      throw jiraError(400, [`Invalid orderBy value: '${orderBy}'. Only 'created' is supported.`]);
    }
    const renderedBody = splitList(req.query.getAll("expand")).includes("renderedBody");
    const ordered = orderBy === "-created" ? [...issue.comments].reverse() : issue.comments;
    const ctx = site.ctx(null);
    return json(200, {
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: ordered
        .slice(startAt, startAt + maxResults)
        .map((c) => renderComment(ctx, issue, c, renderedBody)),
    });
  });

  router.add("POST", "/rest/api/3/issue/{issueIdOrKey}/comment", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    const body = commentBody(jsonBody(req));
    const comment = site.mutator.addComment(issue, body, restWrite(site));
    const renderedBody = splitList(req.query.getAll("expand")).includes("renderedBody");
    return json(201, renderComment(site.ctx(null), issue, comment, renderedBody));
  });

  router.add("GET", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    return json(
      200,
      renderComment(site.ctx(null), issue, commentOr404(issue, req.params.id ?? "")),
    );
  });

  router.add("PUT", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    const comment = commentOr404(issue, req.params.id ?? "");
    const body = commentBody(jsonBody(req));
    site.mutator.updateComment(issue, comment, body, restWrite(site));
    return json(200, renderComment(site.ctx(null), issue, comment));
  });

  router.add("DELETE", "/rest/api/3/issue/{issueIdOrKey}/comment/{id}", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    site.mutator.deleteComment(issue, commentOr404(issue, req.params.id ?? ""), restWrite(site));
    return { status: 204 };
  });

  router.add("GET", "/rest/api/3/issue/{issueIdOrKey}/changelog", (req) => {
    const issue = site.issueOr404(req.params.issueIdOrKey ?? "");
    const startAt = Math.max(0, intParam(req.query, "startAt", 0));
    const maxResults = Math.min(100, Math.max(1, intParam(req.query, "maxResults", 100)));
    const total = issue.histories.length;
    const ctx = site.ctx(null);
    const values = issue.histories
      .slice(startAt, startAt + maxResults)
      .map((h) => renderHistory(ctx, h));
    const isLast = startAt + values.length >= total;
    const self = `${site.url}/rest/api/3/issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt}`;
    const out: Json = { self, maxResults, startAt, total, isLast, values };
    if (!isLast) {
      out.nextPage = `${site.url}/rest/api/3/issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt + values.length}`;
    }
    return json(200, out);
  });

  router.add("POST", "/rest/api/3/issueLink", (req) => {
    const body = jsonBody(req);
    const inward = body.inwardIssue as Record<string, unknown> | undefined;
    const outward = body.outwardIssue as Record<string, unknown> | undefined;
    const ref = (r: Record<string, unknown> | undefined) => String(r?.key ?? r?.id ?? "");
    const source = site.store.getIssue(ref(inward));
    const destination = site.store.getIssue(ref(outward));
    if (!source || !destination) {
      throw jiraError(404, ["Issue does not exist or you do not have permission to see it."]);
    }
    // Jira reads {inwardIssue: A, outwardIssue: B} as "A <outward> B" (A blocks B).
    const plan = validated(() =>
      site.mutator.planLink(source, { type: body.type, outwardIssue: { id: destination.id } }),
    );
    site.mutator.addLink(source, plan, restWrite(site));
    return { status: 201 };
  });

  router.add("DELETE", "/rest/api/3/issueLink/{linkId}", (req) => {
    const removed = site.mutator.removeLink(req.params.linkId ?? "", restWrite(site));
    if (!removed) {
      throw jiraError(404, [`No issue link with id '${req.params.linkId ?? ""}' exists.`]);
    }
    return { status: 204 };
  });
}
