import { beforeAll, describe, expect, it } from "vitest";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { seedIssues, seedUsers } from "../helpers/seed-issues";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

interface Page {
  items: Issue[];
  nextCursor: string | null;
}

interface Issue {
  key: string;
  assignee: { accountId: string; displayName: string | null } | null;
  [field: string]: unknown;
}

let tenant: TestTenant;
let instanceId = "";
let otherInstanceId = "";

/** A small site with exactly known values; another tenant has the same keys. */
beforeAll(async () => {
  tenant = await createTenantWithKey(["read"]);
  instanceId = (await insertInstance(tenant.id)).id;
  otherInstanceId = (await insertInstance(tenant.id)).id;
  await seedUsers(tenant.id, instanceId, [
    { accountId: "acc-alice", displayName: "Alice Archer", email: "alice@example.com" },
    { accountId: "acc-bob", displayName: "Bob Baker", email: "bob@example.com", active: false },
  ]);
  await seedIssues(tenant.id, instanceId, [
    {
      ...{ key: "PROJ-1", status: "To Do", statusCategory: "new", type: "Bug", priority: "High" },
      ...{ assignee: "acc-alice", reporter: "acc-bob", labels: ["backend"] },
      ...{ created: "2025-01-01T00:00:00Z", updated: "2025-01-10T00:00:00Z" },
      summary: "Login fails on Safari",
      descriptionText: "The sign-in page crashes after the redirect",
      comments: [{ body: "Also seen on the invoice screen", author: "acc-bob" }],
      customFields: { customfield_10010: "Atlas", customfield_10050: ["alpha", "beta"] },
    },
    {
      ...{ key: "PROJ-2", status: "In Progress", statusCategory: "indeterminate", type: "Story" },
      ...{ priority: "Medium", assignee: "acc-bob", labels: ["frontend", "ux"] },
      ...{ created: "2025-01-02T00:00:00Z", updated: "2025-02-01T00:00:00Z" },
      summary: "Redesign the checkout",
      customFields: { customfield_10020: 5, customfield_10030: { value: "Sev-1", id: "10100" } },
    },
    {
      ...{ key: "PROJ-10", status: "Done", statusCategory: "done", type: "Task", priority: "Low" },
      ...{ created: "2025-01-03T00:00:00Z", updated: "2025-01-05T00:00:00Z" },
      resolved: "2025-01-05T00:00:00Z",
      summary: "Export invoices as CSV",
      customFields: { customfield_10040: [{ value: "Linux" }, { value: "Windows" }] },
    },
    {
      ...{ key: "PROJ-11", status: "In Review", statusCategory: "indeterminate", type: "Bug" },
      ...{ priority: "Highest", assignee: "acc-alice", labels: ["backend", "security"] },
      ...{ created: "2025-02-01T00:00:00Z", updated: "2025-03-01T00:00:00Z" },
      summary: "Session token leaks into logs",
      customFields: { customfield_10010: "Boreal", customfield_10060: { accountId: "acc-bob" } },
    },
    {
      ...{ key: "OPS-3", status: "Done", statusCategory: "done", type: "Bug", priority: "High" },
      ...{ assignee: "acc-bob", labels: ["ops"] },
      ...{ created: "2024-12-01T00:00:00Z", updated: "2025-01-20T00:00:00Z" },
      summary: "Backups fail at midnight",
      customFields: { customfield_10020: 13 },
    },
    {
      ...{
        key: "OPS-20",
        status: "To Do",
        statusCategory: "new",
        type: "Epic",
        priority: "Lowest",
      },
      ...{ created: "2025-01-15T00:00:00Z", updated: "2025-01-15T00:00:00Z" },
      summary: "Move monitoring to the new cluster",
    },
    { key: "PROJ-9", summary: "Login was deleted", deleted: true, updated: "2025-06-01T00:00:00Z" },
  ]);
  await seedIssues(tenant.id, otherInstanceId, [
    {
      ...{ key: "OTHER-1", summary: "Login on the other site" },
      ...{ created: "2025-01-04T00:00:00Z", updated: "2025-01-12T00:00:00Z" },
    },
  ]);
  // Another tenant with the same keys and words: never visible here.
  const stranger = await createTenantWithKey(["read"]);
  const strangerInstance = (await insertInstance(stranger.id)).id;
  await seedIssues(stranger.id, strangerInstance, [
    { key: "PROJ-1", summary: "Login fails for a stranger", labels: ["backend"] },
  ]);
});

