import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { triageDraft } from "../../../../application/ai/triage";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { security } from "../shared";
import { aiCallerOf, aiDepsOf, aiRateLimit } from "./context";
import { answerOf, TriageDraftBody, TriageResult } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/ai/triage",
  operationId: "triageDraft",
  tags: ["AI"],
  summary: "Suggest triage for an issue not yet in Jira (a draft)",
  security,
  middleware: [requireScope("ai"), aiRateLimit] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: TriageDraftBody } } },
  },
  responses: {
    200: jsonContent(answerOf(TriageResult, "AiTriageDraftAnswer"), "The suggestions"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    429: errorResponses[429],
    503: errorResponses[503],
  },
});

export function registerTriageDraft(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const answer = await triageDraft(aiDepsOf(c.var.services), {
      ...aiCallerOf(c),
      ...body,
      projectKey: body.projectKey.toUpperCase(),
    });
    return c.json(answer, 200);
  });
}
