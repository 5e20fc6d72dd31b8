import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANA, seedWebProject } from "../helpers/ai-seed";
import { call, json } from "../helpers/http";
import { callTool, connectMcp, textOf } from "../helpers/mcp";
import { createKey, createTenantWithKey, type TestTenant } from "../helpers/tenancy";

let tenant: TestTenant;
let instanceId: string;
let mcp: Client;

beforeAll(async () => {
  tenant = await createTenantWithKey();
  ({ instanceId } = await seedWebProject(tenant.id));
  mcp = await connectMcp(tenant.key);
});

afterAll(async () => {
  await mcp?.close();
});

async function rest(method: string, path: string, body?: unknown) {
  const res = await call(method, path, { token: tenant.key, body });
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}

describe("MCP AI tools answer as the REST endpoints do", () => {
  it("summarize_issue", async () => {
    const tool = await callTool(mcp, "summarize_issue", { key: "WEB-1" });
    expect(tool.isError).toBeFalsy();
    const viaRest = await rest("POST", "/v1/ai/issues/WEB-1/summary", { instanceId });
    expect(tool.structuredContent).toEqual(viaRest);
  });

  it("triage_issue, for a synced issue and for a draft", async () => {
    const tool = await callTool(mcp, "triage_issue", { key: "WEB-3", instanceId });
    expect(tool.structuredContent).toEqual(
      await rest("POST", "/v1/ai/issues/WEB-3/triage", { instanceId }),
    );
    const draft = { projectKey: "WEB", summary: "Safari login page is blank" };
    const toolDraft = await callTool(mcp, "triage_issue", draft);
    expect(toolDraft.structuredContent).toEqual(
      await rest("POST", "/v1/ai/triage", { instanceId, ...draft }),
    );
    expect(JSON.stringify(toolDraft.structuredContent)).toContain(ANA.accountId);
    const neither = await callTool(mcp, "triage_issue", { instanceId });
    expect(neither.isError).toBe(true);
  });

  it("find_similar_issues", async () => {
    const tool = await callTool(mcp, "find_similar_issues", { key: "WEB-1", limit: 3 });
    expect(tool.structuredContent).toEqual(
      await rest("GET", `/v1/ai/issues/WEB-1/similar?instanceId=${instanceId}&limit=3`),
    );
  });

  it("ask, and its unsupported questions", async () => {
    const question = "How many issues by type?";
    const tool = await callTool(mcp, "ask", { question });
    expect(tool.structuredContent).toEqual(
      await rest("POST", "/v1/ai/ask", { instanceId, question }),
    );
    const refused = await callTool(mcp, "ask", { question: "Why is the sky blue?" });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/did not understand|Start with/);
  });

  it("needs the ai scope and stays inside the tenant", async () => {
    const noAi = await createKey(tenant.id, ["read"]);
    const limited = await connectMcp(noAi.key);
    const refused = await callTool(limited, "summarize_issue", { key: "WEB-1", instanceId });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('"ai" scope');
    await limited.close();

    const other = await createTenantWithKey();
    const theirs = await connectMcp(other.key);
    const hidden = await callTool(theirs, "summarize_issue", { key: "WEB-1", instanceId });
    expect(hidden.isError).toBe(true);
    expect(textOf(hidden)).toMatch(/Not found/);
    await theirs.close();
  });
});
