import { beforeAll, describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { callTool, connectMcp, textOf } from "../helpers/mcp";
import { seedIssues, seedProjects, seedUsers } from "../helpers/seed-issues";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

/**
 * JQL semantics the simulator does not evaluate (text search, history, time zone, functions,
 * custom fields, sprints, ordering by type), against ground truth computed by hand from this
 * small site. The instance's Jira account lives in New York.
 */
let tenant: TestTenant;
let instanceId = "";
const DAY = 86_400_000;

interface Page {
  items: { key: string }[];
  nextCursor: string | null;
}

async function search(jql: string, params: Record<string, string> = {}) {
  const query = new URLSearchParams({ instanceId, jql, ...params });
  return call("GET", `/v1/issues?${query}`, { token: tenant.key });
}

async function keys(jql: string): Promise<string[]> {
  const res = await search(jql, { limit: "100" });
  expect(res.status, `${jql}: ${await res.clone().text()}`).toBe(200);
  return (await json<Page>(res)).items.map((i) => i.key);
}

const sorted = async (jql: string) => (await keys(jql)).sort();

async function problem(jql: string) {
  const res = await search(jql);
  expect(res.status, jql).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return json<{ code: string; detail: string }>(res);
}

const status = (from: string, to: string) => ({
  field: "status",
  fieldtype: "jira",
  from: null,
  fromString: from,
  to: null,
  toString: to,
});

beforeAll(async () => {
  tenant = await createTenantWithKey(["read"]);
  instanceId = (await insertInstance(tenant.id)).id;
  await adminQuery(
    `update jira_instances set settings = '{"jiraTimeZone":"America/New_York","jiraAccountId":"acc-alice"}' where id = $1`,
    [instanceId],
  );
  await seedUsers(tenant.id, instanceId, [
    { accountId: "acc-alice", displayName: "Alice Archer", email: "alice@example.com" },
    { accountId: "acc-bob", displayName: "Bob Baker" },
    { accountId: "acc-carol", displayName: "Carol Cooper" },
  ]);
  await seedProjects(tenant.id, instanceId, [
    { key: "PROJ", name: "Product" },
    { key: "OPS", name: "Operations" },
  ]);
  await adminQuery(
    `insert into custom_fields (tenant_id, instance_id, field_id, name, custom, schema_type, schema_custom, raw)
     values ($1, $2, 'customfield_10010', 'Team', true, 'string', null, '{}'),
            ($1, $2, 'customfield_10020', 'Story Points', true, 'number', null, '{}'),
            ($1, $2, 'customfield_10100', 'Sprint', true, 'array', 'com.pyxis.greenhopper.jira:gh-sprint', '{}')`,
    [tenant.id, instanceId],
  );
  const sprint1 = { id: 1, name: "Sprint 1", state: "closed" };
  const sprint2 = { id: 2, name: "Sprint 2", state: "active" };
  await seedIssues(tenant.id, instanceId, [
    {
      ...{ key: "PROJ-1", status: "To Do", type: "Bug", priority: "High", assignee: "acc-alice" },
      ...{ reporter: "acc-bob", labels: ["backend"], created: "2025-01-01T03:00:00Z" },
      summary: "Login fails on Safari",
      descriptionText: "The sign-in page crashes after the redirect",
      comments: [{ body: "Also seen on the invoice screen", author: "acc-bob" }],
      customFields: {
        ...{ customfield_10010: "Atlas", customfield_10020: 5 },
        customfield_10100: [sprint1, sprint2],
      },
      changelog: [
        {
          author: "acc-bob",
          created: "2025-01-05T12:00:00Z",
          items: [status("To Do", "In Progress")],
        },
        {
          author: "acc-alice",
          created: "2025-01-10T12:00:00Z",
          items: [status("In Progress", "To Do")],
        },
      ],
    },
    {
      ...{ key: "PROJ-2", status: "In Progress", statusCategory: "indeterminate", type: "Story" },
      ...{ priority: "Medium", assignee: "acc-bob", labels: ["frontend"], parentKey: "PROJ-1" },
      ...{ created: "2025-01-02T12:00:00Z", summary: "Redesign the checkout flow" },
      customFields: { customfield_10020: 8, customfield_10100: [sprint2] },
      changelog: [
        {
          author: "acc-alice",
          created: "2025-01-03T12:00:00Z",
          items: [
            status("To Do", "In Progress"),
            {
              field: "assignee",
              from: null,
              fromString: null,
              to: "acc-bob",
              toString: "Bob Baker",
            },
          ],
        },
      ],
    },
    {
      ...{ key: "PROJ-10", status: "Done", statusCategory: "done", type: "Task", priority: "Low" },
      ...{ created: "2025-01-03T12:00:00Z", resolved: "2025-01-05T10:00:00Z" },
      ...{ summary: "Export invoices as CSV", fixVersions: ["1.0"], components: ["api"] },
      comments: [{ body: "The customer wants the timeouts fixed", author: "acc-carol" }],
      changelog: [
        { author: "acc-bob", created: "2025-01-05T10:00:00Z", items: [status("To Do", "Done")] },
      ],
    },
    {
      ...{ key: "OPS-3", status: "Done", statusCategory: "done", type: "Bug", priority: "Highest" },
      ...{ assignee: "acc-bob", labels: ["ops"], created: "2024-12-01T00:00:00Z" },
      summary: "Backups fail at midnight",
    },
    {
      ...{ key: "OPS-4", status: "To Do", type: "Task" },
      ...{ created: new Date(Date.now() - 2 * DAY).toISOString(), summary: "Rotate the keys" },
    },
  ]);
  await adminQuery(
    `update issues set resolution = 'Done',
       raw = raw || '{"fields":{"duedate":"2025-02-01","versions":[{"name":"0.9"}],"creator":{"accountId":"acc-carol"}}}'
     where instance_id = $1 and key = 'PROJ-10'`,
    [instanceId],
  );
  await adminQuery(`update issues set priority = null where instance_id = $1 and key = 'OPS-4'`, [
    instanceId,
  ]);
});

describe("JQL text search (~) maps onto full-text search", () => {
  it("matches stemmed words, phrases, prefixes and the fields each name covers", async () => {
    expect(await sorted('summary ~ "login"')).toEqual(["PROJ-1"]);
    expect(await sorted('text ~ "invoice"')).toEqual(["PROJ-1", "PROJ-10"]);
    expect(await sorted("comment ~ timeout")).toEqual(["PROJ-10"]);
    expect(await sorted('description ~ "crashes"')).toEqual(["PROJ-1"]);
    expect(await sorted('summary ~ "redesign checkout"')).toEqual(["PROJ-2"]);
    expect(await sorted('summary ~ "\\"checkout flow\\""')).toEqual(["PROJ-2"]);
    expect(await sorted('summary ~ "\\"flow checkout\\""')).toEqual([]);
    expect(await sorted('summary ~ "back*"')).toEqual(["OPS-3"]);
    expect(await sorted("summary !~ login")).toEqual(["OPS-3", "OPS-4", "PROJ-10", "PROJ-2"]);
  });
});

describe("JQL history (WAS, CHANGED) reads the changelog", () => {
  it("answers WAS with its predicates", async () => {
    expect(await sorted('status was "In Progress"')).toEqual(["PROJ-1", "PROJ-2"]);
    expect(await sorted('status was "In Progress" BY acc-bob')).toEqual(["PROJ-1"]);
    expect(await sorted('status was "To Do" BEFORE "2025-01-02"')).toEqual(["PROJ-1"]);
    expect(await sorted('status was in ("Done", "In Progress") ON "2025-01-07"')).toEqual([
      "OPS-3",
      "PROJ-1",
      "PROJ-10",
      "PROJ-2",
    ]);
    expect(await sorted('status was not "In Progress"')).toEqual(["OPS-3", "OPS-4", "PROJ-10"]);
    expect(await sorted("assignee was acc-bob")).toEqual(["OPS-3", "PROJ-2"]);
  });

  it("answers CHANGED with FROM, TO, BY and DURING", async () => {
    expect(await sorted('status changed FROM "To Do" TO "In Progress"')).toEqual([
      "PROJ-1",
      "PROJ-2",
    ]);
    expect(await sorted('status changed BY "Alice Archer"')).toEqual(["PROJ-1", "PROJ-2"]);
    expect(await sorted('status changed DURING ("2025-01-04", "2025-01-06")')).toEqual([
      "PROJ-1",
      "PROJ-10",
    ]);
    expect(await sorted("assignee changed")).toEqual(["PROJ-2"]);
  });
});

describe("JQL dates and functions", () => {
  it("reads dates in the Jira user's time zone", async () => {
    // 2025-01-01 00:00 in New York is 05:00 UTC: PROJ-1 (03:00 UTC) was created before it.
    expect(await sorted('created < "2025-01-01"')).toEqual(["OPS-3", "PROJ-1"]);
    expect(await sorted('created < "2025/01/01 00:00"')).toEqual(["OPS-3", "PROJ-1"]);
    expect(await sorted('resolved >= "2025-01-05"')).toEqual(["PROJ-10"]);
    expect(await sorted('due = "2025-02-01"')).toEqual(["PROJ-10"]);
    expect(await sorted("due is EMPTY")).toEqual(["OPS-3", "OPS-4", "PROJ-1", "PROJ-2"]);
  });

  it("answers relative dates and date functions from now", async () => {
    expect(await sorted("created >= -3d")).toEqual(["OPS-4"]);
    expect(await sorted('created > "-1w"')).toEqual(["OPS-4"]);
    expect(await sorted("created >= startOfDay(-3)")).toEqual(["OPS-4"]);
    expect(await sorted("created < endOfDay(-10)")).toEqual([
      "OPS-3",
      "PROJ-1",
      "PROJ-10",
      "PROJ-2",
    ]);
    // The start of 2025 in New York (05:00 UTC): after PROJ-1 was created, before PROJ-2.
    const back = new Date().getUTCFullYear() - 2025;
    expect(await sorted(`created > startOfYear(-${back}) AND created <= now()`)).toEqual([
      "OPS-4",
      "PROJ-10",
      "PROJ-2",
    ]);
    expect(await sorted("created < startOfMonth(-100)")).toEqual([]);
  });

  it("answers currentUser() with the instance's Jira account; membersOf() is a clear 400", async () => {
    expect(await sorted("assignee = currentUser()")).toEqual(["PROJ-1"]);
    expect(await sorted('assignee = "alice@example.com"')).toEqual(["PROJ-1"]);
    const body = await problem('assignee in membersOf("jira-users")');
    expect(body.code).toBe("invalid_jql");
    expect(body.detail).toContain("membersOf()");
  });
});

describe("JQL fields", () => {
  it("follows Jira: != and NOT IN never match empty values; EMPTY and Unresolved", async () => {
    expect(await sorted("assignee != acc-alice")).toEqual(["OPS-3", "PROJ-2"]);
    expect(await sorted("priority not in (High)")).toEqual(["OPS-3", "PROJ-10", "PROJ-2"]);
    expect(await sorted("NOT priority = High")).toEqual(["OPS-3", "OPS-4", "PROJ-10", "PROJ-2"]);
    expect(await sorted("assignee is EMPTY")).toEqual(["OPS-4", "PROJ-10"]);
    expect(await sorted("resolution = Unresolved AND project = proj")).toEqual([
      "PROJ-1",
      "PROJ-2",
    ]);
    expect(await sorted('Status = "in progress"')).toEqual(["PROJ-2"]);
    expect(await sorted('project = "Operations"')).toEqual(["OPS-3", "OPS-4"]);
  });

  it("answers keys, parents, versions, components, creator and custom fields", async () => {
    expect(await sorted("key in (PROJ-1, ops-3)")).toEqual(["OPS-3", "PROJ-1"]);
    expect(await sorted("issuekey > PROJ-1")).toEqual(["PROJ-10", "PROJ-2"]);
    expect(await sorted("parent = PROJ-1")).toEqual(["PROJ-2"]);
    expect(await sorted('fixVersion = "1.0" AND component = api')).toEqual(["PROJ-10"]);
    expect(await sorted("affectedVersion = 0.9 AND creator = acc-carol")).toEqual(["PROJ-10"]);
    expect(await sorted("cf[10010] = Atlas")).toEqual(["PROJ-1"]);
    expect(await sorted('"Story Points" > 6')).toEqual(["PROJ-2"]);
    expect(await sorted('"story points" is EMPTY')).toEqual(["OPS-3", "OPS-4", "PROJ-10"]);
    expect(await sorted("Team != Atlas")).toEqual([]);
  });

  it("answers sprints from the Sprint field's values", async () => {
    expect(await sorted("sprint in openSprints()")).toEqual(["PROJ-1", "PROJ-2"]);
    expect(await sorted("sprint in closedSprints()")).toEqual(["PROJ-1"]);
    expect(await sorted('sprint = "Sprint 1"')).toEqual(["PROJ-1"]);
    expect(await sorted("sprint = 2")).toEqual(["PROJ-1", "PROJ-2"]);
    expect(await sorted("sprint is EMPTY")).toEqual(["OPS-3", "OPS-4", "PROJ-10"]);
  });
});

describe("JQL ORDER BY", () => {
  it("orders each type as Jira does, key breaking ties", async () => {
    expect(await keys("ORDER BY priority DESC")).toEqual([
      "OPS-4",
      "OPS-3",
      "PROJ-1",
      "PROJ-2",
      "PROJ-10",
    ]);
    expect(await keys("ORDER BY status ASC")).toEqual([
      "OPS-3",
      "PROJ-10",
      "PROJ-2",
      "OPS-4",
      "PROJ-1",
    ]);
    expect(await keys("order by KEY")).toEqual(["OPS-3", "OPS-4", "PROJ-1", "PROJ-2", "PROJ-10"]);
    expect(await keys("project = PROJ")).toEqual(["PROJ-10", "PROJ-2", "PROJ-1"]);
    expect(await keys('ORDER BY "Story Points" DESC, key')).toEqual([
      "OPS-3",
      "OPS-4",
      "PROJ-10",
      "PROJ-2",
      "PROJ-1",
    ]);
  });

  it("pages through any order with cursors, without skipping or repeating", async () => {
    for (const jql of [
      "ORDER BY priority DESC, created ASC",
      "ORDER BY assignee, due DESC",
      "ORDER BY status",
    ]) {
      const all = await keys(jql);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await search(jql, { limit: "2", ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        const page: Page = await json<Page>(res);
        paged.push(...page.items.map((i) => i.key));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged, jql).toEqual(all);
      expect(all).toHaveLength(5);
    }
  });
});

describe("JQL errors are 400 problems worded as Jira's", () => {
  it("names the clause and the character position", async () => {
    const unknownStatus = await problem('status = "Never Heard Of"');
    expect(unknownStatus.code).toBe("invalid_jql");
    expect(unknownStatus.detail).toBe(
      "The value 'Never Heard Of' does not exist for the field 'status'.",
    );
    expect((await problem("project = ")).detail).toContain("reached the end of the query");
    expect((await problem("status = Done AND")).detail).toContain("Error in the JQL Query");
    expect((await problem("project = PROJ status = Done")).detail).toBe(
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 16)",
    );
    expect((await problem("foo = bar")).detail).toBe(
      "Field 'foo' does not exist or you do not have permission to view it.",
    );
    expect((await problem("status ~ done")).detail).toContain(
      "'~' is not supported by the 'status'",
    );
    expect((await problem('summary ~ "unterminated')).detail).toContain("has not been completed");
    expect((await problem("created > yesterdayish")).detail).toContain("Date value 'yesterdayish'");
    expect((await problem("assignee = nobody-known")).code).toBe("invalid_jql");
    expect((await problem("key = NOPE-1")).detail).toContain("does not exist");
    // A NUL never reaches the parser: the URL itself is refused.
    expect((await problem("status = \u0000")).code).toBe("invalid_request");
    expect((await problem(`${"(".repeat(60)}status = Done${")".repeat(60)}`)).code).toBe(
      "invalid_jql",
    );
  });

  it("refuses jql combined with structured filters, or without one instance", async () => {
    const both = await search("project = PROJ", { status: "Done" });
    expect(both.status).toBe(400);
    const res = await call("GET", `/v1/issues?jql=${encodeURIComponent("project = PROJ")}`, {
      token: tenant.key,
    });
    expect(res.status).toBe(400);
  });

  it("hides other tenants' instances (404)", async () => {
    const other = await createTenantWithKey(["read"]);
    const query = new URLSearchParams({ instanceId, jql: "project = PROJ" });
    const res = await call("GET", `/v1/issues?${query}`, { token: other.key });
    expect(res.status).toBe(404);
  });
});

describe("MCP search_issues takes jql", () => {
  it("answers the same issues as the REST search", async () => {
    const client = await connectMcp(tenant.key);
    const result = await callTool(client, "search_issues", {
      instanceId,
      jql: 'status was "In Progress" ORDER BY key',
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    const page = result.structuredContent as unknown as Page;
    expect(page.items.map((i) => i.key)).toEqual(["PROJ-1", "PROJ-2"]);
    const bad = await callTool(client, "search_issues", { instanceId, jql: "status = Nope" });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toContain("does not exist for the field 'status'");
    await client.close();
  });
});

describe("GET /v1/jql/autocomplete", () => {
  const suggest = async (params: Record<string, string>, token = tenant.key) =>
    call("GET", `/v1/jql/autocomplete?${new URLSearchParams({ instanceId, ...params })}`, {
      token,
    });

  it("suggests field names and the values of a field from the mirror", async () => {
    const fields = await json<{ fields: { value: string }[] }>(await suggest({ prefix: "st" }));
    expect(fields.fields.map((f) => f.value)).toEqual([
      "status",
      "statusCategory",
      '"Story Points"',
    ]);
    const statuses = await json<{ values: { value: string }[] }>(
      await suggest({ field: "status", prefix: "" }),
    );
    expect(statuses.values.map((v) => v.value)).toEqual(["Done", "To Do", "In Progress"]);
    const people = await json<{ values: { value: string; displayName: string }[] }>(
      await suggest({ field: "assignee", prefix: "bo" }),
    );
    expect(people.values).toEqual([{ value: "acc-bob", displayName: "Bob Baker" }]);
    const labels = await json<{ values: { value: string }[] }>(
      await suggest({ field: "labels", prefix: "f" }),
    );
    expect(labels.values.map((v) => v.value)).toEqual(["frontend"]);
  });

  it("refuses unknown fields and other tenants' instances", async () => {
    expect((await suggest({ field: "nonsense" })).status).toBe(400);
    const other = await createTenantWithKey(["read"]);
    expect((await suggest({ prefix: "" }, other.key)).status).toBe(404);
  });
});
