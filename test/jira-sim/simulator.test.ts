// Behaviour tests of the simulator: pagination, truncation, JQL semantics and errors, OAuth
// rotation, faults and counters, webhooks, determinism, isolation and the CLI.

import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JiraSimHandle, startJiraSimulator } from "./server.ts";
import { Site } from "./site.ts";
import { arr, basic, call, createSite, type Obj, obj, type SiteInfo } from "./test-helpers.ts";

let sim: JiraSimHandle;

beforeAll(async () => {
  sim = await startJiraSimulator({ port: 0, seed: 3, issues: 30 });
});

afterAll(async () => {
  await sim?.close();
});

async function truth(site: SiteInfo): Promise<Obj[]> {
  return arr(obj((await call(`${site.url}/_sim/issues`)).body).issues);
}

function auth(site: SiteInfo): string {
  return basic(site.email, site.apiToken);
}

async function searchAll(
  site: SiteInfo,
  jql: string,
  fields: string[],
  maxResults: number,
): Promise<Obj[][]> {
  const pages: Obj[][] = [];
  let token: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const r = await call(`${site.url}/rest/api/3/search/jql`, {
      method: "POST",
      auth: auth(site),
      body: { jql, fields, maxResults, nextPageToken: token },
    });
    expect(r.status, r.text).toBe(200);
    const body = obj(r.body);
    pages.push(arr(body.issues));
    expect("total" in body).toBe(false);
    if (body.isLast === true) {
      expect(body.nextPageToken).toBeUndefined();
      return pages;
    }
    token = String(body.nextPageToken);
  }
  throw new Error("pagination did not end");
}

