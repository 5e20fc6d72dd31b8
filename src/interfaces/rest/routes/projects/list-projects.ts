import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listProjects } from "../../../../application/issues/list-projects";
import type { AppEnv } from "../../app-env";
import { readAccess } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { PageQuery, pageOf, security } from "../shared";

const ProjectSchema = z
  .object({
    id: z.uuid(),
    instanceId: z.uuid(),
    jiraId: z.string(),
    key: z.string().openapi({ example: "PROJ" }),
    name: z.string(),
    projectType: z.string().nullable(),
    leadAccountId: z.string().nullable(),
  })
  .openapi("Project");

const route = createRoute({
  method: "get",
  path: "/v1/projects",
  operationId: "listProjects",
  tags: ["Projects"],
  summary: "The synced Jira projects, by key",
  security,
  request: {
    query: PageQuery.extend({
      instanceId: z.uuid().optional().openapi({ description: "One instance; default all" }),
    }),
  },
  responses: {
    200: jsonContent(pageOf(ProjectSchema, "ProjectPage"), "A page of projects"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export function registerListProjects(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const page = await listProjects(c.var.services, {
      access: readAccess(c, "read"),
      ...c.req.valid("query"),
    });
    return c.json(page, 200);
  });
}
