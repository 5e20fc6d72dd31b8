import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { triageIssue } from "../../../../application/ai/triage";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { IssueKeyParams } from "../issues/params";
import { security } from "../shared";
import { aiCallerOf, aiDepsOf, aiRateLimit } from "./context";
import { answerOf, IssueAiBody, TriageResult } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/ai/issues/{key}/triage",
  operationId: "triageIssue",
  tags: ["AI"],
  summary: "Suggest type, priority, labels, components and assignee for an issue",
  description:
    "The built-in provider learns from the site's other synced issues (naive Bayes and nearest " +
    "neighbours); evidence lists the issues a suggestion relied on.",
  security,
  middleware: [requireScope("ai"), aiRateLimit] as const,
  request: {
    params: IssueKeyParams,
    body: { required: true, content: { "application/json": { schema: IssueAiBody } } },
  },
  responses: {
    200: jsonContent(answerOf(TriageResult, "AiTriageAnswer"), "The suggestions"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    429: errorResponses[429],
    503: errorResponses[503],
  },
});

export function registerTriageIssue(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const answer = await triageIssue(aiDepsOf(c.var.services), {
      ...aiCallerOf(c),
      instanceId: c.req.valid("json").instanceId,
      key: c.req.valid("param").key,
    });
    return c.json(answer, 200);
  });
}
