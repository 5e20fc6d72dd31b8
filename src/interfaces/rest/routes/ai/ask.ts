import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ask } from "../../../../application/ai/ask";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { security } from "../shared";
import { aiCallerOf, aiDepsOf, aiRateLimit } from "./context";
import { AskBody, AskResult, answerOf } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/ai/ask",
  operationId: "askQuestion",
  tags: ["AI"],
  summary: "Ask a question in plain language; answered with SQL over your data",
  description:
    "The SQL runs through the same read-only, tenant-bound path as POST /v1/sql. The built-in " +
    "provider answers the question shapes documented in the README and answers 422 " +
    "`unsupported_question` otherwise; LLM providers write the SQL themselves.",
  security,
  middleware: [requireScope("ai"), aiRateLimit] as const,
  request: { body: { required: true, content: { "application/json": { schema: AskBody } } } },
  responses: {
    200: jsonContent(answerOf(AskResult, "AiAskAnswer"), "The answer, the SQL and its rows"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    422: errorResponses[422],
    429: errorResponses[429],
    503: errorResponses[503],
  },
});

export function registerAsk(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const answer = await ask(aiDepsOf(c.var.services), {
      ...aiCallerOf(c),
      ...c.req.valid("json"),
    });
    return c.json(answer, 200);
  });
}
