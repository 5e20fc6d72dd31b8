import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listIssues } from "../../../../application/issues/list-issues";
import { searchJql } from "../../../../application/issues/search-jql";
import { invalid } from "../../../../domain/errors";
import { parseIssueQuery } from "../../../../domain/issue-query";
import type { AppEnv } from "../../app-env";
import { authorizedCaller, readAccess } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { PageQuery, pageOf, security } from "../shared";
import { UserRefSchema } from "./params";

export const IssueSummarySchema = z
  .object({
    id: z.uuid(),
    instanceId: z.uuid(),
    jiraId: z.string(),
    key: z.string().openapi({ example: "PROJ-123" }),
    projectKey: z.string(),
    summary: z.string(),
    status: z.string().nullable(),
    statusCategory: z
      .string()
      .nullable()
      .openapi({ description: "new | indeterminate | done", example: "indeterminate" }),
    type: z.string().nullable(),
    priority: z.string().nullable(),
    assignee: UserRefSchema.nullable(),
    reporter: UserRefSchema.nullable(),
    labels: z.array(z.string()),
    components: z.array(z.string()),
    fixVersions: z.array(z.string()),
    parentKey: z.string().nullable(),
    created: z.iso.datetime(),
    updated: z.iso.datetime(),
    resolved: z.iso.datetime().nullable(),
    customFields: z.record(z.string(), z.unknown()),
    commentsCount: z.number().int(),
    changelogCount: z.number().int(),
  })
  .openapi("IssueSummary");

/** A filter that takes several values: repeat the parameter or separate values by commas. */
const many = (description: string, example: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: `${description} Repeat it or give a comma list (any of).`, example });
const bound = (description: string) =>
  z
    .string()
    .optional()
    .openapi({
      description: `${description}: an ISO-8601 date (a whole day) or date-time with a zone.`,
      example: "2025-01-31",
    });

const IssueQuery = PageQuery.extend({
  instanceId: many("Only these Jira instances (ids).", "9b2f0c1e-8f55-4a43-9d5d-0b8a3c1f2e44"),
  project: many("Project keys.", "PROJ,OPS"),
  status: many("Status names.", "In Progress"),
  statusCategory: many("Status categories: new, indeterminate, done.", "indeterminate"),
  type: many("Issue type names.", "Bug"),
  priority: many("Priority names.", "High"),
  assignee: many("Assignee account ids.", "5b10ac8d82e05b22cc7d4ef5"),
  label: many("Labels (an issue with any of them).", "backend"),
  updatedFrom: bound("Updated at or after"),
  updatedTo: bound("Updated at or before"),
  createdFrom: bound("Created at or after"),
  createdTo: bound("Created at or before"),
  q: z.string().optional().openapi({
    description:
      "Full text over summary, description and comments (web-search syntax: quotes, OR, -word); ranked by relevance unless `sort` is given.",
    example: "login timeout",
  }),
  jql: z.string().optional().openapi({
    description:
      "A JQL query answered from the mirror (see the README's JQL section). Needs exactly one `instanceId` and excludes every other filter and `sort` (use ORDER BY).",
    example: 'project = PROJ AND status was "In Progress" ORDER BY priority DESC',
  }),
  sort: z.string().optional().openapi({
    description:
      "updated | created | priority | key (natural: PROJ-2 before PROJ-10); `-` first for descending. Default -updated (relevance with q).",
    example: "-updated",
  }),
});

const route = createRoute({
  method: "get",
  path: "/v1/issues",
  operationId: "listIssues",
  tags: ["Issues"],
  summary: "Search the tenant's synced issues",
  description:
    "Custom fields filter as `cf.<fieldId>=<value>` (e.g. `cf.customfield_10010=Atlas`): equality for text and number fields, options (`{value}`), multi-selects and arrays (contains), users (`accountId`), versions and components (`name`). Repeat it for any of several values. Filters combine with AND. Pages follow the sort on (sort value, id): an issue whose sort value does not change is listed exactly once even while others change.",
  security,
  request: { query: IssueQuery },
  responses: {
    200: jsonContent(pageOf(IssueSummarySchema, "IssuePage"), "A page of issues"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

const PAGING = new Set(["limit", "cursor", "jql", "instanceId"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** With `jql`, the one instance it runs on; any structured filter alongside it is a 400. */
function jqlTarget(params: Record<string, string[]>): { instanceId: string } {
  const others = Object.keys(params).filter((name) => !PAGING.has(name));
  const ids = params.instanceId ?? [];
  const errors = others.map((name) => ({ path: name, message: "cannot be combined with jql" }));
  if (ids.length !== 1 || !UUID.test(ids[0] ?? "")) {
    errors.push({ path: "instanceId", message: "jql needs exactly one instanceId" });
  }
  if (errors.length > 0) {
    throw invalid("jql excludes the structured filters and needs one instanceId.", errors);
  }
  return { instanceId: (ids[0] ?? "").toLowerCase() };
}

export function registerListIssues(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { limit, cursor, jql } = c.req.valid("query");
    if (jql !== undefined) {
      const page = await searchJql(c.var.services, {
        tenantId: (await authorizedCaller(c, "read")).tenantId,
        ...jqlTarget(c.req.queries()),
        jql,
        limit,
        cursor,
      });
      return c.json(page, 200);
    }
    const page = await listIssues(c.var.services, {
      access: readAccess(c, "read"),
      query: parseIssueQuery(c.req.queries()),
      limit,
      cursor,
    });
    return c.json(page, 200);
  });
}
