import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { findSimilarIssues } from "../../../../application/ai/similar-issues";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { InstanceQuery, IssueKeyParams } from "../issues/params";
import { security } from "../shared";
import { aiCallerOf, aiDepsOf, aiRateLimit } from "./context";
import { answerOf, SimilarResult } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/ai/issues/{key}/similar",
  operationId: "findSimilarIssues",
  tags: ["AI"],
  summary: "Issues like this one, likely duplicates first (never the issue itself)",
  description:
    "Computed in Postgres whatever the provider: trigram similarity of summaries (pg_trgm) and " +
    "full-text match over summary, description and comments.",
  security,
  middleware: [requireScope("ai"), aiRateLimit] as const,
  request: {
    params: IssueKeyParams,
    query: InstanceQuery.extend({
      limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ example: 10 }),
    }),
  },
  responses: {
    200: jsonContent(answerOf(SimilarResult, "AiSimilarAnswer"), "Similar issues, best first"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
    429: errorResponses[429],
  },
});

export function registerSimilarIssues(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { instanceId, limit } = c.req.valid("query");
    const answer = await findSimilarIssues(aiDepsOf(c.var.services), {
      ...aiCallerOf(c),
      instanceId,
      limit,
      key: c.req.valid("param").key,
    });
    return c.json(answer, 200);
  });
}
