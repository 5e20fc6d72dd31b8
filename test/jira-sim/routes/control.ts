// The simulator's control API (/_sim/...): no auth, JSON in and out. It exposes the ground truth,
// mutations that bypass the REST API (optionally without webhooks), faults, counters and
// webhook receivers.

import { type AdfDoc, isAdfDoc, textToAdf } from "../adf.ts";
import type { Json } from "../entities.ts";
import { parseFaultConfig } from "../faults.ts";
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
import type { MutationOptions } from "../mutations.ts";
import { parseFieldSelection, renderIssue } from "../render.ts";
import type { Site } from "../site.ts";
import { formatJiraDateTime } from "../time.ts";
import { validated } from "./issues.ts";

/** Everything about an issue: all fields, every comment, every history, links. */
export function renderIssueFull(site: Site, issue: Issue): Json {
  const out = renderIssue(site.ctx(null), issue, {
    selection: parseFieldSelection(site.catalogue, ["*all"], "*all"),
    expand: new Set(["changelog"]),
    changelogLimit: null,
  });
  // Ground truth lists histories oldest first, like /issue/{key}/changelog.
  const changelog = out.changelog as { histories: Json[] } | undefined;
  if (changelog) {
    changelog.histories.reverse();
  }
  return out;
}

function controlWrite(site: Site, body: Record<string, unknown>): MutationOptions {
  const actor =
    typeof body.actorAccountId === "string" && site.store.userById.has(body.actorAccountId)
      ? body.actorAccountId
      : site.store.admin.accountId;
  return {
    actorId: actor,
    now: site.now(),
    notify: body.webhook === true,
    silent: body.silent === true,
  };
}

function rich(value: unknown): AdfDoc | null | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value === null) {
    return null;
  }
  if (typeof value === "string") {
    return textToAdf(value);
  }
  if (isAdfDoc(value)) {
    return value;
  }
  throw jiraError(400, ["Rich text must be a string or an ADF document."]);
}

function issue404(site: Site, req: SimRequest): Issue {
  return site.issueOr404(req.params.key ?? "");
}

