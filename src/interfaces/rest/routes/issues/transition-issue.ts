import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { jsonContent } from "../../openapi";
import { security } from "../shared";
import { IssueSchema } from "./get-issue";
import { IssueKeyParams } from "./params";
import { IdempotencyHeaders, respondToWrite, writeErrorResponses } from "./write-support";

const route = createRoute({
  method: "post",
  path: "/v1/issues/{key}/transitions",
  operationId: "transitionIssue",
  tags: ["Issues"],
  summary: "Move an issue through its workflow (transition id, transition name or target status)",
  security,
  middleware: [requireScope("write")] as const,
  request: {
    params: IssueKeyParams,
    headers: IdempotencyHeaders,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              instanceId: z.uuid(),
              transition: z.string().trim().min(1).max(200).openapi({ example: "In Progress" }),
            })
            .openapi("TransitionIssue"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(IssueSchema, "Transitioned in Jira and stored"),
    ...writeErrorResponses,
  },
});

export function registerTransitionIssue(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    return respondToWrite(c, {
      instanceId: body.instanceId,
      write: { type: "transition", key: c.req.valid("param").key, transition: body.transition },
      successStatus: 200,
      body,
    }) as never;
  });
}
