import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { jsonContent } from "../../openapi";
import { security } from "../shared";
import { IssueSchema } from "./get-issue";
import { IssueKeyParams } from "./params";
import { IdempotencyHeaders, respondToWrite, writeErrorResponses } from "./write-support";

const route = createRoute({
  method: "patch",
  path: "/v1/issues/{key}",
  operationId: "editIssue",
  tags: ["Issues"],
  summary: "Edit an issue's fields in Jira (then stored)",
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
              fields: z
                .record(z.string(), z.unknown())
                .refine((f) => Object.keys(f).length > 0, "at least one field")
                .openapi({ example: { summary: "New title", labels: ["backend"] } }),
              update: z.record(z.string(), z.array(z.unknown())).optional().openapi({
                description: 'Jira\'s update operations, e.g. {labels: [{add: "x"}]}',
              }),
            })
            .openapi("EditIssue"),
        },
      },
    },
  },
  responses: {
    200: jsonContent(IssueSchema, "Edited in Jira and stored"),
    ...writeErrorResponses,
  },
});

export function registerEditIssue(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    return respondToWrite(c, {
      instanceId: body.instanceId,
      write: {
        type: "edit",
        key: c.req.valid("param").key,
        fields: body.fields,
        update: body.update,
      },
      successStatus: 200,
      body,
    }) as never;
  });
}