describe("dataset", () => {
  it("is deterministic for a seed and differs across seeds", async () => {
    const a = await createSite(sim.url, { seed: 11, issues: 25 });
    const b = await createSite(sim.url, { seed: 11, issues: 25 });
    const c = await createSite(sim.url, { seed: 12, issues: 25 });
    const norm = (issues: Obj[], s: SiteInfo) => JSON.stringify(issues).replaceAll(s.url, "SITE");
    expect(norm(await truth(a), a)).toBe(norm(await truth(b), b));
    expect(norm(await truth(a), a)).not.toBe(norm(await truth(c), c));
  });

  it("has heavy issues, ties, consistent workflow history and realistic users", async () => {
    const site = await createSite(sim.url, { seed: 5, issues: 60 });
    const issues = await truth(site);
    const heavy = issues.filter((i) => {
      const f = obj(i.fields);
      return Number(obj(f.comment).total) > 100 && Number(obj(i.changelog).total) > 100;
    });
    expect(heavy.length).toBeGreaterThanOrEqual(2);
    const updated = issues.map((i) => String(obj(i.fields).updated));
    expect(new Set(updated).size).toBeLessThan(updated.length);
    for (const issue of issues) {
      const f = obj(issue.fields);
      const status = obj(f.status);
      const statusItems = arr(obj(issue.changelog).histories).flatMap((h) =>
        arr(h.items).filter((it) => it.fieldId === "status"),
      );
      const last = statusItems[statusItems.length - 1];
      if (last) {
        expect(last.to).toBe(status.id);
      } else {
        expect(status.name).toBe("To Do");
      }
      const done = obj(status.statusCategory).key === "done";
      expect(f.resolution !== null).toBe(done);
      expect(f.resolutiondate !== null).toBe(done);
      expect(String(f.updated)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
      if (obj(f.issuetype).subtask === true) {
        expect(obj(f.parent).key).toBeTruthy();
      }
    }
    const users = arr(
      (await call(`${site.url}/rest/api/3/users/search?maxResults=1000`, { auth: auth(site) }))
        .body,
    );
    expect(users.some((u) => u.emailAddress === undefined && u.accountType === "atlassian")).toBe(
      true,
    );
    expect(users.some((u) => u.accountType === "app")).toBe(true);
  });

  // Speed is reported, not asserted: timing assertions belong in benchmarks, not tests.
  it("generates a 10,000-issue site", () => {
    const t0 = performance.now();
    const site = new Site({
      id: "perf",
      seed: 1,
      issues: 10000,
      projects: 3,
      users: 20,
      timeZone: "UTC",
    });
    const ms = performance.now() - t0;
    console.log(`generated ${site.store.issues.size} issues in ${Math.round(ms)} ms`);
    expect(site.store.issues.size).toBe(10000);
  });
});

describe("search/jql", () => {
  it("paginates to the last page with tokens, without duplicates or gaps", async () => {
    const site = await createSite(sim.url, { seed: 8, issues: 45 });
    const pages = await searchAll(
      site,
      "updated >= 0 ORDER BY updated ASC, key ASC",
      ["key", "updated"],
      7,
    );
    expect(pages.length).toBe(7);
    const keys = pages.flat().map((i) => String(i.key));
    expect(new Set(keys).size).toBe(45);
    const expected = (await truth(site)).map((i) => String(i.key)).sort();
    expect([...keys].sort()).toEqual(expected);
    const times = pages
      .flat()
      .map((i) => Date.parse(String(obj(i.fields).updated).replace(/(\d{2})(\d{2})$/, "$1:$2")));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("returns ids only by default and caps page sizes like Jira", async () => {
    const site = await createSite(sim.url, { seed: 9, issues: 260 });
    const ids = await call(
      `${site.url}/rest/api/3/search/jql?jql=updated%20%3E%3D%200&maxResults=5000`,
      {
        auth: auth(site),
      },
    );
    const idBody = obj(ids.body);
    expect(arr(idBody.issues).length).toBe(260);
    expect(Object.keys(arr(idBody.issues)[0] ?? {})).toEqual(["id"]);
    expect(idBody.isLast).toBe(true);
    const full = await call(
      `${site.url}/rest/api/3/search/jql?jql=updated%20%3E%3D%200&fields=*all&maxResults=500`,
      {
        auth: auth(site),
      },
    );
    expect(arr(obj(full.body).issues).length).toBe(100);
    const dflt = await call(
      `${site.url}/rest/api/3/search/jql?jql=updated%20%3E%3D%200&fields=summary`,
      {
        auth: auth(site),
      },
    );
    expect(arr(obj(dflt.body).issues).length).toBe(50);
  });

  it("truncates embedded comments and changelog but reports totals; paging recovers all", async () => {
    const site = await createSite(sim.url, { seed: 4, issues: 30 });
    const heavy = (await truth(site)).find((i) => Number(obj(i.changelog).total) > 100);
    const key = String(heavy?.key);
    const r = await call(
      `${site.url}/rest/api/3/search/jql?jql=key%3D${key}&fields=comment&expand=changelog`,
      { auth: auth(site) },
    );
    const issue = obj(arr(obj(r.body).issues)[0]);
    const comment = obj(obj(issue.fields).comment);
    const changelog = obj(issue.changelog);
    expect(arr(comment.comments).length).toBe(20);
    expect(Number(comment.total)).toBeGreaterThan(100);
    expect(arr(changelog.histories).length).toBe(40);
    expect(Number(changelog.total)).toBeGreaterThan(100);

    const comments: Obj[] = [];
    for (let startAt = 0; startAt < Number(comment.total); startAt += 100) {
      const page = obj(
        (
          await call(
            `${site.url}/rest/api/3/issue/${key}/comment?startAt=${startAt}&maxResults=100`,
            { auth: auth(site) },
          )
        ).body,
      );
      comments.push(...arr(page.comments));
    }
    expect(comments.length).toBe(Number(comment.total));

    const histories: Obj[] = [];
    let startAt = 0;
    for (;;) {
      const page = obj(
        (
          await call(`${site.url}/rest/api/3/issue/${key}/changelog?startAt=${startAt}`, {
            auth: auth(site),
          })
        ).body,
      );
      histories.push(...arr(page.values));
      startAt += arr(page.values).length;
      if (page.isLast === true) {
        break;
      }
    }
    expect(histories.length).toBe(Number(changelog.total));

    const bulk: Obj[] = [];
    let token: string | undefined;
    do {
      const page = obj(
        (
          await call(`${site.url}/rest/api/3/changelog/bulkfetch`, {
            method: "POST",
            auth: auth(site),
            body: { issueIdsOrKeys: [key], maxResults: 30, nextPageToken: token },
          })
        ).body,
      );
      for (const entry of arr(page.issueChangeLogs)) {
        bulk.push(...arr(entry.changeHistories));
      }
      token = page.nextPageToken as string | undefined;
    } while (token);
    expect(bulk.length).toBe(Number(changelog.total));
  });

  it("answers JQL errors with Jira's messages", async () => {
    const site = await createSite(sim.url, { seed: 2, issues: 12 });
    const q = async (jql: string) =>
      call(`${site.url}/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`, {
        auth: auth(site),
      });
    const syntax = await q("project = OPS ANDD updated > -1d");
    expect(syntax.status).toBe(400);
    expect(arr(obj(syntax.body).errorMessages)[0]).toMatch(/^Error in the JQL Query: /);
    expect(obj(syntax.body).errors).toEqual({});
    const missing = await q("key in (OPS-1, OPS-9999)");
    expect(obj(missing.body).errorMessages).toEqual([
      "An issue with key 'OPS-9999' does not exist or you do not have permission to see it.",
    ]);
    await call(`${site.url}/_sim/issues/OPS-1`, { method: "DELETE" });
    const deleted = await q("key in (OPS-1)");
    expect(obj(deleted.body).errorMessages).toEqual([
      "An issue with key 'OPS-1' does not exist or you do not have permission to see it.",
    ]);
    expect((await q("project = NOPE")).status).toBe(400);
    expect((await q('updated >= "not a date"')).status).toBe(400);
    expect((await q("ORDER BY updated DESC")).status).toBe(200);
    expect((await q("")).status).toBe(200);
    const foreign = obj((await q("project = OPS")).body);
    expect(foreign.isLast).toBe(true);
  });

  it("reads date literals in the site's time zone", async () => {
    const site = await createSite(sim.url, { seed: 6, issues: 20, timeZone: "America/New_York" });
    const me = obj((await call(`${site.url}/rest/api/3/myself`, { auth: auth(site) })).body);
    expect(me.timeZone).toBe("America/New_York");
    const issue = (await truth(site))[5] ?? {};
    const updated = String(obj(issue.fields).updated);
    expect(updated).toMatch(/-0[45]00$/);
    const wall = `${updated.slice(0, 10)} ${updated.slice(11, 16)}`;
    const next = new Date(Date.parse(`${updated.slice(0, 16)}:00Z`) + 60_000).toISOString();
    const wallNext = `${next.slice(0, 10)} ${next.slice(11, 16)}`;
    const keys = async (jql: string) =>
      arr(
        obj(
          (
            await call(
              `${site.url}/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=key&maxResults=5000`,
              {
                auth: auth(site),
              },
            )
          ).body,
        ).issues,
      ).map((i) => i.key);
    expect(await keys(`key = ${String(issue.key)} AND updated >= "${wall}"`)).toEqual([issue.key]);
    expect(await keys(`key = ${String(issue.key)} AND updated >= "${wallNext}"`)).toEqual([]);

    const created = obj(
      (
        await call(`${site.url}/rest/api/3/issue`, {
          method: "POST",
          auth: auth(site),
          body: {
            fields: { project: { key: "OPS" }, issuetype: { id: "10002" }, summary: "fresh" },
          },
        })
      ).body,
    );
    expect(await keys("updated >= -1m")).toEqual([created.key]);
  });
});

describe("writes", () => {
  it("records REST writes in the changelog and bumps updated; silent control edits do not", async () => {
    const site = await createSite(sim.url, { seed: 10, issues: 10 });
    const before = obj((await call(`${site.url}/_sim/issues/OPS-1`)).body);
    const put = await call(`${site.url}/rest/api/3/issue/OPS-1`, {
      method: "PUT",
      auth: auth(site),
      body: {
        fields: { summary: "Renamed", customfield_10013: { value: "S1 - Critical" } },
        update: { labels: [{ add: "x1" }] },
      },
    });
    expect(put.status).toBe(204);
    const after = obj((await call(`${site.url}/_sim/issues/OPS-1`)).body);
    expect(obj(after.fields).updated).not.toBe(obj(before.fields).updated);
    const lastHistory = arr(obj(after.changelog).histories).at(-1);
    expect(
      arr(lastHistory?.items)
        .map((i) => i.fieldId)
        .sort(),
    ).toEqual(["customfield_10013", "labels", "summary"]);

    const bad = await call(`${site.url}/rest/api/3/issue/OPS-1`, {
      method: "PUT",
      auth: auth(site),
      body: { fields: { customfield_10013: { value: "nope" }, bogus: 1 } },
    });
    expect(bad.status).toBe(400);
    expect(obj(bad.body).errorMessages).toEqual([]);
    expect(Object.keys(obj(obj(bad.body).errors)).sort()).toEqual(["bogus", "customfield_10013"]);

    const silent = obj(
      (
        await call(`${site.url}/_sim/issues/OPS-1`, {
          method: "PATCH",
          body: { fields: { summary: "Quiet change" }, silent: true },
        })
      ).body,
    );
    expect(obj(silent.fields).summary).toBe("Quiet change");
    expect(obj(silent.fields).updated).toBe(obj(after.fields).updated);
    expect(obj(silent.changelog).total).toBe(obj(after.changelog).total);

    expect((await call(`${site.url}/_sim/issues/OPS-2`, { method: "DELETE" })).status).toBe(204);
    const gone = await call(`${site.url}/rest/api/3/issue/OPS-2`, { auth: auth(site) });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      errorMessages: ["Issue does not exist or you do not have permission to see it."],
      errors: {},
    });
    const deleted = arr(obj((await call(`${site.url}/_sim/deleted`)).body).issues);
    expect(deleted.map((d) => d.key)).toContain("OPS-2");
  });

  it("keeps sites isolated", async () => {
    const a = await createSite(sim.url, { seed: 1, issues: 5 });
    const b = await createSite(sim.url, { seed: 1, issues: 5 });
    await call(`${a.url}/_sim/issues`, {
      method: "POST",
      body: { projectKey: "OPS", summary: "only in A" },
    });
    expect((await truth(a)).length).toBe(6);
    expect((await truth(b)).length).toBe(5);
    const cross = await call(`${b.url}/rest/api/3/myself`, { auth: auth(a) });
    expect(cross.status).toBe(401);
  });
});

describe("OAuth", () => {
  it("rotates refresh tokens and expires access tokens", async () => {
    const site = await createSite(sim.url, { seed: 1, issues: 3 });
    const o = site.oauth;
    const refresh = (token: string, form = false) =>
      form
        ? call(o.tokenUrl, {
            method: "POST",
            body: new URLSearchParams({
              grant_type: "refresh_token",
              client_id: o.clientId,
              client_secret: o.clientSecret,
              refresh_token: token,
            }).toString(),
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          })
        : call(o.tokenUrl, {
            method: "POST",
            body: {
              grant_type: "refresh_token",
              client_id: o.clientId,
              client_secret: o.clientSecret,
              refresh_token: token,
            },
          });
    const first = await refresh(o.refreshToken);
    expect(first.status).toBe(200);
    const t1 = obj(first.body);
    expect(t1.token_type).toBe("Bearer");
    expect(t1.expires_in).toBe(3600);
    expect(t1.refresh_token).not.toBe(o.refreshToken);

    const reused = await refresh(o.refreshToken);
    expect(reused.status).toBe(403);
    expect(obj(reused.body).error).toBe("invalid_grant");

    const second = await refresh(String(t1.refresh_token), true);
    expect(second.status).toBe(200);
    const t2 = obj(second.body);

    const base = `${site.url}/ex/jira/${o.cloudId}`;
    const me = await call(`${base}/rest/api/3/myself`, {
      auth: `Bearer ${String(t2.access_token)}`,
    });
    expect(me.status).toBe(200);
    await call(`${site.url}/_sim/oauth/expire`, { method: "POST" });
    expect(
      (await call(`${base}/rest/api/3/myself`, { auth: `Bearer ${String(t2.access_token)}` }))
        .status,
    ).toBe(401);

    const badClient = await call(o.tokenUrl, {
      method: "POST",
      body: {
        grant_type: "refresh_token",
        client_id: "x",
        client_secret: "y",
        refresh_token: String(t2.refresh_token),
      },
    });
    expect(badClient.status).toBe(401);
  });
});

describe("faults and counters", () => {
  it("injects seeded random faults deterministically", async () => {
    const statuses = async () => {
      const site = await createSite(sim.url, { seed: 21, issues: 3 });
      await call(`${site.url}/_sim/faults`, {
        method: "POST",
        body: { rate429: 0.3, rate503: 0.2 },
      });
      const out: number[] = [];
      for (let i = 0; i < 25; i++) {
        out.push((await call(`${site.url}/rest/api/3/serverInfo`, { auth: auth(site) })).status);
      }
      return out;
    };
    const a = await statuses();
    expect(a).toEqual(await statuses());
    expect(a).toContain(429);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  it("enforces a burst budget with Jira's rate-limit headers and counts requests", async () => {
    const site = await createSite(sim.url, { seed: 1, issues: 3 });
    await call(`${site.url}/_sim/faults`, {
      method: "POST",
      body: { budget: { limit: 3, windowSeconds: 0.5 } },
    });
    const replies = [];
    for (let i = 0; i < 4; i++) {
      replies.push(await call(`${site.url}/rest/api/3/myself`, { auth: auth(site) }));
    }
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const limited = replies[3];
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited?.headers.get("x-ratelimit-limit")).toBe("3");
    expect(limited?.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number.isNaN(Date.parse(String(limited?.headers.get("x-ratelimit-reset"))))).toBe(false);
    expect(limited?.headers.get("ratelimit-reason")).toBe("jira-burst-based");
    await new Promise((r) => setTimeout(r, 600));
    expect((await call(`${site.url}/rest/api/3/myself`, { auth: auth(site) })).status).toBe(200);

    await call(`${site.url}/_sim/requests/reset`, { method: "POST" });
    await call(`${site.url}/_sim/faults`, { method: "POST", body: { latencyMs: 150 } });
    await Promise.all(
      Array.from({ length: 5 }, () =>
        call(`${site.url}/rest/api/3/search/jql?jql=project%3DOPS`, { auth: auth(site) }),
      ),
    );
    const stats = obj((await call(`${site.url}/_sim/requests`)).body);
    expect(stats.total).toBe(5);
    expect(obj(stats.byRoute)["GET /rest/api/3/search/jql"]).toBe(5);
    expect(obj(stats.byStatus)["200"]).toBe(5);
    expect(Number(stats.maxConcurrent)).toBe(5);
    expect(Number(stats.maxPerSecond)).toBeGreaterThanOrEqual(5);

    await call(`${site.url}/_sim/faults`, { method: "POST", body: { hangMs: 300 } });
    const t0 = Date.now();
    await call(`${site.url}/rest/api/3/serverInfo`, { auth: auth(site) });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await call(`${site.url}/_sim/faults`, { method: "POST", body: {} });
  });
});

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Obj;
}

/** A webhook receiver; answers 500 to the first `failFirst` attempts of each delivery. */
async function receiver(
  failFirst = 0,
): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      got.push({ headers: req.headers, raw, body: obj(JSON.parse(raw)) });
      const id = String(req.headers["x-atlassian-webhook-identifier"]);
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      res.writeHead(n <= failFirst ? 500 : 200);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function flush(site: SiteInfo): Promise<Obj[]> {
  return arr(
    obj((await call(`${site.url}/_sim/webhooks/flush`, { method: "POST" })).body).deliveries,
  );
}

const samples = fileURLToPath(new URL("./fixtures/webhook-samples/", import.meta.url));
function sample(name: string): Obj {
  return obj(JSON.parse(readFileSync(`${samples}${name}`, "utf8")));
}

describe("webhooks", () => {
  it("delivers signed Jira Cloud payloads for REST writes and opt-in control mutations", async () => {
    const site = await createSite(sim.url, { seed: 13, issues: 10 });
    const rx = await receiver();
    try {
      await call(`${site.url}/_sim/webhooks`, {
        method: "POST",
        body: { url: rx.url, secret: "s3cret" },
      });
      const created = await call(`${site.url}/rest/api/3/issue`, {
        method: "POST",
        auth: auth(site),
        body: {
          fields: { project: { key: "OPS" }, issuetype: { name: "Bug" }, summary: "hooked" },
        },
      });
      const key = String(obj(created.body).key);
      await call(`${site.url}/rest/api/3/issue/${key}`, {
        method: "PUT",
        auth: auth(site),
        body: {
          fields: {
            description: {
              type: "doc",
              version: 1,
              content: [{ type: "paragraph", content: [{ type: "text", text: "rich" }] }],
            },
          },
        },
      });
      await call(`${site.url}/rest/api/3/issue/${key}/comment`, {
        method: "POST",
        auth: auth(site),
        body: {
          body: {
            type: "doc",
            version: 1,
            content: [{ type: "paragraph", content: [{ type: "text", text: "hello" }] }],
          },
        },
      });
      await call(`${site.url}/_sim/issues/${key}`, {
        method: "PATCH",
        body: { fields: { summary: "no hook" } },
      });
      await call(`${site.url}/_sim/issues/${key}/transition`, {
        method: "POST",
        body: { to: "Done", webhook: true },
      });
      await call(`${site.url}/rest/api/3/issue/${key}`, { method: "DELETE", auth: auth(site) });
      await flush(site);

      const events = rx.got.map(
        (g) => `${String(g.body.webhookEvent)}:${String(g.body.issue_event_type_name ?? "")}`,
      );
      expect(events).toEqual([
        "jira:issue_created:issue_created",
        "jira:issue_updated:issue_updated",
        "comment_created:",
        "jira:issue_updated:issue_commented",
        "jira:issue_updated:issue_generic",
        "jira:issue_deleted:issue_deleted",
      ]);
      for (const g of rx.got) {
        const expected = `sha256=${createHmac("sha256", "s3cret").update(g.raw).digest("hex")}`;
        expect(g.headers["x-hub-signature"]).toBe(expected);
        expect(g.headers["x-atlassian-webhook-identifier"]).toBeTruthy();
        expect(typeof g.body.timestamp).toBe("number");
      }
      const updated = rx.got[1]?.body ?? {};
      expect(obj(obj(updated.issue).fields).description).toBe("rich");
      expect(arr(obj(updated.changelog).items)[0]?.fieldId).toBe("description");
      expect(obj(updated.user).emailAddress).toBeUndefined();
      const transition = rx.got[4]?.body ?? {};
      expect(arr(obj(transition.changelog).items).map((i) => i.field)).toEqual([
        "status",
        "resolution",
      ]);

      // Same top-level shape as captured real deliveries.
      const keys = (o: Obj) => Object.keys(o).sort();
      expect(keys(rx.got[0]?.body ?? {})).toEqual(
        keys(sample("jira_issue_created.sirajju-skill-sync.json")),
      );
      expect(keys(rx.got[2]?.body ?? {})).toEqual(
        keys(sample("comment_created.buldygins-jira-bot.json")),
      );
      const sampleFields = Object.keys(
        obj(obj(sample("jira_issue_created.sirajju-skill-sync.json").issue).fields),
      ).filter((k) => !k.startsWith("customfield_"));
      const ourFields = Object.keys(obj(obj(rx.got[0]?.body.issue).fields));
      expect(sampleFields.filter((k) => !ourFields.includes(k))).toEqual([]);
      expect(keys(obj(obj(rx.got[2]?.body).comment))).toEqual(
        keys(obj(sample("comment_created.buldygins-jira-bot.json").comment)),
      );
    } finally {
      await rx.close();
    }
  });

  it("retries failures with a stable identifier, duplicates and reorders on request", async () => {
    const site = await createSite(sim.url, { seed: 14, issues: 10 });
    let rx = await receiver(2);
    try {
      await call(`${site.url}/_sim/webhooks`, { method: "POST", body: { url: rx.url } });
      await call(`${site.url}/_sim/issues/OPS-1/comments`, {
        method: "POST",
        body: { text: "retry me", webhook: true },
      });
      const deliveries = await flush(site);
      const commentDelivery = deliveries.find((d) => d.webhookEvent === "comment_created");
      expect(commentDelivery?.status).toBe("delivered");
      const first = rx.got.filter((g) => g.body.webhookEvent === "comment_created");
      expect(first.map((g) => g.headers["x-atlassian-webhook-retry"])).toEqual([
        undefined,
        "1",
        "2",
      ]);
      expect(new Set(first.map((g) => g.headers["x-atlassian-webhook-identifier"])).size).toBe(1);

      await call(`${site.url}/_sim/webhooks`, { method: "DELETE" });
      await rx.close();
      rx = await receiver();
      await call(`${site.url}/_sim/webhooks`, {
        method: "POST",
        body: { url: rx.url, duplicateRate: 1, reorder: true },
      });
      for (const key of ["OPS-1", "OPS-2", "OPS-3"]) {
        await call(`${site.url}/_sim/issues/${key}`, {
          method: "PATCH",
          body: { fields: { summary: `changed ${key}` }, webhook: true },
        });
      }
      await flush(site);
      expect(rx.got.length).toBe(6);
      const ids = rx.got.map((g) => String(g.headers["x-atlassian-webhook-identifier"]));
      expect(new Set(ids).size).toBe(3);
    } finally {
      await rx.close();
    }
  });
});

describe("CLI", () => {
  it("prints one JSON line and exits cleanly on SIGTERM", async () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    const child = spawn(process.execPath, [main, "--port", "0", "--issues", "12", "--seed", "2"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("\n")) {
          resolve(out.split("\n")[0] ?? "");
        }
      });
      child.on("exit", (code) => reject(new Error(`exited early with ${code}`)));
    });
    const info = obj(JSON.parse(line));
    expect(Object.keys(info)).toEqual(["url", "email", "apiToken"]);
    const me = await call(`${String(info.url)}/rest/api/3/myself`, {
      auth: basic(String(info.email), String(info.apiToken)),
    });
    expect(me.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });
});