export function registerControlRoutes(router: Router, site: Site): void {
  router.add("GET", "/_sim", () => json(200, site.info()));
  router.add("GET", "/_sim/info", () => json(200, site.info()));

  router.add("POST", "/_sim/faults", (req) => {
    site.faults.set(parseFaultConfig(jsonBody(req)));
    return json(200, { faults: site.faults.current });
  });
  router.add("GET", "/_sim/faults", () => json(200, { faults: site.faults.current }));

  router.add("GET", "/_sim/requests", () => json(200, site.stats.snapshot()));
  router.add("POST", "/_sim/requests/reset", () => {
    site.stats.reset();
    return json(200, site.stats.snapshot());
  });

  router.add("GET", "/_sim/issues", (req) => {
    const project = req.query.get("project")?.toUpperCase();
    const startAt = Math.max(0, intParam(req.query, "startAt", 0));
    const maxResults = intParam(req.query, "maxResults", Number.MAX_SAFE_INTEGER);
    const all = [...site.store.issues.values()].filter(
      (i) => !project || site.store.projectById.get(i.projectId)?.key === project,
    );
    return json(200, {
      total: all.length,
      startAt,
      issues: all.slice(startAt, startAt + maxResults).map((i) => renderIssueFull(site, i)),
    });
  });

  router.add("GET", "/_sim/issues/{key}", (req) =>
    json(200, renderIssueFull(site, issue404(site, req))),
  );

  router.add("GET", "/_sim/deleted", () =>
    json(200, {
      issues: site.store.deleted.map((d) => ({
        id: d.id,
        key: d.key,
        deletedAt: formatJiraDateTime(d.deletedAt, site.store.timeZone),
      })),
    }),
  );

  router.add("POST", "/_sim/issues", (req) => {
    const body = jsonBody(req);
    const extra = (body.fields as Record<string, unknown> | undefined) ?? {};
    const fields: Record<string, unknown> = {
      project: { key: String(body.projectKey ?? "") },
      issuetype: { name: typeof body.issueType === "string" ? body.issueType : "Task" },
      summary: body.summary,
      ...extra,
    };
    const description = rich(body.description);
    if (description !== undefined) {
      fields.description = description;
    }
    if (typeof body.assignee === "string") {
      fields.assignee = { accountId: body.assignee };
    }
    if (Array.isArray(body.labels)) {
      fields.labels = body.labels;
    }
    if (typeof body.priority === "string") {
      fields.priority = { name: body.priority };
    }
    if (typeof body.parent === "string") {
      fields.parent = { key: body.parent };
    }
    const issue = validated(() => site.mutator.createIssue({ fields }, controlWrite(site, body)));
    return json(201, renderIssueFull(site, issue));
  });

  router.add("PATCH", "/_sim/issues/{key}", (req) => {
    const issue = issue404(site, req);
    const body = jsonBody(req);
    const fields = { ...((body.fields as Record<string, unknown> | undefined) ?? {}) };
    for (const richField of ["description", "environment"]) {
      if (typeof fields[richField] === "string") {
        fields[richField] = textToAdf(fields[richField] as string);
      }
    }
    validated(() =>
      site.mutator.editIssue(
        issue,
        { fields, update: body.update ?? {} },
        controlWrite(site, body),
      ),
    );
    return json(200, renderIssueFull(site, issue));
  });

  router.add("DELETE", "/_sim/issues/{key}", (req) => {
    const issue = issue404(site, req);
    const body = jsonBody(req);
    validated(() => site.mutator.deleteIssue(issue, true, controlWrite(site, body)));
    return { status: 204 };
  });

  router.add("POST", "/_sim/issues/{key}/transition", (req) => {
    const issue = issue404(site, req);
    const body = jsonBody(req);
    const to = String(body.to ?? "");
    const id = site.mutator.transitionIdForStatus(issue, to);
    if (!id) {
      throw jiraError(400, [`No transition from '${issue.statusId}' to status '${to}'.`]);
    }
    validated(() => site.mutator.transition(issue, id, {}, controlWrite(site, body)));
    return json(200, renderIssueFull(site, issue));
  });

  router.add("POST", "/_sim/issues/{key}/comments", (req) => {
    const issue = issue404(site, req);
    const body = jsonBody(req);
    const doc = rich(body.body ?? body.text);
    if (!doc) {
      throw jiraError(400, [], { comment: "Comment body can not be empty!" });
    }
    const comment = site.mutator.addComment(issue, doc, controlWrite(site, body));
    return json(201, { id: comment.id, issue: renderIssueFull(site, issue) });
  });

  router.add("PATCH", "/_sim/issues/{key}/comments/{id}", (req) => {
    const issue = issue404(site, req);
    const body = jsonBody(req);
    const comment = issue.comments.find((c) => c.id === req.params.id);
    const doc = rich(body.body ?? body.text);
    if (!comment || !doc) {
      throw jiraError(404, ["Comment not found or body missing."]);
    }
    site.mutator.updateComment(issue, comment, doc, controlWrite(site, body));
    return json(200, renderIssueFull(site, issue));
  });

  router.add("DELETE", "/_sim/issues/{key}/comments/{id}", (req) => {
    const issue = issue404(site, req);
    const comment = issue.comments.find((c) => c.id === req.params.id);
    if (!comment) {
      throw jiraError(404, ["Comment not found."]);
    }
    site.mutator.deleteComment(issue, comment, controlWrite(site, jsonBody(req)));
    return { status: 204 };
  });

  router.add("POST", "/_sim/issues/{key}/links", (req) => {
    const issue = issue404(site, req);
    const body = jsonBody(req);
    const type = typeof body.type === "string" ? { name: body.type } : body.type;
    const plan = validated(() =>
      site.mutator.planLink(issue, {
        type,
        outwardIssue: body.outwardIssue,
        inwardIssue: body.inwardIssue,
      }),
    );
    const link = site.mutator.addLink(issue, plan, controlWrite(site, body));
    return json(201, {
      id: link.id,
      sourceId: link.sourceId,
      destinationId: link.destinationId,
      typeId: link.typeId,
    });
  });

  router.add("DELETE", "/_sim/links/{id}", (req) => {
    const removed = site.mutator.removeLink(req.params.id ?? "", controlWrite(site, jsonBody(req)));
    if (!removed) {
      throw jiraError(404, ["No such link."]);
    }
    return { status: 204 };
  });

  router.add("POST", "/_sim/webhooks", (req) => {
    const body = jsonBody(req);
    if (typeof body.url !== "string" || !/^https?:\/\//.test(body.url)) {
      throw jiraError(400, [], { url: "A receiver url (http://...) is required." });
    }
    const { id } = site.webhooks.register({
      url: body.url,
      secret: typeof body.secret === "string" ? body.secret : undefined,
      duplicateRate:
        typeof body.duplicateRate === "number" ? Math.min(1, Math.max(0, body.duplicateRate)) : 0,
      reorder: body.reorder === true,
      delayMs: typeof body.delayMs === "number" ? Math.max(0, body.delayMs) : 0,
    });
    return json(201, { id, receivers: site.webhooks.receiverList() });
  });
  router.add("GET", "/_sim/webhooks", () => json(200, { receivers: site.webhooks.receiverList() }));
  router.add("DELETE", "/_sim/webhooks", () => {
    site.webhooks.unregisterAll();
    return { status: 204 };
  });

  const deliveries = (req: SimRequest) => {
    const withBody = req.query.get("body") === "true";
    return {
      pending: site.webhooks.pendingCount(),
      deliveries: site.webhooks.deliveries.map((d) => {
        const { body, ...rest } = d;
        return withBody ? { ...rest, payload: JSON.parse(body) as unknown } : rest;
      }),
    };
  };
  router.add("GET", "/_sim/webhooks/deliveries", (req) => json(200, deliveries(req)));
  router.add("POST", "/_sim/webhooks/flush", async (req) => {
    await site.webhooks.idle(Math.min(30000, intParam(req.query, "timeoutMs", 10000)));
    return json(200, deliveries(req));
  });

  router.add("POST", "/_sim/oauth/expire", () =>
    json(200, { expired: site.auth.expireAccessTokens() }),
  );

  router.add("GET", "/_sim/{anything}", () => {
    throw new HttpError(404, { errorMessages: ["Unknown control endpoint."], errors: {} });
  });
}
