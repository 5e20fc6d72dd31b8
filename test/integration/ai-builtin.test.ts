import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";
import { createLogger } from "../../src/infrastructure/observability/logger";
import { createServices } from "../../src/infrastructure/services";
import { createApp } from "../../src/interfaces/rest/app";
import { adminQuery } from "../helpers/admin-db";
import { ANA, BRUNO, seedWebProject } from "../helpers/ai-seed";
import { testEnv } from "../helpers/env";
import { call, json } from "../helpers/http";
import { createKey, createTenantWithKey, type TestTenant } from "../helpers/tenancy";

interface Suggestion {
  value: string | null;
  confidence: number;
  evidence: string[];
}
interface Answer<T> {
  provider: string;
  model: string;
  result: T;
}
interface Triage {
  type: Suggestion;
  priority: Suggestion;
  labels: Suggestion[];
  components: Suggestion[];
  assignee: Suggestion;
}
interface Ask {
  answer: string;
  sql: string;
  columns: { name: string }[];
  rows: unknown[][];
}

let tenant: TestTenant;
let instanceId: string;

beforeAll(async () => {
  tenant = await createTenantWithKey();
  ({ instanceId } = await seedWebProject(tenant.id));
});

const post = (path: string, body: unknown, token = tenant.key) =>
  call("POST", path, { token, body });

async function ok<T>(res: Response): Promise<Answer<T>> {
  expect(res.status, await res.clone().text()).toBe(200);
  return json<Answer<T>>(res);
}

