// Catalogue and identity endpoints: field, project/search, users/search, myself, serverInfo.

import { ISSUE_TYPES, LINK_TYPES, PRIORITIES, RESOLUTIONS, STATUSES } from "../catalog.ts";
import {
  type Json,
  renderIssueType,
  renderPriority,
  renderProject,
  renderResolution,
  renderStatus,
  renderUser,
} from "../entities.ts";
import { intParam, json, type Router } from "../http.ts";
import type { User } from "../model.ts";
import type { Site } from "../site.ts";
import { formatJiraDateTime } from "../time.ts";

function userJson(site: Site, user: User): Json {
  const out = renderUser(site.ctx(null), user);
  out.locale = user.locale;
  return out;
}

export function registerMetaRoutes(router: Router, site: Site): void {
  router.add("GET", "/rest/api/3/field", () =>
    json(
      200,
      site.catalogue.all.map((f) => site.catalogue.details(f)),
    ),
  );

  router.add("GET", "/rest/api/3/project/search", (req) => {
    const startAt = Math.max(0, intParam(req.query, "startAt", 0));
    const maxResults = Math.min(100, Math.max(1, intParam(req.query, "maxResults", 50)));
    const keys = new Set(
      req.query
        .getAll("keys")
        .flatMap((k) => k.split(","))
        .map((k) => k.toUpperCase()),
    );
    const ids = new Set(req.query.getAll("id").flatMap((k) => k.split(",")));
    const q = (req.query.get("query") ?? "").toLowerCase();
    const orderBy = req.query.get("orderBy") ?? "key";
    let projects = site.store.projects.filter(
      (p) =>
        (keys.size === 0 || keys.has(p.key)) &&
        (ids.size === 0 || ids.has(p.id)) &&
        (q === "" || p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)),
    );
    const field = orderBy.replace(/^[-+]/, "") === "name" ? "name" : "key";
    projects = [...projects].sort((a, b) => a[field].localeCompare(b[field]));
    if (orderBy.startsWith("-")) {
      projects.reverse();
    }
    const ctx = site.ctx(null);
    const values = projects.slice(startAt, startAt + maxResults).map((p) => renderProject(ctx, p));
    const isLast = startAt + values.length >= projects.length;
    const base = `${site.url}/rest/api/3/project/search`;
    const out: Json = {
      self: `${base}?maxResults=${maxResults}&startAt=${startAt}`,
      maxResults,
      startAt,
      total: projects.length,
      isLast,
      values,
    };
    if (!isLast) {
      out.nextPage = `${base}?maxResults=${maxResults}&startAt=${startAt + values.length}`;
    }
    return json(200, out);
  });

  router.add("GET", "/rest/api/3/users/search", (req) => {
    const startAt = Math.max(0, intParam(req.query, "startAt", 0));
    const maxResults = Math.min(1000, Math.max(0, intParam(req.query, "maxResults", 50)));
    return json(
      200,
      site.store.users.slice(startAt, startAt + maxResults).map((u) => userJson(site, u)),
    );
  });

  router.add("GET", "/rest/api/3/myself", () => {
    const admin = site.store.admin;
    const out = userJson(site, admin);
    out.timeZone = site.store.timeZone;
    out.groups = { size: 3, items: [] };
    out.applicationRoles = { size: 1, items: [] };
    out.expand = "groups,applicationRoles";
    return json(200, out);
  });

  router.add("GET", "/rest/api/3/serverInfo", () =>
    json(200, {
      baseUrl: site.url,
      displayUrl: site.url,
      displayUrlServicedeskHelpCenter: site.url,
      version: "1001.0.0-SNAPSHOT",
      versionNumbers: [1001, 0, 0],
      deploymentType: "Cloud",
      buildNumber: 100290,
      buildDate: "2025-12-01T00:00:00.000+0000",
      serverTime: formatJiraDateTime(site.now(), site.store.timeZone),
      scmInfo: "57a0ca5b0c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f",
      serverTitle: "Jira",
      serverTimeZone: site.store.timeZone,
    }),
  );

  // Small reference lists clients commonly cache.
  router.add("GET", "/rest/api/3/status", () => {
    const ctx = site.ctx(null);
    return json(
      200,
      STATUSES.map((s) => renderStatus(ctx, s)),
    );
  });
  router.add("GET", "/rest/api/3/priority", () => {
    const ctx = site.ctx(null);
    return json(
      200,
      PRIORITIES.map((p) => renderPriority(ctx, p)),
    );
  });
  router.add("GET", "/rest/api/3/issuetype", () => {
    const ctx = site.ctx(null);
    return json(
      200,
      ISSUE_TYPES.map((t) => renderIssueType(ctx, t)),
    );
  });
  router.add("GET", "/rest/api/3/resolution", () => {
    const ctx = site.ctx(null);
    return json(
      200,
      RESOLUTIONS.map((r) => renderResolution(ctx, r)),
    );
  });
  router.add("GET", "/rest/api/3/issueLinkType", () =>
    json(200, {
      issueLinkTypes: LINK_TYPES.map((t) => ({
        ...t,
        self: `${site.url}/rest/api/3/issueLinkType/${t.id}`,
      })),
    }),
  );
}
