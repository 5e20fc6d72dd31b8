import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listUsers } from "../../../../application/issues/list-users";
import type { AppEnv } from "../../app-env";
import { readAccess } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { PageQuery, pageOf, security } from "../shared";

const UserSchema = z
  .object({
    instanceId: z.uuid(),
    accountId: z.string(),
    displayName: z.string(),
    active: z.boolean(),
    accountType: z.string().nullable().openapi({ example: "atlassian" }),
    emailHash: z.string().nullable().openapi({
      description:
        "HMAC-SHA256 (hex) of the lower-cased email address under the tenant's key; the address is never stored",
    }),
    timeZone: z.string().nullable(),
  })
  .openapi("User");

const route = createRoute({
  method: "get",
  path: "/v1/users",
  operationId: "listUsers",
  tags: ["Users"],
  summary: "The synced Jira users, by display name",
  security,
  request: {
    query: PageQuery.extend({
      instanceId: z.uuid().optional().openapi({ description: "One instance; default all" }),
      active: z
        .enum(["true", "false"])
        .optional()
        .transform((v) => (v === undefined ? undefined : v === "true"))
        .openapi({ description: "Only active (or only inactive) users" }),
    }),
  },
  responses: {
    200: jsonContent(pageOf(UserSchema, "UserPage"), "A page of users"),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

export function registerListUsers(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const page = await listUsers(c.var.services, {
      access: readAccess(c, "read"),
      ...c.req.valid("query"),
    });
    return c.json(page, 200);
  });
}