describe("built-in AI provider (no network)", () => {
  it("summarises an issue extractively, with the thread's unanswered questions", async () => {
    const answer = await ok<{ summary: string; keyPoints: string[]; openQuestions: string[] }>(
      await post("/v1/ai/issues/WEB-1/summary", { instanceId }),
    );
    expect(answer.provider).toBe("builtin");
    expect(answer.result.summary).toMatch(/^Login button does not respond on Safari: /);
    expect(answer.result.keyPoints.length).toBeGreaterThan(1);
    expect(answer.result.keyPoints.join(" ")).toContain("CSP");
    // Ana answered Bruno's first question; his second one has no reply yet.
    expect(answer.result.openQuestions).toEqual(["Should we ship the fix in 2.1 or wait for 2.2?"]);
  });

  it("triages a draft from the project's history, with evidence", async () => {
    const answer = await ok<Triage>(
      await post("/v1/ai/triage", {
        instanceId,
        projectKey: "web",
        summary: "Safari shows a blank login page",
        description: "The login UI does not load in Safari.",
      }),
    );
    const { result } = answer;
    expect(result.type.value).toBe("Bug");
    expect(result.priority.value).toBe("High");
    expect(result.assignee.value).toBe(ANA.accountId);
    expect(result.components.map((c) => c.value)).toContain("UI");
    expect(result.labels.map((l) => l.value)).toContain("frontend");
    expect(result.type.confidence).toBeGreaterThan(0.5);
    expect(result.type.confidence).toBeLessThanOrEqual(1);
    expect(result.type.evidence.some((k) => ["WEB-1", "WEB-2", "WEB-5"].includes(k))).toBe(true);
  });

  it("triages a synced issue without using the issue itself as evidence", async () => {
    const answer = await ok<Triage>(await post("/v1/ai/issues/WEB-4/triage", { instanceId }));
    expect(answer.result.type.value).toBe("Task");
    expect(answer.result.assignee.value).toBe(BRUNO.accountId);
    const evidence = [
      ...answer.result.type.evidence,
      ...answer.result.components.flatMap((c) => c.evidence),
    ];
    expect(evidence).not.toContain("WEB-4");
  });

  it("finds similar issues, likely duplicates first, never the issue itself", async () => {
    const res = await call("GET", `/v1/ai/issues/WEB-1/similar?instanceId=${instanceId}&limit=5`, {
      token: tenant.key,
    });
    const answer =
      await ok<{ key: string; score: number; reason: string; likelyDuplicate: boolean }[]>(res);
    const keys = answer.result.map((r) => r.key);
    expect(keys[0]).toBe("WEB-2");
    expect(answer.result[0]?.likelyDuplicate).toBe(true);
    expect(answer.result[0]?.reason).toMatch(/duplicate/);
    expect(keys).not.toContain("WEB-1");
    // A Safari bug ranks above the dark-mode story (which shares only the word "user").
    expect(keys.indexOf("WEB-5")).toBeGreaterThan(0);
    if (keys.includes("WEB-7")) {
      expect(keys.indexOf("WEB-7")).toBeGreaterThan(keys.indexOf("WEB-5"));
    }
    for (const r of answer.result) {
      expect(r.score).toBeGreaterThan(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
  });

  it("answers the documented question shapes with SQL it ran", async () => {
    const ask = async (question: string) =>
      (await ok<Ask>(await post("/v1/ai/ask", { instanceId, question }))).result;

    const bugs = await ask("How many bugs in project WEB?");
    expect(bugs.rows).toEqual([["3"]]);
    expect(bugs.sql).toContain("v_issues");
    expect(bugs.answer).toContain("3");

    const byAssignee = await ask("How many issues by assignee?");
    expect(byAssignee.rows).toEqual([
      ["Ana Silva", "3"],
      ["Bruno Okafor", "3"],
      ["Unassigned", "1"],
    ]);

    const open = await ask("List open bugs assigned to Ana Silva");
    expect(open.rows.map((r) => r[0]).sort()).toEqual(["WEB-2", "WEB-5"]);

    const highUi = await ask(
      "how many high priority issues in component UI created in the last 30 days?",
    );
    expect(highUi.rows).toEqual([["3"]]);

    const lead = await ask("What is the average lead time for tasks?");
    expect(lead.columns.map((c) => c.name)).toEqual(["issues", "avg_days", "median_days"]);
    expect(lead.rows).toEqual([["1", "10.0", "10.0"]]);
  });

  it("says plainly what it cannot answer (422 unsupported_question)", async () => {
    for (const question of ["What is the meaning of life?", "How many issues mention bananas?"]) {
      const res = await post("/v1/ai/ask", { instanceId, question });
      expect(res.status, question).toBe(422);
      const problem = await json<{ code: string; detail: string }>(res);
      expect(problem.code).toBe("unsupported_question");
      expect(problem.detail.length).toBeGreaterThan(10);
    }
  });

  it("keeps tenants apart, checks scopes and audits every call without text", async () => {
    const other = await createTenantWithKey();
    const theirs = await post("/v1/ai/issues/WEB-1/summary", { instanceId }, other.key);
    expect(theirs.status).toBe(404);
    const similar = await call("GET", `/v1/ai/issues/WEB-1/similar?instanceId=${instanceId}`, {
      token: other.key,
    });
    expect(similar.status).toBe(404);
    const draft = await post(
      "/v1/ai/triage",
      { instanceId, projectKey: "WEB", summary: "x" },
      other.key,
    );
    expect(draft.status).toBe(404);
    const asked = await post("/v1/ai/ask", { instanceId, question: "How many issues?" }, other.key);
    expect(asked.status).toBe(404);

    const noAi = await createKey(tenant.id, ["read", "write", "sql"]);
    expect((await post("/v1/ai/issues/WEB-1/summary", { instanceId }, noAi.key)).status).toBe(403);
    expect((await post("/v1/ai/ask", { instanceId, question: "\u0000" })).status).toBe(400);

    const audit = await adminQuery<{
      action: string;
      outcome: string;
      details: Record<string, unknown>;
    }>(
      "select action, outcome, details from audit_log where tenant_id = $1 and action like 'ai.%'",
      [tenant.id],
    );
    expect(audit.length).toBeGreaterThanOrEqual(5);
    const summary = audit.find((a) => a.action === "ai.summary");
    expect(summary?.details).toMatchObject({ provider: "builtin", model: "builtin", tokensIn: 0 });
    expect(audit.some((a) => a.action === "ai.ask" && a.outcome === "failure")).toBe(true);
    const text = JSON.stringify(audit);
    expect(text).not.toContain("Safari");
    expect(text).not.toContain("meaning of life");
  });

  it("limits AI calls per tenant with 429 and Retry-After", async () => {
    const app = createApp({
      makeServices: (env) =>
        createServices(
          { ...loadConfig(env), aiRateLimitPerMinute: 2 },
          createLogger({}, () => {}),
          env,
        ),
    });
    const limited = await createTenantWithKey();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      const ctx = createExecutionContext();
      last = await app.fetch(
        new Request("http://ds.test/v1/ai/ask", {
          method: "POST",
          headers: { authorization: `Bearer ${limited.key}`, "content-type": "application/json" },
          body: JSON.stringify({ instanceId, question: "How many issues?" }),
        }),
        testEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(last.status);
    }
    // Not this tenant's instance (404) — but the third call never gets that far.
    expect(statuses).toEqual([404, 404, 429]);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
