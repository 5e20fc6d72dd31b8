import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listChangelog } from "../../../../application/issues/list-changelog";
import type { AppEnv } from "../../app-env";
import { readAccess } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { PageQuery, pageOf, security } from "../shared";
import { InstanceQuery, IssueKeyParams, UserRefSchema } from "./params";

export const ChangelogEntrySchema = z
  .object({
    id: z.uuid(),
    jiraId: z.string(),
    author: UserRefSchema.nullable(),
    created: z.iso.datetime(),
    items: z.array(z.unknown()).openapi({
      description:
        "Jira's `{field, fieldId, from, fromString, to, toString}` changes, made together",
    }),
  })
  .openapi("ChangelogEntry");

const route = createRoute({
  method: "get",
  path: "/v1/issues/{key}/changelog",
  operationId: "listIssueChangelog",
  tags: ["Issues"],
  summary: "An issue's change history, oldest first",
  security,
  request: { params: IssueKeyParams, query: PageQuery.extend(InstanceQuery.shape) },
  responses: {
    200: jsonContent(pageOf(ChangelogEntrySchema, "ChangelogPage"), "A page of change histories"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerListChangelog(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, instanceId } = c.req.valid("query");
    const page = await listChangelog(c.var.services, {
      access: readAccess(c, "read"),
      instanceId,
      key: c.req.valid("param").key,
      limit,
      cursor,
    });
    return c.json(page, 200);
  });
}
