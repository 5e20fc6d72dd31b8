import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adfToText } from "../../src/domain/adf";
import type { Services } from "../../src/infrastructure/services";
import { guarded } from "../../src/interfaces/mcp/context";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { callTool, connectMcp, textOf } from "../helpers/mcp";
import { connectSite, type SyncedSite, simGet } from "../helpers/sync";
import { createTenantWithKey } from "../helpers/tenancy";

async function ok<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  const result = await callTool(client, name, args);
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as T;
}

async function toolError(client: Client, name: string, args: Record<string, unknown>) {
  const result = await callTool(client, name, args);
  expect(result.isError, JSON.stringify(result)).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  return textOf(result);
}

async function rest<T = Record<string, unknown>>(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await call(method, path, { token, body });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return json<T>(res);
}

interface Issue {
  key: string;
  summary: string;
  status: string | null;
  statusCategory: string | null;
  projectKey: string;
  labels: string[];
  priority: string | null;
  customFields: Record<string, unknown>;
  commentsCount: number;
  descriptionText: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface TruthIssue {
  key: string;
  fields: {
    summary: string;
    labels: string[];
    status: { name: string };
    priority: { name: string } | null;
    description: unknown;
    comment: { comments: { body: unknown }[] };
  };
}

const TOOLS = [
  "add_comment",
  "ask",
  "create_issue",
  "find_similar_issues",
  "get_flow_metrics",
  "get_issue",
  "get_sql_schema",
  "get_sync_status",
  "list_instances",
  "list_projects",
  "run_sql",
  "search_issues",
  "summarize_issue",
  "transition_issue",
  "triage_issue",
  "update_issue",
];

let synced: SyncedSite;
let mcp: Client;
let token: string;

/** A backfill to completion (runSync's expect.poll only works inside a test, not a hook). */
async function backfill(site: SyncedSite) {
  await rest(site.tenant.key, "POST", `/v1/instances/${site.instanceId}/sync/backfill`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const status = await rest<{ backfill: { status: string }; running: string | null }>(
      site.tenant.key,
      "GET",
      `/v1/instances/${site.instanceId}/sync`,
    );
    if (status.backfill.status === "done" && status.running === null) {
      return;
    }
    expect(status.backfill.status).not.toBe("failed");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("backfill did not finish in time");
}

beforeAll(async () => {
  synced = await connectSite({ seed: 31, issues: 14 });
  await backfill(synced);
  token = synced.tenant.key;
  mcp = await connectMcp(token);
});

afterAll(async () => {
  await mcp?.close();
});

describe("MCP: the server and its tools", () => {
  it("introduces itself and lists every tool with a JSON schema and a description", async () => {
    expect(mcp.getServerVersion()?.name).toBe("digital-spiral");
    expect(mcp.getInstructions()).toContain("list_instances");
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(60);
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    const search = byName.get("search_issues")?.inputSchema;
    expect(Object.keys(search?.properties ?? {})).toEqual(
      expect.arrayContaining(["project", "status", "statusCategory", "q", "cf", "sort", "cursor"]),
    );
    expect(search?.required ?? []).toEqual([]);
    expect(byName.get("get_issue")?.inputSchema.required).toEqual(["key"]);
    expect(byName.get("run_sql")?.inputSchema.required).toEqual(["query"]);
    expect(byName.get("transition_issue")?.inputSchema.required).toEqual(["key", "transition"]);
    expect(byName.get("get_issue")?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get("create_issue")?.annotations?.readOnlyHint).toBe(false);
  });

  it("answers GET and DELETE with 405 (stateless: no stream, no session)", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await call(method, "/mcp", { token, headers: { accept: "text/event-stream" } });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
  });

  it("answers a bare JSON-RPC POST without a session (what curl sends)", async () => {
    const res = await call("POST", "/mcp", {
      token,
      headers: { accept: "application/json, text/event-stream" },
      body: {
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "list_instances", arguments: {} },
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("ratelimit-limit")).toBeTruthy();
    const body = await json<{ id: number; result: { structuredContent: Page<{ id: string }> } }>(
      res,
    );
    expect(body.id).toBe(7);
    expect(body.result.structuredContent.items.map((i) => i.id)).toEqual([synced.instanceId]);
  });

  it("list_instances gives the tenant's instances as GET /v1/instances does", async () => {
    const page = await ok<Page<{ id: string }>>(mcp, "list_instances");
    expect(page).toEqual(await rest(token, "GET", "/v1/instances"));
    expect(page.items.map((i) => i.id)).toEqual([synced.instanceId]);
  });

  it("list_projects equals GET /v1/projects", async () => {
    const page = await ok<Page<{ key: string }>>(mcp, "list_projects", {
      instanceId: synced.instanceId,
    });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page).toEqual(
      await rest(token, "GET", `/v1/projects?instanceId=${synced.instanceId}&limit=50`),
    );
  });

  it("search_issues equals GET /v1/issues with the same filters", async () => {
    const all = await rest<Page<Issue>>(token, "GET", "/v1/issues?limit=100");
    expect(all.items.length).toBe(14);
    const first = all.items[0];
    if (!first) {
      throw new Error("no issues");
    }
    const word = first.summary.split(/\W+/).sort((a, b) => b.length - a.length)[0] ?? "";
    const [fieldId, value] = all.items
      .flatMap((i) => Object.entries(i.customFields))
      .map(([id, v]): [string, unknown] => [id, (v as { value?: unknown } | null)?.value ?? v])
      .find(([, v]) => typeof v === "string") ?? ["", ""];
    expect(fieldId).toMatch(/^customfield_/);
    const cases: [Record<string, unknown>, string][] = [
      [{ limit: 100 }, "limit=100"],
      [
        { project: first.projectKey, sort: "key", limit: 100 },
        `project=${first.projectKey}&sort=key&limit=100`,
      ],
      [
        { statusCategory: ["new", "indeterminate"], sort: "-created", limit: 100 },
        "statusCategory=new,indeterminate&sort=-created&limit=100",
      ],
      [{ q: word, limit: 100 }, `q=${encodeURIComponent(word)}&limit=100`],
      [
        { cf: { [fieldId]: value }, instanceId: synced.instanceId, limit: 100 },
        `cf.${fieldId}=${encodeURIComponent(String(value))}&instanceId=${synced.instanceId}&limit=100`,
      ],
      [
        { updatedFrom: "2000-01-01", createdTo: "2100-12-31", sort: "priority", limit: 100 },
        "updatedFrom=2000-01-01&createdTo=2100-12-31&sort=priority&limit=100",
      ],
    ];
    for (const [args, query] of cases) {
      const page = await ok<Page<Issue>>(mcp, "search_issues", args);
      const expected = await rest<Page<Issue>>(token, "GET", `/v1/issues?${query}`);
      expect(page, query).toEqual(expected);
      expect(page.items.length, query).toBeGreaterThan(0);
    }
  });

  it("search_issues pages with cursors through the same issues, in the same order", async () => {
    const expected = await rest<Page<Issue>>(token, "GET", "/v1/issues?sort=key&limit=100");
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const result = await callTool(mcp, "search_issues", { sort: "key", limit: 4, cursor });
      const page = result.structuredContent as unknown as Page<Issue>;
      keys.push(...page.items.map((i) => i.key));
      expect(textOf(result)).toContain(`${page.items.length} issue(s)`);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(keys).toEqual(expected.items.map((i) => i.key));
  });

  it("search_issues names each invalid filter in a tool error", async () => {
    const text = await toolError(mcp, "search_issues", {
      updatedFrom: "yesterday",
      statusCategory: "someday",
      cf: { severity: "high" },
    });
    expect(text).toContain("Invalid input");
    expect(text).toContain("updatedFrom");
    expect(text).toContain("statusCategory");
    expect(text).toContain("cf.severity");
    const cursor = await toolError(mcp, "search_issues", { cursor: "forged" });
    expect(cursor).toContain("cursor");
    const schema = await toolError(mcp, "search_issues", { limit: 1000 });
    expect(schema).toContain("limit");
    // A misnamed argument is an error, not a silently ignored filter.
    const misnamed = await toolError(mcp, "search_issues", { projectKey: "PROJ" });
    expect(misnamed).toContain("projectKey");
  });

  it("get_issue equals GET /v1/issues/{key}, with comments and changelog on request", async () => {
    const all = await rest<Page<Issue>>(token, "GET", "/v1/issues?sort=-key&limit=100");
    const withComments = all.items.find((i) => i.commentsCount > 0) ?? all.items[0];
    const key = withComments?.key ?? "";
    const plain = await ok(mcp, "get_issue", { instanceId: synced.instanceId, key });
    expect(plain).toEqual(
      await rest(token, "GET", `/v1/issues/${key}?instanceId=${synced.instanceId}`),
    );
    expect(plain).not.toHaveProperty("comments");
    const full = await ok(mcp, "get_issue", {
      key: key.toLowerCase(), // the only instance is implied; keys are case-insensitive
      includeComments: true,
      includeChangelog: true,
    });
    expect(full).toEqual(
      await rest(
        token,
        "GET",
        `/v1/issues/${key}?instanceId=${synced.instanceId}&include=comments,changelog`,
      ),
    );
    expect((full.comments as unknown[]).length).toBe(withComments?.commentsCount);
  });

  it("get_issue of an unknown key is a not-found tool error", async () => {
    const text = await toolError(mcp, "get_issue", { key: "NOPE-99999" });
    expect(text).toContain("Not found");
    expect(text).toContain("NOPE-99999");
    const bad = await toolError(mcp, "get_issue", { key: "not a key" });
    expect(bad).toContain("key");
  });

  it("get_sync_status reports the instance's sync like GET /v1/instances/{id}/sync", async () => {
    const status = await ok<{ state: string; backfill: { status: string } }>(
      mcp,
      "get_sync_status",
      { instanceId: synced.instanceId },
    );
    const expected = await rest<typeof status>(
      token,
      "GET",
      `/v1/instances/${synced.instanceId}/sync`,
    );
    expect(status.state).toBe("idle");
    expect(status.backfill).toEqual(expected.backfill);
    expect(Object.keys(status).sort()).toEqual(Object.keys(expected).sort());
    const unknown = await toolError(mcp, "get_sync_status", { instanceId: crypto.randomUUID() });
    expect(unknown).toContain("Not found");
  });

  it("run_sql equals POST /v1/sql; Postgres' refusals are tool errors with the reason", async () => {
    const body = {
      query: "select key, status from v_issues where project_key = $1 order by key",
      params: [(await rest<Page<Issue>>(token, "GET", "/v1/issues?limit=1")).items[0]?.projectKey],
      maxRows: 5,
    };
    const result = await ok<{ rows: unknown[][]; truncated: boolean }>(mcp, "run_sql", body);
    expect(result).toEqual(await rest(token, "POST", "/v1/sql", body));
    expect(result.rows.length).toBeGreaterThan(0);
    const refused = await toolError(mcp, "run_sql", { query: "delete from issues" });
    expect(refused).toContain("refused");
    expect(refused).toContain("sqlState");
    const typo = await toolError(mcp, "run_sql", { query: "select nope from v_issues" });
    expect(typo).toContain("nope");
    expect(typo).toContain("position");
  });

  it("get_sql_schema equals GET /v1/sql/schema", async () => {
    const schema = await ok(mcp, "get_sql_schema");
    expect(schema).toEqual(await rest(token, "GET", "/v1/sql/schema"));
  });
});

describe("MCP: write tools change Jira and the stored issue", () => {
  const truth = (key: string) => simGet<TruthIssue>(synced, `/issues/${key}`);
  const stored = (key: string) =>
    rest<Issue>(token, "GET", `/v1/issues/${key}?instanceId=${synced.instanceId}`);

  async function projectKey() {
    const page = await ok<Page<{ key: string }>>(mcp, "list_projects");
    return page.items[0]?.key ?? "";
  }

  it("create_issue creates it in Jira and returns the stored issue", async () => {
    const issue = await ok<Issue>(mcp, "create_issue", {
      projectKey: await projectKey(),
      issueType: "Task",
      summary: "Created over MCP",
      description: "First line\n\nSecond paragraph",
      fields: { labels: ["mcp"] },
    });
    const jira = await truth(issue.key);
    expect(jira.fields.summary).toBe("Created over MCP");
    expect(jira.fields.labels).toEqual(["mcp"]);
    expect(adfToText(jira.fields.description)).toBe("First line\n\nSecond paragraph");
    expect(issue.descriptionText).toBe("First line\n\nSecond paragraph");
    expect(issue).toEqual(await stored(issue.key));
  });

  it("update_issue edits fields in Jira; Jira's refusals name the fields", async () => {
    const created = await ok<Issue>(mcp, "create_issue", {
      projectKey: await projectKey(),
      issueType: "Bug",
      summary: "To be renamed",
    });
    const result = await callTool(mcp, "update_issue", {
      key: created.key,
      fields: { summary: "Renamed over MCP", priority: { name: "High" } },
      update: { labels: [{ add: "triaged" }] },
    });
    expect(textOf(result)).toContain(`${created.key} [`);
    const jira = await truth(created.key);
    expect(jira.fields.summary).toBe("Renamed over MCP");
    expect(jira.fields.priority?.name).toBe("High");
    expect(jira.fields.labels).toContain("triaged");
    const issue = await stored(created.key);
    expect(result.structuredContent).toEqual(issue);
    expect(issue).toMatchObject({ summary: "Renamed over MCP", priority: "High" });
    const refused = await toolError(mcp, "update_issue", {
      key: created.key,
      fields: { customfield_10012: "eight" },
    });
    expect(refused).toContain("Refused");
    expect(refused).toContain("fields.customfield_10012");
    expect((await truth(created.key)).fields.summary).toBe("Renamed over MCP");
  });

  it("transition_issue moves the issue by transition or status name", async () => {
    const created = await ok<Issue>(mcp, "create_issue", {
      projectKey: await projectKey(),
      issueType: "Task",
      summary: "To be done",
    });
    const moved = await ok<Issue>(mcp, "transition_issue", {
      instanceId: synced.instanceId,
      key: created.key,
      transition: "In Progress",
    });
    expect(moved.status).toBe("In Progress");
    expect((await truth(created.key)).fields.status.name).toBe("In Progress");
    const done = await ok<Issue>(mcp, "transition_issue", { key: created.key, transition: "41" });
    expect(done).toMatchObject({ status: "Done", statusCategory: "done" });
    expect((await truth(created.key)).fields.status.name).toBe("Done");
    expect(await stored(created.key)).toEqual(done);
    const unknown = await toolError(mcp, "transition_issue", {
      key: created.key,
      transition: "Teleport",
    });
    expect(unknown).toContain("Teleport");
    expect(unknown).toContain("In Review (31)");
  });

  it("add_comment posts plain text or ADF to Jira", async () => {
    const created = await ok<Issue>(mcp, "create_issue", {
      projectKey: await projectKey(),
      issueType: "Task",
      summary: "To be discussed",
    });
    await ok(mcp, "add_comment", { key: created.key, body: "Hello from MCP" });
    const adf = {
      type: "doc",
      version: 1,
      content: [{ type: "paragraph", content: [{ type: "text", text: "ADF hello" }] }],
    };
    const issue = await ok<Issue>(mcp, "add_comment", { key: created.key, body: adf });
    expect(issue.commentsCount).toBe(2);
    const comments = (await truth(created.key)).fields.comment.comments;
    expect(comments.map((c) => adfToText(c.body))).toEqual(["Hello from MCP", "ADF hello"]);
    const full = await ok<{ comments: { bodyText: string }[] }>(mcp, "get_issue", {
      key: created.key,
      includeComments: true,
    });
    expect(full.comments.map((c) => c.bodyText)).toEqual(["Hello from MCP", "ADF hello"]);
    const missing = await toolError(mcp, "add_comment", { key: "NOPE-424242", body: "hi" });
    expect(missing).toContain("Not found");
  });

  it("an idempotency key replays the first create instead of creating again", async () => {
    const args = {
      projectKey: await projectKey(),
      issueType: "Task",
      summary: `Once only ${crypto.randomUUID()}`,
      idempotencyKey: crypto.randomUUID(),
    };
    const first = await ok<Issue>(mcp, "create_issue", args);
    const again = await callTool(mcp, "create_issue", args);
    expect(again.structuredContent).toEqual(first);
    expect(textOf(again)).toContain("replayed");
    const all = await simGet<{ issues: TruthIssue[] }>(synced, "/issues?maxResults=5000");
    expect(all.issues.filter((i) => i.fields.summary === args.summary)).toHaveLength(1);
    const conflict = await toolError(mcp, "create_issue", { ...args, summary: "Another" });
    expect(conflict).toContain("Conflict");
  });

  it("writes are audited as the API key", async () => {
    const audit = await rest<{ items: { actor: string; action: string }[] }>(
      token,
      "GET",
      "/v1/audit?limit=100",
    );
    const actions = audit.items
      .filter((e) => e.actor === `key:${synced.tenant.keyId}`)
      .map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["issue.create", "issue.edit", "issue.transition", "issue.comment"]),
    );
  });
});