async function keys(query: string): Promise<string[]> {
  const res = await call("GET", `/v1/issues?${query}`, { token: tenant.key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<Page>(res)).items.map((i) => i.key);
}

describe("GET /v1/issues: filters", () => {
  it.each([
    ["", ["PROJ-11", "PROJ-2", "OPS-3", "OPS-20", "OTHER-1", "PROJ-1", "PROJ-10"]],
    ["instanceId=(other)", ["OTHER-1"]],
    ["project=PROJ", ["PROJ-11", "PROJ-2", "PROJ-1", "PROJ-10"]],
    ["project=ops,other", ["OPS-3", "OPS-20", "OTHER-1"]],
    ["status=Done", ["OPS-3", "PROJ-10"]],
    ["status=To%20Do&status=In%20Review", ["PROJ-11", "OPS-20", "OTHER-1", "PROJ-1"]],
    ["statusCategory=indeterminate", ["PROJ-11", "PROJ-2"]],
    ["type=Bug", ["PROJ-11", "OPS-3", "PROJ-1"]],
    ["priority=High,Highest", ["PROJ-11", "OPS-3", "PROJ-1"]],
    ["assignee=acc-alice", ["PROJ-11", "PROJ-1"]],
    ["label=backend", ["PROJ-11", "PROJ-1"]],
    ["label=ux,ops", ["PROJ-2", "OPS-3"]],
    ["updatedFrom=2025-01-15&updatedTo=2025-02-01", ["PROJ-2", "OPS-3", "OPS-20"]],
    ["updatedTo=2025-01-10T00:00:00Z", ["PROJ-1", "PROJ-10"]],
    ["createdFrom=2025-01-02&createdTo=2025-01-03", ["PROJ-2", "PROJ-10"]],
    ["createdTo=2024-12-31", ["OPS-3"]],
    ["q=login&sort=key", ["OTHER-1", "PROJ-1"]],
    ["q=invoice&sort=key", ["PROJ-1", "PROJ-10"]],
    ["q=crashes", ["PROJ-1"]],
    ["q=%22session%20token%22%20-safari", ["PROJ-11"]],
    ["cf.customfield_10010=Atlas", ["PROJ-1"]],
    ["cf.customfield_10010=Atlas&cf.customfield_10010=Boreal", ["PROJ-11", "PROJ-1"]],
    ["cf.customfield_10020=13", ["OPS-3"]],
    ["cf.customfield_10030=Sev-1", ["PROJ-2"]],
    ["cf.customfield_10040=Windows", ["PROJ-10"]],
    ["cf.customfield_10050=beta", ["PROJ-1"]],
    ["cf.customfield_10060=acc-bob", ["PROJ-11"]],
    ["cf.customfield_99999=anything", []],
    ["project=PROJ&type=Bug&label=security", ["PROJ-11"]],
    ["q=login&project=PROJ&statusCategory=new", ["PROJ-1"]],
  ])("%s", async (query, expected) => {
    expect(await keys(query.replace("(other)", otherInstanceId))).toEqual(expected);
  });

  it("never lists deleted issues, nor another tenant's", async () => {
    const all = await keys("limit=100");
    expect(all).not.toContain("PROJ-9");
    expect(all.filter((k) => k === "PROJ-1")).toHaveLength(1);
    expect(await keys("q=stranger")).toEqual([]);
  });

  it("shows each issue's fields, with people's names", async () => {
    const res = await call("GET", `/v1/issues?project=PROJ&type=Bug&sort=key`, {
      token: tenant.key,
    });
    const [first] = (await json<Page>(res)).items;
    expect(first).toMatchObject({
      key: "PROJ-1",
      instanceId,
      projectKey: "PROJ",
      summary: "Login fails on Safari",
      status: "To Do",
      statusCategory: "new",
      type: "Bug",
      priority: "High",
      assignee: { accountId: "acc-alice", displayName: "Alice Archer" },
      reporter: { accountId: "acc-bob", displayName: "Bob Baker" },
      labels: ["backend"],
      created: "2025-01-01T00:00:00.000Z",
      updated: "2025-01-10T00:00:00.000Z",
      resolved: null,
      customFields: { customfield_10010: "Atlas", customfield_10050: ["alpha", "beta"] },
      commentsCount: 1,
    });
  });
});

describe("GET /v1/issues: sorts", () => {
  it.each([
    ["key", ["OPS-3", "OPS-20", "OTHER-1", "PROJ-1", "PROJ-2", "PROJ-10", "PROJ-11"]],
    ["-key", ["PROJ-11", "PROJ-10", "PROJ-2", "PROJ-1", "OTHER-1", "OPS-20", "OPS-3"]],
    ["created", ["OPS-3", "PROJ-1", "PROJ-2", "PROJ-10", "OTHER-1", "OPS-20", "PROJ-11"]],
    ["-updated", ["PROJ-11", "PROJ-2", "OPS-3", "OPS-20", "OTHER-1", "PROJ-1", "PROJ-10"]],
    ["updated", ["PROJ-10", "PROJ-1", "OTHER-1", "OPS-20", "OPS-3", "PROJ-2", "PROJ-11"]],
  ])("sort=%s", async (sort, expected) => {
    expect(await keys(`sort=${sort}`)).toEqual(expected);
  });

  it("sorts by priority importance (Highest first with -priority), ties by id", async () => {
    const list = await keys("sort=-priority&project=PROJ,OPS");
    expect(list[0]).toBe("PROJ-11");
    expect(list.slice(1, 3).sort()).toEqual(["OPS-3", "PROJ-1"]);
    expect(list.slice(3)).toEqual(["PROJ-2", "PROJ-10", "OPS-20"]);
    expect(await keys("sort=priority&project=PROJ,OPS")).toEqual([...list].reverse());
  });

  it("ranks full-text matches by relevance when no sort is given", async () => {
    // A match in the summary (weight A) outranks one in a comment (weight C).
    expect(await keys("q=invoice")).toEqual(["PROJ-10", "PROJ-1"]);
    expect(await keys("q=invoice&sort=key")).toEqual(["PROJ-1", "PROJ-10"]);
  });
});
