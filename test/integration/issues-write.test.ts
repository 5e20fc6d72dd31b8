import { describe, expect, it } from "vitest";
import { call, json } from "../helpers/http";
import { connectSite, runSync, type SyncedSite, simGet, simSend } from "../helpers/sync";
import { createKey } from "../helpers/tenancy";

interface Issue {
  key: string;
  summary: string;
  status: string;
  labels: string[];
  commentsCount: number;
}

async function site(seed: number): Promise<SyncedSite & { keys: string[] }> {
  const synced = await connectSite({ seed, issues: 6 });
  await runSync(synced, "backfill");
  const truth = await simGet<{ issues: { key: string }[] }>(synced, "/issues?maxResults=100");
  return { ...synced, keys: truth.issues.map((i) => i.key) };
}

const truthOf = (synced: SyncedSite, key: string) =>
  simGet<{ fields: { summary: string; status: { name: string }; comment: { total: number } } }>(
    synced,
    `/issues/${key}`,
  );

describe("writes back to Jira", () => {
  it("creates an issue in Jira and stores it, so a read right after sees it", async () => {
    const synced = await site(51);
    const projectKey = synced.keys[0]?.split("-")[0] ?? "";
    const res = await call("POST", "/v1/issues", {
      token: synced.tenant.key,
      body: {
        instanceId: synced.instanceId,
        projectKey,
        issueType: "Task",
        summary: "Created through the API",
        description: "Plain text becomes ADF",
        fields: { labels: ["api"] },
      },
    });
    expect(res.status).toBe(201);
    const created = await json<Issue>(res);
    expect(created).toMatchObject({ summary: "Created through the API", labels: ["api"] });
    expect((await truthOf(synced, created.key)).fields.summary).toBe("Created through the API");
    const read = await call("GET", `/v1/issues/${created.key}?instanceId=${synced.instanceId}`, {
      token: synced.tenant.key,
    });
    expect(read.status).toBe(200);
    expect((await json<Issue>(read)).summary).toBe("Created through the API");
  });

  it("edits, transitions by name and comments; every write is audited", async () => {
    const synced = await site(52);
    const key = synced.keys[1] ?? "";
    const edit = await call("PATCH", `/v1/issues/${key}`, {
      token: synced.tenant.key,
      body: { instanceId: synced.instanceId, fields: { summary: "Edited" } },
    });
    expect(edit.status).toBe(200);
    expect((await json<Issue>(edit)).summary).toBe("Edited");

    const available = (await (
      await fetch(`${synced.site.url}/rest/api/3/issue/${key}/transitions`, {
        headers: { authorization: `Basic ${btoa(`${synced.site.email}:${synced.site.apiToken}`)}` },
      })
    ).json()) as { transitions: { id: string; name: string; to: { name: string } }[] };
    const transition = available.transitions[0];
    expect(transition).toBeDefined();
    const moved = await call("POST", `/v1/issues/${key}/transitions`, {
      token: synced.tenant.key,
      body: { instanceId: synced.instanceId, transition: transition?.name },
    });
    expect(moved.status).toBe(200);
    expect((await json<Issue>(moved)).status).toBe(transition?.to.name);
    expect((await truthOf(synced, key)).fields.status.name).toBe(transition?.to.name);
    const unknown = await call("POST", `/v1/issues/${key}/transitions`, {
      token: synced.tenant.key,
      body: { instanceId: synced.instanceId, transition: "Teleport" },
    });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(await unknown.json())).toContain("available");

    const comment = await call("POST", `/v1/issues/${key}/comments`, {
      token: synced.tenant.key,
      body: { instanceId: synced.instanceId, body: "Looks good to me" },
    });
    expect(comment.status).toBe(201);
    expect((await json<Issue>(comment)).commentsCount).toBe(
      (await truthOf(synced, key)).fields.comment.total,
    );

    const audit = await json<{ items: { action: string; outcome: string }[] }>(
      await call("GET", "/v1/audit?limit=20", { token: synced.tenant.key }),
    );
    const actions = audit.items.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining(["issue.edit:success", "issue.comment:success"]),
    );
  });

  it("names the fields Jira refused with a 422 and changes nothing", async () => {
    const synced = await site(53);
    const key = synced.keys[2] ?? "";
    const before = await truthOf(synced, key);
    const res = await call("PATCH", `/v1/issues/${key}`, {
      token: synced.tenant.key,
      body: { instanceId: synced.instanceId, fields: { customfield_99999: "nope" } },
    });
    expect(res.status).toBe(422);
    const problem = await json<{ errors: { path: string }[] }>(res);
    expect(problem.errors.map((e) => e.path)).toContain("fields.customfield_99999");
    expect((await truthOf(synced, key)).fields.summary).toBe(before.fields.summary);
    const audit = await json<{ items: { action: string; outcome: string }[] }>(
      await call("GET", "/v1/audit?action=issue.edit", { token: synced.tenant.key }),
    );
    expect(audit.items[0]?.outcome).toBe("failure");
  });

  it("replays an Idempotency-Key without calling Jira again, and 409s on another body", async () => {
    const synced = await site(54);
    const projectKey = synced.keys[0]?.split("-")[0] ?? "";
    const body = { instanceId: synced.instanceId, projectKey, issueType: "Task", summary: "Once" };
    const headers = { "idempotency-key": `idem-${crypto.randomUUID()}` };
    const first = await call("POST", "/v1/issues", { token: synced.tenant.key, body, headers });
    expect(first.status).toBe(201);
    const created = await json<Issue>(first);
    const requestsBefore = (await simGet<{ total: number }>(synced, "/requests")).total;
    const again = await call("POST", "/v1/issues", { token: synced.tenant.key, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<Issue>(again)).key).toBe(created.key);
    expect((await simGet<{ total: number }>(synced, "/requests")).total).toBe(requestsBefore);
    const other = await call("POST", "/v1/issues", {
      token: synced.tenant.key,
      body: { ...body, summary: "Different" },
      headers,
    });
    expect(other.status).toBe(409);
    const all = await simGet<{ issues: { fields: { summary: string } }[] }>(
      synced,
      "/issues?maxResults=100",
    );
    expect(all.issues.filter((i) => i.fields.summary === "Once")).toHaveLength(1);
  });

  it("a retry after a Jira timeout succeeds once Jira answers, creating one issue", async () => {
    const synced = await site(55);
    const projectKey = synced.keys[0]?.split("-")[0] ?? "";
    const body = {
      instanceId: synced.instanceId,
      projectKey,
      issueType: "Task",
      summary: "Retried",
    };
    const headers = { "idempotency-key": `idem-${crypto.randomUUID()}` };
    await simSend(synced, "POST", "/faults", { failNext: { status: 503, count: 5 } });
    const failed = await call("POST", "/v1/issues", { token: synced.tenant.key, body, headers });
    expect(failed.status).toBe(503);
    const retried = await call("POST", "/v1/issues", { token: synced.tenant.key, body, headers });
    expect(retried.status).toBe(201);
    const all = await simGet<{ issues: { fields: { summary: string } }[] }>(
      synced,
      "/issues?maxResults=100",
    );
    expect(all.issues.filter((i) => i.fields.summary === "Retried")).toHaveLength(1);
  });

  it("needs the write scope, and another tenant's instance is 404", async () => {
    const synced = await site(56);
    const reader = await createKey(synced.tenant.id, ["read"]);
    const key = synced.keys[0] ?? "";
    const denied = await call("PATCH", `/v1/issues/${key}`, {
      token: reader.key,
      body: { instanceId: synced.instanceId, fields: { summary: "x" } },
    });
    expect(denied.status).toBe(403);
    const other = await connectSite({ seed: 57, issues: 2 });
    const foreign = await call("PATCH", `/v1/issues/${key}`, {
      token: other.tenant.key,
      body: { instanceId: synced.instanceId, fields: { summary: "x" } },
    });
    expect(foreign.status).toBe(404);
    const bad = await call("POST", "/v1/issues", {
      token: synced.tenant.key,
      body: { instanceId: "nope", summary: "" },
    });
    expect(bad.status).toBe(400);
  });
});
