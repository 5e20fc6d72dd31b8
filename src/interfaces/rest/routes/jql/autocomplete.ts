import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { jqlAutocomplete } from "../../../../application/issues/jql/autocomplete";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { callerOf, security } from "../shared";

const Suggestion = z.object({
  value: z.string().openapi({ description: "What to insert into the query", example: "Done" }),
  displayName: z.string(),
});

const route = createRoute({
  method: "get",
  path: "/v1/jql/autocomplete",
  operationId: "jqlAutocomplete",
  tags: ["Issues"],
  summary: "Suggest JQL field names, or the values of one field, from the mirror",
  description:
    "Without `field`: field names (system fields and the site's custom fields) starting with `prefix`. With `field`: values the instance's issues hold for it (statuses, priorities, types, resolutions, labels, components, versions; users by display name; projects by key or name), most common first.",
  security,
  middleware: [requireScope("read")] as const,
  request: {
    query: z.object({
      instanceId: z.uuid(),
      field: z.string().min(1).max(255).optional().openapi({ example: "status" }),
      prefix: z.string().max(255).default("").openapi({ example: "in p" }),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .union([
          z.object({ fields: z.array(Suggestion) }),
          z.object({ values: z.array(Suggestion) }),
        ])
        .openapi("JqlSuggestions"),
      "Up to 20 suggestions",
    ),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

export function registerJqlAutocomplete(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const suggestions = await jqlAutocomplete(c.var.services, {
      tenantId: callerOf(c).tenantId,
      ...c.req.valid("query"),
    });
    return c.json(suggestions, 200);
  });
}
