import { beforeAll, describe, expect, it } from "vitest";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { seedIssues, seedUsers } from "../helpers/seed-issues";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

let tenant: TestTenant;
let instanceId = "";

const COMMENTS = Array.from({ length: 5 }, (_, i) => ({
  body: `Comment number ${i + 1}`,
  author: i % 2 === 0 ? "acc-alice" : "acc-unknown",
  created: `2025-01-0${i + 1}T10:00:00Z`,
}));
const HISTORIES = Array.from({ length: 3 }, (_, i) => ({
  author: "acc-alice",
  created: `2025-01-0${i + 1}T12:00:00Z`,
  items: [{ field: "status", fieldId: "status", fromString: `S${i}`, toString: `S${i + 1}` }],
}));

beforeAll(async () => {
  tenant = await createTenantWithKey(["read"]);
  instanceId = (await insertInstance(tenant.id)).id;
  await seedUsers(tenant.id, instanceId, [
    { accountId: "acc-alice", displayName: "Alice Archer", email: "alice@example.com" },
  ]);
  await seedIssues(tenant.id, instanceId, [
    {
      ...{ key: "PROJ-7", summary: "Checkout times out", descriptionText: "Steps: pay" },
      ...{ status: "Done", statusCategory: "done", type: "Bug", priority: "High" },
      ...{ assignee: "acc-alice", reporter: "acc-gone", labels: ["backend"] },
      ...{ components: ["API"], fixVersions: ["1.2"], parentKey: "PROJ-1" },
      ...{ created: "2025-01-01T08:00:00Z", updated: "2025-01-06T09:30:00.250Z" },
      resolved: "2025-01-06T09:30:00.250Z",
      customFields: { customfield_10010: "Atlas", customfield_10030: { value: "Sev-2" } },
      comments: COMMENTS,
      changelog: HISTORIES,
      links: [
        { type: "Blocks", direction: "outward", key: "PROJ-8" },
        { type: "Blocks", direction: "inward", key: "OPS-1" },
        { type: "Relates", direction: "outward", key: "PROJ-2" },
      ],
    },
    { key: "PROJ-8", summary: "Gone", deleted: true },
  ]);
});

const get = (path: string, headers: Record<string, string> = {}) =>
  call("GET", path, { token: tenant.key, headers });

describe("GET /v1/issues/{key}", () => {
  it("returns the contract's shape with links and counts", async () => {
    const res = await get(`/v1/issues/PROJ-7?instanceId=${instanceId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const issue = await json(res);
    expect(issue).toMatchObject({
      key: "PROJ-7",
      projectKey: "PROJ",
      summary: "Checkout times out",
      descriptionText: "Steps: pay",
      description: { type: "doc", version: 1 },
      status: "Done",
      statusCategory: "done",
      type: "Bug",
      priority: "High",
      assignee: { accountId: "acc-alice", displayName: "Alice Archer" },
      reporter: { accountId: "acc-gone", displayName: null },
      labels: ["backend"],
      components: ["API"],
      fixVersions: ["1.2"],
      parentKey: "PROJ-1",
      created: "2025-01-01T08:00:00.000Z",
      updated: "2025-01-06T09:30:00.250Z",
      resolved: "2025-01-06T09:30:00.250Z",
      customFields: { customfield_10010: "Atlas", customfield_10030: { value: "Sev-2" } },
      links: [
        { type: "Blocks", direction: "inward", key: "OPS-1" },
        { type: "Blocks", direction: "outward", key: "PROJ-8" },
        { type: "Relates", direction: "outward", key: "PROJ-2" },
      ],
      commentsCount: 5,
      changelogCount: 3,
    });
    expect(issue).not.toHaveProperty("comments");
    expect(issue).not.toHaveProperty("changelog");
    expect(issue).not.toHaveProperty("raw");
  });

  it("accepts a lower-case key", async () => {
    expect((await get(`/v1/issues/proj-7?instanceId=${instanceId}`)).status).toBe(200);
  });

  it("embeds all comments and the changelog, oldest first, with include", async () => {
    const issue = await json<{ comments: unknown[]; changelog: unknown[] }>(
      await get(`/v1/issues/PROJ-7?instanceId=${instanceId}&include=comments,changelog`),
    );
    expect(issue.comments).toHaveLength(5);
    expect(issue.comments[0]).toMatchObject({
      bodyText: "Comment number 1",
      body: { type: "doc" },
      author: { accountId: "acc-alice", displayName: "Alice Archer" },
      created: "2025-01-01T10:00:00.000Z",
    });
    expect(issue.comments[1]).toMatchObject({
      author: { accountId: "acc-unknown", displayName: null },
    });
    expect(issue.changelog).toEqual(
      HISTORIES.map((h) =>
        expect.objectContaining({ items: h.items, created: new Date(h.created).toISOString() }),
      ),
    );
    const onlyComments = await json(
      await get(`/v1/issues/PROJ-7?instanceId=${instanceId}&include=comments`),
    );
    expect(onlyComments).toHaveProperty("comments");
    expect(onlyComments).not.toHaveProperty("changelog");
  });

  it("is 404 for a deleted issue, an unknown key and another instance", async () => {
    for (const path of [
      `/v1/issues/PROJ-8?instanceId=${instanceId}`,
      `/v1/issues/PROJ-999?instanceId=${instanceId}`,
      `/v1/issues/PROJ-7?instanceId=${crypto.randomUUID()}`,
      `/v1/issues/PROJ-8/comments?instanceId=${instanceId}`,
      `/v1/issues/PROJ-8/changelog?instanceId=${instanceId}`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("is 400 without instanceId, for a malformed key or an unknown include", async () => {
    for (const [path, param] of [
      ["/v1/issues/PROJ-7", "instanceId"],
      [`/v1/issues/not-a-key!?instanceId=${instanceId}`, "key"],
      [`/v1/issues/PROJ-7?instanceId=${instanceId}&include=attachments`, "include"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const problem = await json<{ errors: { path: string }[] }>(res);
      expect(problem.errors.map((e) => e.path)).toContain(param);
    }
  });
});

describe("GET /v1/issues/{key}/comments and /changelog", () => {
  async function walk(kind: "comments" | "changelog", limit: number) {
    const seen: { created: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = `instanceId=${instanceId}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await get(`/v1/issues/PROJ-7/${kind}?${query}`);
      expect(res.status).toBe(200);
      const page = await json<{ items: { created: string }[]; nextCursor: string | null }>(res);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { seen, pages };
  }

  it("pages comments oldest first", async () => {
    const { seen, pages } = await walk("comments", 2);
    expect(pages).toBe(3);
    expect(seen.map((c) => (c as unknown as { bodyText: string }).bodyText)).toEqual(
      COMMENTS.map((c) => c.body),
    );
  });

  it("pages the changelog oldest first", async () => {
    const { seen, pages } = await walk("changelog", 1);
    expect(pages).toBe(3);
    expect(seen.map((h) => h.created)).toEqual(
      HISTORIES.map((h) => new Date(h.created).toISOString()),
    );
  });

  it("refuses a comments cursor on the changelog", async () => {
    const first = await json<{ nextCursor: string }>(
      await get(`/v1/issues/PROJ-7/comments?instanceId=${instanceId}&limit=1`),
    );
    const res = await get(
      `/v1/issues/PROJ-7/changelog?instanceId=${instanceId}&cursor=${encodeURIComponent(first.nextCursor)}`,
    );
    expect(res.status).toBe(400);
  });
});