describe("MCP: which instance, and failures", () => {
  it("asks for instanceId when the tenant has none or several instances", async () => {
    const tenant = await createTenantWithKey(["read", "write"]);
    const client = await connectMcp(tenant.key);
    const none = await toolError(client, "get_issue", { key: "PROJ-1" });
    expect(none).toContain("No Jira instance is connected");
    const first = await insertInstance(tenant.id);
    const second = await insertInstance(tenant.id);
    for (const [name, args] of [
      ["get_issue", { key: "PROJ-1" }],
      ["get_sync_status", {}],
      ["add_comment", { key: "PROJ-1", body: "hi" }],
    ] as const) {
      const text = await toolError(client, name, args);
      expect(text, name).toContain("pass instanceId");
      expect(text, name).toContain(first.id);
      expect(text, name).toContain(second.id);
    }
    await client.close();
  });

  it("turns an unexpected failure into a generic tool error and logs it", async () => {
    const logged: unknown[] = [];
    const logger = {
      info: () => {},
      warn: () => {},
      error: (...args: unknown[]) => logged.push(args),
      child: () => logger,
    };
    const ctx = {
      services: { logger } as unknown as Services,
      caller: {
        tenantId: "t",
        apiKeyId: "k",
        scopes: ["read" as const],
        rateLimit: { limit: 1, remaining: 1, resetSeconds: 60 },
      },
      requestId: "req-123",
      origin: "http://ds.test",
    };
    const failing = guarded(ctx, "read", async () => {
      throw new Error("connection string postgres://secret@db");
    });
    const result = await failing({});
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain("secret");
    expect(JSON.stringify(result)).toContain("req-123");
    expect(logged).toHaveLength(1);
    const forbidden = await guarded(ctx, "write", async () => ({ summary: "", data: {} }))({});
    expect(forbidden.content).toEqual([
      {
        type: "text",
        text: 'Forbidden: this tool needs an API key with the "write" scope; this key has "read".',
      },
    ]);
  });
});
