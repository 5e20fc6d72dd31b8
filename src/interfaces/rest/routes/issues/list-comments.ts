import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listComments } from "../../../../application/issues/list-comments";
import type { AppEnv } from "../../app-env";
import { readAccess } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { PageQuery, pageOf, security } from "../shared";
import { InstanceQuery, IssueKeyParams, UserRefSchema } from "./params";

export const CommentSchema = z
  .object({
    id: z.uuid(),
    jiraId: z.string(),
    author: UserRefSchema.nullable(),
    body: z.unknown().openapi({ description: "Atlassian Document Format" }),
    bodyText: z.string(),
    created: z.iso.datetime(),
    updated: z.iso.datetime(),
  })
  .openapi("Comment");

const route = createRoute({
  method: "get",
  path: "/v1/issues/{key}/comments",
  operationId: "listIssueComments",
  tags: ["Issues"],
  summary: "An issue's comments, oldest first",
  security,
  request: { params: IssueKeyParams, query: PageQuery.extend(InstanceQuery.shape) },
  responses: {
    200: jsonContent(pageOf(CommentSchema, "CommentPage"), "A page of comments"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerListComments(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, instanceId } = c.req.valid("query");
    const page = await listComments(c.var.services, {
      access: readAccess(c, "read"),
      instanceId,
      key: c.req.valid("param").key,
      limit,
      cursor,
    });
    return c.json(page, 200);
  });
}
