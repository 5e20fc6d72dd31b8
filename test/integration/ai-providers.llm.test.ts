import { beforeAll, describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { recordedRequests, scriptAnswers, uniqueApiKey } from "../helpers/ai-fakes";
import { ANA, BRUNO, seedWebProject } from "../helpers/ai-seed";
import { testEnv } from "../helpers/env";
import { call, json } from "../helpers/http";
import { createTenantWithKey, type TestTenant } from "../helpers/tenancy";

/** Personal data and secrets planted in an issue; none may reach a provider. */
const PLANTED = {
  email: "ana.silva@example.com",
  phone: "+49 30 1234 5678",
  atlassianToken: "ATATT3xFfGF0T4nZ9Qk2LmXvB7pRsecretvalue",
  dsKey: "ds_live_9f8e7d6c5b4a392817060504",
  awsKey: "AKIAIOSFODNN7EXAMPLE",
  urlCredentials: "deploy:hunter2pass",
  bearer: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl",
  anaAccount: ANA.accountId,
  brunoAccount: BRUNO.accountId,
  anaName: ANA.displayName,
  brunoName: BRUNO.displayName,
};

const PII_DESCRIPTION = [
  `Reported by ${PLANTED.anaName} (${PLANTED.email}, phone ${PLANTED.phone}).`,
  `The deploy job logs its token ${PLANTED.atlassianToken} and our key ${PLANTED.dsKey}.`,
  `It also prints AWS key ${PLANTED.awsKey} and clones https://${PLANTED.urlCredentials}@git.example.com/app.git.`,
  `Header seen: Authorization: Bearer ${PLANTED.bearer}`,
  `Assigned by account ${PLANTED.brunoAccount}; escalate to ${PLANTED.brunoName}?`,
].join("\n");

let tenant: TestTenant;
let instanceId: string;

beforeAll(async () => {
  tenant = await createTenantWithKey();
  ({ instanceId } = await seedWebProject(tenant.id));
  await adminQuery(
    `insert into issues (tenant_id, instance_id, jira_id, key, project_key, summary, description_text,
       issue_type, priority, assignee_account_id, reporter_account_id, created, updated, jira_updated, raw)
     values ($1, $2, '2001', 'WEB-8', 'WEB', 'Deploy job leaks credentials', $3, 'Bug', 'High', $4, $5,
       now(), now(), now(), '{}')`,
    [tenant.id, instanceId, PII_DESCRIPTION, ANA.accountId, BRUNO.accountId],
  );
  await adminQuery(
    `insert into comments (tenant_id, instance_id, issue_id, jira_id, author_account_id, body_text, created, updated, raw)
     select tenant_id, instance_id, id, 'c-pii', $3, $4, now(), now(), '{}'
     from issues where tenant_id = $1 and instance_id = $2 and key = 'WEB-8'`,
    [
      tenant.id,
      instanceId,
      BRUNO.accountId,
      `@${PLANTED.anaName} please rotate it, mail me at ${PLANTED.email} or call (555) 010-9999.`,
    ],
  );
});

type Vendor = "openai" | "anthropic";

async function useProvider(type: Vendor): Promise<string> {
  const apiKey = uniqueApiKey();
  const baseUrl = `${testEnv.AI_FAKE_URL}/${type === "openai" ? "openai/v1" : "anthropic"}`;
  const res = await call("PUT", "/v1/ai/provider", {
    token: tenant.key,
    body: { type, baseUrl, apiKey, model: `${type}-test-model` },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return apiKey;
}

function expectNothingPlanted(bodies: string[]): void {
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) {
    for (const [what, value] of Object.entries(PLANTED)) {
      expect(body.includes(value), `${what} leaked`).toBe(false);
      // JSON escaping must not hide a leak either.
      expect(body.includes(JSON.stringify(value).slice(1, -1)), `${what} leaked`).toBe(false);
    }
  }
}

const summary = () =>
  call("POST", "/v1/ai/issues/WEB-8/summary", { token: tenant.key, body: { instanceId } });

describe.each<Vendor>(["openai", "anthropic"])("%s provider", (vendor) => {
  it("redacts every outbound text and maps placeholders back in the answer", async () => {
    const apiKey = await useProvider(vendor);
    await scriptAnswers(apiKey, [
      {
        text: 'Here: {"summary": "PERSON_1 and PERSON_2 discuss leaked [API_KEY] values.", "keyPoints": ["PERSON_2 asked PERSON_1 to rotate"], "openQuestions": ["Escalate to PERSON_2?"]}',
      },
    ]);
    const res = await summary();
    expect(res.status, await res.clone().text()).toBe(200);
    const answer = await json<{ provider: string; model: string; result: Record<string, unknown> }>(
      res,
    );
    expect(answer.provider).toBe(vendor);
    expect(answer.model).toBe(`${vendor}-test-model`);
    const text = JSON.stringify(answer.result);
    expect(text).toContain(ANA.displayName);
    expect(text).toContain(BRUNO.displayName);
    expect(text).not.toContain("PERSON_");

    const sent = await recordedRequests(apiKey);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe(
      vendor === "openai" ? "/openai/v1/chat/completions" : "/anthropic/v1/messages",
    );
    expectNothingPlanted(sent.map((r) => r.body));
    const body = sent[0]?.body ?? "";
    for (const marker of [
      "PERSON_",
      "[EMAIL]",
      "[PHONE]",
      "[ATLASSIAN_TOKEN]",
      "[API_KEY]",
      "[AWS_KEY]",
      "[CREDENTIALS]",
      "Bearer [TOKEN]",
    ]) {
      expect(body, marker).toContain(marker);
    }
  });

  it("triages with the model, mapping the assignee placeholder to an account id", async () => {
    const apiKey = await useProvider(vendor);
    await scriptAnswers(apiKey, [
      {
        text: '{"type": {"value": "Bug", "confidence": 0.9, "reason": "crash"}, "priority": {"value": "Blocker"}, "assignee": {"value": "PERSON_1", "confidence": 0.7}, "labels": [{"value": "frontend", "confidence": 0.6}], "components": []}',
      },
    ]);
    const res = await call("POST", "/v1/ai/issues/WEB-8/triage", {
      token: tenant.key,
      body: { instanceId },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { result } = await json<{
      result: Record<string, { value: string | null; confidence: number }>;
    }>(res);
    expect(result.type).toMatchObject({ value: "Bug", confidence: 0.9 });
    // "Blocker" is no priority this site uses: refused rather than invented.
    expect(result.priority?.value).toBeNull();
    expect([ANA.accountId, BRUNO.accountId]).toContain(result.assignee?.value);
    expectNothingPlanted((await recordedRequests(apiKey)).map((r) => r.body));
  });

  it("retries 429 and 5xx with backoff, then answers", async () => {
    const apiKey = await useProvider(vendor);
    await scriptAnswers(apiKey, [{ status: 500 }, { status: 429 }, {}]);
    const res = await summary();
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await recordedRequests(apiKey)).toHaveLength(3);
  });

  it("answers 503 upstream_unavailable when the provider stays down, well under 30 s", async () => {
    const apiKey = await useProvider(vendor);
    await scriptAnswers(apiKey, [
      { status: 503 },
      { status: 502 },
      { status: 500 },
      { status: 500 },
    ]);
    const started = Date.now();
    const res = await summary();
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = await json<{ code: string; detail: string }>(res);
    expect(problem.code).toBe("upstream_unavailable");
    expect(problem.detail).not.toContain("scripted failure");
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await recordedRequests(apiKey)).toHaveLength(3);
    const audit = await adminQuery<{
      outcome: string;
      status: number;
      details: Record<string, unknown>;
    }>(
      `select outcome, status, details from audit_log where tenant_id = $1 and action = 'ai.summary'
       order by created_at desc limit 1`,
      [tenant.id],
    );
    expect(audit[0]).toMatchObject({
      outcome: "failure",
      status: 503,
      details: { provider: vendor },
    });
  });

  it("does not retry a refused key (401) and reports it as unavailable", async () => {
    const apiKey = await useProvider(vendor);
    await scriptAnswers(apiKey, [{ status: 401, body: { error: { message: "bad key" } } }]);
    const res = await summary();
    expect(res.status).toBe(503);
    expect(await recordedRequests(apiKey)).toHaveLength(1);
  });
});

describe("ask with an LLM provider", () => {
  it("runs the model's SQL through the reader path, feeding errors back at most twice", async () => {
    const apiKey = await useProvider("openai");
    const good = `select count(*) as n from v_issues where instance_id = '${instanceId}' and assignee_name = 'PERSON_1'`;
    await scriptAnswers(apiKey, [
      { text: '{"sql": "select nonexistent_column from v_issues", "answer": "x"}' },
      { text: JSON.stringify({ sql: good, answer: "PERSON_1 has these issues." }) },
    ]);
    const res = await call("POST", "/v1/ai/ask", {
      token: tenant.key,
      body: {
        instanceId,
        question: `How many issues does ${ANA.displayName} have? Mail ${PLANTED.email}`,
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { provider, result } = await json<{
      provider: string;
      result: { answer: string; sql: string; rows: unknown[][]; columns: { name: string }[] };
    }>(res);
    expect(provider).toBe("openai");
    expect(result.columns.map((c) => c.name)).toEqual(["n"]);
    expect(result.sql).not.toContain("PERSON_");
    expect(result.answer).not.toContain("PERSON_");
    // Placeholders follow the names' order: PERSON_1 is Ana, assignee of WEB-1, 2, 5 and 8.
    expect(result.rows).toEqual([["4"]]);
    expect(result.sql).toContain("'Ana Silva'");
    expect(result.answer).toBe("Ana Silva has these issues.");
    const sent = await recordedRequests(apiKey);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toContain("nonexistent_column");
    expect(sent[0]?.body).toContain("v_issues");
    expectNothingPlanted(sent.map((r) => r.body));
  });

  it("gives up after three failing queries with 422 unsupported_question", async () => {
    const apiKey = await useProvider("anthropic");
    const bad = { text: '{"sql": "delete from issues"}' };
    await scriptAnswers(apiKey, [bad, bad, bad, bad]);
    const res = await call("POST", "/v1/ai/ask", {
      token: tenant.key,
      body: { instanceId, question: "Remove everything" },
    });
    expect(res.status).toBe(422);
    expect((await json<{ code: string }>(res)).code).toBe("unsupported_question");
    expect(await recordedRequests(apiKey)).toHaveLength(3);
    const [{ n }] = (await adminQuery<{ n: string }>(
      "select count(*)::text as n from issues where tenant_id = $1",
      [tenant.id],
    )) as [{ n: string }];
    expect(n).toBe("8");
  });

  it("audits tokens in and out, never the text", async () => {
    const audit = await adminQuery<{ details: Record<string, unknown> }>(
      `select details from audit_log where tenant_id = $1 and action = 'ai.ask' and outcome = 'success'`,
      [tenant.id],
    );
    expect(audit[0]?.details).toMatchObject({
      provider: "openai",
      tokensIn: 240,
      tokensOut: 60,
      calls: 2,
    });
    expect(JSON.stringify(audit)).not.toContain(ANA.displayName);
  });
});

describe("workers-ai provider (stand-in binding with the run() contract)", () => {
  it("summarises through env.AI.run with redacted messages", async () => {
    const put = await call("PUT", "/v1/ai/provider", {
      token: tenant.key,
      body: { type: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct" },
    });
    expect(put.status).toBe(200);
    const before = (await recordedRequests("workers-ai")).length;
    await scriptAnswers("workers-ai", [
      { text: '{"summary": "PERSON_2 leaked keys", "keyPoints": [], "openQuestions": []}' },
    ]);
    const res = await summary();
    expect(res.status, await res.clone().text()).toBe(200);
    const answer = await json<{ provider: string; model: string; result: { summary: string } }>(
      res,
    );
    expect(answer).toMatchObject({
      provider: "workers-ai",
      model: "@cf/meta/llama-3.1-8b-instruct",
    });
    expect(answer.result.summary).toBe("Bruno Okafor leaked keys");
    const sent = (await recordedRequests("workers-ai")).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe("/workers-ai/run/@cf/meta/llama-3.1-8b-instruct");
    expect(JSON.parse(sent[0]?.body ?? "{}")).toMatchObject({ max_tokens: 600 });
    expectNothingPlanted(sent.map((r) => r.body));
  });
});
