import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AdfDocument } from "../../../../domain/adf";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { jsonContent } from "../../openapi";
import { security } from "../shared";
import { IssueSchema } from "./get-issue";
import { IdempotencyHeaders, RichText, respondToWrite, writeErrorResponses } from "./write-support";

const route = createRoute({
  method: "post",
  path: "/v1/issues",
  operationId: "createIssue",
  tags: ["Issues"],
  summary: "Create an issue in Jira (then stored, so it can be read at once)",
  security,
  middleware: [requireScope("write")] as const,
  request: {
    headers: IdempotencyHeaders,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              instanceId: z.uuid(),
              projectKey: z.string().min(1).max(100).openapi({ example: "PROJ" }),
              issueType: z.string().min(1).max(200).openapi({ example: "Task" }),
              summary: z.string().trim().min(1).max(255),
              description: RichText.optional(),
              fields: z.record(z.string(), z.unknown()).optional().openapi({
                description: "More field values by id, e.g. labels, customfield_10010",
              }),
            })
            .openapi("CreateIssue"),
        },
      },
    },
  },
  responses: {
    201: jsonContent(IssueSchema, "Created in Jira and stored"),
    ...writeErrorResponses,
  },
});

export function registerCreateIssue(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { instanceId, description, ...issue } = body;
    return respondToWrite(c, {
      instanceId,
      write: { type: "create", ...issue, description: description as AdfDocument | string },
      successStatus: 201,
      body,
    }) as never;
  });
}
