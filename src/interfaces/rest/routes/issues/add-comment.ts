import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AdfDocument } from "../../../../domain/adf";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { jsonContent } from "../../openapi";
import { security } from "../shared";
import { IssueSchema } from "./get-issue";
import { IssueKeyParams } from "./params";
import { IdempotencyHeaders, RichText, respondToWrite, writeErrorResponses } from "./write-support";

const route = createRoute({
  method: "post",
  path: "/v1/issues/{key}/comments",
  operationId: "addComment",
  tags: ["Issues"],
  summary: "Comment on an issue in Jira (plain text is turned into ADF)",
  security,
  middleware: [requireScope("write")] as const,
  request: {
    params: IssueKeyParams,
    headers: IdempotencyHeaders,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ instanceId: z.uuid(), body: RichText }).openapi("AddComment"),
        },
      },
    },
  },
  responses: {
    201: jsonContent(IssueSchema, "Commented in Jira; the stored issue with its new comment count"),
    ...writeErrorResponses,
  },
});

export function registerAddComment(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    return respondToWrite(c, {
      instanceId: body.instanceId,
      write: {
        type: "comment",
        key: c.req.valid("param").key,
        body: body.body as AdfDocument | string,
      },
      successStatus: 201,
      body,
    }) as never;
  });
}
