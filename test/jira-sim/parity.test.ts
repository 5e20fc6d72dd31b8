// Parity proof: every endpoint the product uses, including error responses, is called on a live
// simulator and each body is validated against the matching operation's response schema in
// Atlassian's OpenAPI document (see openapi-validator.ts for the few documented deviations).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVIATIONS, JiraOpenApi } from "./openapi-validator.ts";
import { type JiraSimHandle, startJiraSimulator } from "./server.ts";
import { arr, basic, call, createSite, obj, type Reply, type SiteInfo } from "./test-helpers.ts";

interface Check {
  name: string;
  method: string;
  path: string;
  status: number;
  schema: string;
  valid: boolean;
  errors: string[];
}

describe("Jira Cloud REST API v3 parity", () => {
  let sim: JiraSimHandle;
  let site: SiteInfo;
  let auth: string;
  let api: JiraOpenApi;
  const checks: Check[] = [];

  /** Calls the site and validates the reply against the OpenAPI operation. */
  async function hit(
    name: string,
    method: string,
    path: string,
    expectedStatus: number,
    opts: {
      body?: unknown;
      auth?: string | null;
      base?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply> {
    const base = opts.base ?? site.url;
    const r = await call(`${base}${path}`, {
      method,
      auth: opts.auth === undefined ? auth : opts.auth,
      body: opts.body,
      headers: opts.headers,
    });
    expect(r.status, `${name}: ${r.text.slice(0, 300)}`).toBe(expectedStatus);
    const verdict = api.validate(method, path.split("?")[0] ?? path, r.status, r.body);
    checks.push({ name, method, path, status: r.status, ...verdict });
    return r;
  }

  beforeAll(async () => {
    api = new JiraOpenApi();
    sim = await startJiraSimulator({ port: 0, seed: 7, issues: 40 });
    site = await createSite(sim.url, { seed: 7, issues: 40 });
    auth = basic(site.email, site.apiToken);
  });

  afterAll(async () => {
    await sim?.close();
  });

  it("serves every endpoint with bodies that match the OpenAPI document", async () => {
    await hit("serverInfo", "GET", "/rest/api/3/serverInfo", 200);
    await hit("myself", "GET", "/rest/api/3/myself", 200);
    await hit("fields", "GET", "/rest/api/3/field", 200);
    const projects = await hit(
      "project search page 1",
      "GET",
      "/rest/api/3/project/search?maxResults=2",
      200,
    );
    expect(obj(projects.body).isLast).toBe(false);
    await hit(
      "project search last page",
      "GET",
      "/rest/api/3/project/search?startAt=2&maxResults=2",
      200,
    );
    await hit("users search", "GET", "/rest/api/3/users/search?maxResults=50", 200);

    const ids = await hit(
      "search ids only (default fields)",
      "GET",
      "/rest/api/3/search/jql?jql=project%20%3D%20OPS",
      200,
    );
    expect(Object.keys(arr(obj(ids.body).issues)[0] ?? {})).toEqual(["id"]);
    const jql = encodeURIComponent(
      'project in (OPS, WEB) AND updated >= "2024-01-01 00:00" ORDER BY updated ASC, key ASC',
    );
    const full = await hit(
      "search *all with changelog, renderedFields, names, schema",
      "GET",
      `/rest/api/3/search/jql?jql=${jql}&fields=*all&expand=changelog,renderedFields,names,schema&maxResults=5`,
      200,
    );
    const token = String(obj(full.body).nextPageToken);
    await hit(
      "search next page",
      "GET",
      `/rest/api/3/search/jql?jql=${jql}&fields=*all&maxResults=5&nextPageToken=${encodeURIComponent(token)}`,
      200,
    );
    await hit("search POST with field list", "POST", "/rest/api/3/search/jql", 200, {
      body: {
        jql: "project = OPS ORDER BY key ASC",
        fields: ["summary", "status", "comment", "customfield_10013"],
        maxResults: 10,
      },
    });
    await hit("search POST id/key/updated 5000", "POST", "/rest/api/3/search/jql", 200, {
      body: {
        jql: "updated >= 0 ORDER BY updated ASC",
        fields: ["key", "updated"],
        maxResults: 5000,
      },
    });
    await hit(
      "search navigable minus description",
      "GET",
      "/rest/api/3/search/jql?jql=project%3DOPS&fields=-description",
      200,
    );
    await hit("JQL syntax error", "GET", "/rest/api/3/search/jql?jql=project%20%3D%3D%20OPS", 400);
    await hit(
      "JQL unknown issue key",
      "GET",
      "/rest/api/3/search/jql?jql=key%20in%20(OPS-99999)",
      400,
    );
    await hit("JQL unknown field", "GET", "/rest/api/3/search/jql?jql=nosuchfield%20%3D%201", 400);
    await hit(
      "JQL bad date",
      "GET",
      "/rest/api/3/search/jql?jql=updated%20%3E%3D%20%22yesterday%22",
      400,
    );
    await hit(
      "search token from another query",
      "GET",
      `/rest/api/3/search/jql?jql=project%3DWEB&nextPageToken=${encodeURIComponent(token)}`,
      400,
    );
    await hit(
      "search without credentials",
      "GET",
      "/rest/api/3/search/jql?jql=project%3DOPS",
      401,
      { auth: null },
    );
    await hit("search with a wrong token", "GET", "/rest/api/3/search/jql?jql=project%3DOPS", 401, {
      auth: basic(site.email, "wrong"),
    });

    const truth = arr(obj((await call(`${site.url}/_sim/issues`)).body).issues);
    const heavy = truth.find((i) => Number(obj(obj(i.fields).comment).total) > 100);
    const heavyKey = String(heavy?.key);
    const first = String(truth[0]?.key);
    await hit("get issue (all fields)", "GET", `/rest/api/3/issue/${heavyKey}`, 200);
    await hit(
      "get issue with expansions",
      "GET",
      `/rest/api/3/issue/${first}?fields=summary,status,issuelinks,parent,subtasks&expand=renderedFields,names,schema,transitions,changelog`,
      200,
    );
    await hit("get missing issue", "GET", "/rest/api/3/issue/OPS-99999", 404);
    await hit("edit issue", "PUT", `/rest/api/3/issue/${first}`, 204, {
      body: {
        fields: {
          summary: "Edited by parity",
          customfield_10012: 8,
          customfield_10013: { value: "S2 - Major" },
        },
        update: { labels: [{ add: "parity" }] },
      },
    });
    await hit(
      "edit issue returning it",
      "PUT",
      `/rest/api/3/issue/${first}?returnIssue=true`,
      200,
      {
        body: { fields: { priority: { name: "High" } } },
      },
    );
    await hit("edit issue with a bad value", "PUT", `/rest/api/3/issue/${first}`, 400, {
      body: { fields: { customfield_10012: "eight", nosuchfield: 1 } },
    });
    const created = await hit("create issue", "POST", "/rest/api/3/issue", 201, {
      body: {
        fields: {
          project: { key: "OPS" },
          issuetype: { name: "Task" },
          summary: "Created by the parity test",
          description: {
            type: "doc",
            version: 1,
            content: [{ type: "paragraph", content: [{ type: "text", text: "Hi" }] }],
          },
        },
      },
    });
    const newKey = String(obj(created.body).key);
    await hit("create issue without required fields", "POST", "/rest/api/3/issue", 400, {
      body: { fields: {} },
    });
    const transitions = await hit(
      "list transitions",
      "GET",
      `/rest/api/3/issue/${newKey}/transitions`,
      200,
    );
    const toDone = arr(obj(transitions.body).transitions).find((t) => t.name === "Done");
    await hit("do transition", "POST", `/rest/api/3/issue/${newKey}/transitions`, 204, {
      body: { transition: { id: String(toDone?.id) } },
    });
    await hit("bad transition", "POST", `/rest/api/3/issue/${newKey}/transitions`, 400, {
      body: { transition: { id: "999" } },
    });
    await hit(
      "comments page",
      "GET",
      `/rest/api/3/issue/${heavyKey}/comment?startAt=0&maxResults=50&orderBy=created`,
      200,
    );
    const comment = await hit("add comment", "POST", `/rest/api/3/issue/${newKey}/comment`, 201, {
      body: {
        body: {
          type: "doc",
          version: 1,
          content: [{ type: "paragraph", content: [{ type: "text", text: "Done ✅" }] }],
        },
      },
    });
    const commentId = String(obj(comment.body).id);
    await hit("get one comment", "GET", `/rest/api/3/issue/${newKey}/comment/${commentId}`, 200);
    await hit("update comment", "PUT", `/rest/api/3/issue/${newKey}/comment/${commentId}`, 200, {
      body: {
        body: {
          type: "doc",
          version: 1,
          content: [{ type: "paragraph", content: [{ type: "text", text: "Edited" }] }],
        },
      },
    });
    await hit("delete comment", "DELETE", `/rest/api/3/issue/${newKey}/comment/${commentId}`, 204);
    await hit(
      "changelog page 1",
      "GET",
      `/rest/api/3/issue/${heavyKey}/changelog?startAt=0&maxResults=100`,
      200,
    );
    await hit(
      "changelog last page",
      "GET",
      `/rest/api/3/issue/${heavyKey}/changelog?startAt=100&maxResults=100`,
      200,
    );
    await hit("changelog of a missing issue", "GET", "/rest/api/3/issue/OPS-99999/changelog", 404);
    const bulkChangelog = await hit(
      "changelog bulkfetch",
      "POST",
      "/rest/api/3/changelog/bulkfetch",
      200,
      {
        body: { issueIdsOrKeys: [heavyKey, first, "OPS-99999"], maxResults: 50 },
      },
    );
    await hit("changelog bulkfetch next page", "POST", "/rest/api/3/changelog/bulkfetch", 200, {
      body: {
        issueIdsOrKeys: [heavyKey, first, "OPS-99999"],
        maxResults: 50,
        nextPageToken: String(obj(bulkChangelog.body).nextPageToken),
      },
    });
    await hit("issue bulkfetch with a missing key", "POST", "/rest/api/3/issue/bulkfetch", 200, {
      body: {
        issueIdsOrKeys: [first, heavyKey, "OPS-99999"],
        fields: ["*all"],
        expand: ["changelog", "names"],
      },
    });
    await hit("issue bulkfetch over the limit", "POST", "/rest/api/3/issue/bulkfetch", 400, {
      body: { issueIdsOrKeys: Array.from({ length: 101 }, (_, i) => `OPS-${i + 1}`) },
    });
    await hit("delete issue", "DELETE", `/rest/api/3/issue/${newKey}`, 204);
    await hit("get deleted issue", "GET", `/rest/api/3/issue/${newKey}`, 404);
    await hit("unknown route", "GET", "/rest/api/3/definitely/not/here", 404);

    // Faults: a forced 429 and 503, then a real burst budget.
    await call(`${site.url}/_sim/faults`, {
      method: "POST",
      body: { failNext: { status: 429, count: 1 }, retryAfterSeconds: 2 },
    });
    const limited = await hit("forced 429", "GET", "/rest/api/3/myself", 429);
    expect(limited.headers.get("retry-after")).toBe("2");
    await call(`${site.url}/_sim/faults`, {
      method: "POST",
      body: { failNext: { status: 503, count: 1 } },
    });
    await hit("forced 503", "GET", "/rest/api/3/search/jql?jql=project%3DOPS", 503);
    await call(`${site.url}/_sim/faults`, {
      method: "POST",
      body: { budget: { limit: 2, windowSeconds: 60 } },
    });
    await hit("within budget", "GET", "/rest/api/3/serverInfo", 200);
    await hit("within budget 2", "GET", "/rest/api/3/myself", 200);
    const over = await hit("over budget", "GET", "/rest/api/3/search/jql?jql=project%3DOPS", 429);
    expect(over.headers.get("ratelimit-reason")).toBe("jira-burst-based");
    await call(`${site.url}/_sim/faults`, { method: "POST", body: {} });

    // OAuth 2.0: bearer tokens on the api.atlassian.com-style base, then expiry.
    const tokenReply = await call(site.oauth.tokenUrl, {
      method: "POST",
      body: {
        grant_type: "refresh_token",
        client_id: site.oauth.clientId,
        client_secret: site.oauth.clientSecret,
        refresh_token: site.oauth.refreshToken,
      },
    });
    expect(tokenReply.status).toBe(200);
    const bearer = `Bearer ${String(obj(tokenReply.body).access_token)}`;
    const oauthBase = `${site.url}/ex/jira/${site.oauth.cloudId}`;
    await hit("myself with OAuth", "GET", "/rest/api/3/myself", 200, {
      auth: bearer,
      base: oauthBase,
    });
    await hit(
      "search with OAuth",
      "GET",
      "/rest/api/3/search/jql?jql=project%3DOPS&fields=summary",
      200,
      {
        auth: bearer,
        base: oauthBase,
      },
    );
    await call(`${site.url}/_sim/oauth/expire`, { method: "POST" });
    await hit("expired access token", "GET", "/rest/api/3/myself", 401, {
      auth: bearer,
      base: oauthBase,
    });

    const invalid = checks.filter((c) => !c.valid);
    for (const c of invalid) {
      console.error(`INVALID ${c.name} [${c.schema}]\n  ${c.errors.slice(0, 8).join("\n  ")}`);
    }
    console.log(
      `parity: documented deviations: ${DEVIATIONS.length}\n  - ${DEVIATIONS.join("\n  - ")}`,
    );
    console.log(`parity: ${checks.length - invalid.length}/${checks.length} responses valid`);
    expect(invalid.map((c) => c.name)).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(37);
  });
});
