import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getIssue } from "../../../../application/issues/get-issue";
import type { AppEnv } from "../../app-env";
import { readAccess } from "../../middleware/api-key-auth";
import { errorResponses, jsonContent } from "../../openapi";
import { security } from "../shared";
import { ChangelogEntrySchema } from "./list-changelog";
import { CommentSchema } from "./list-comments";
import { IssueSummarySchema } from "./list-issues";
import { InstanceQuery, IssueKeyParams } from "./params";

export const IssueSchema = IssueSummarySchema.extend({
  descriptionText: z.string(),
  description: z.unknown().openapi({ description: "Atlassian Document Format, or null" }),
  resolution: z.string().nullable(),
  links: z.array(
    z.object({
      type: z.string().openapi({ example: "Blocks" }),
      direction: z.enum(["inward", "outward"]),
      key: z.string().openapi({ example: "PROJ-7" }),
    }),
  ),
  comments: z.array(CommentSchema).optional().openapi({ description: "With include=comments" }),
  changelog: z
    .array(ChangelogEntrySchema)
    .optional()
    .openapi({ description: "With include=changelog" }),
}).openapi("Issue");

const route = createRoute({
  method: "get",
  path: "/v1/issues/{key}",
  operationId: "getIssue",
  tags: ["Issues"],
  summary: "One issue, with its links (and comments and changelog on request)",
  security,
  request: {
    params: IssueKeyParams,
    query: InstanceQuery.extend({
      include: z
        .string()
        .regex(/^(comments|changelog)(,(comments|changelog))*$/, "comments, changelog or both")
        .optional()
        .openapi({ description: "Embed all comments and/or the changelog, oldest first" }),
    }),
    headers: z.object({
      "if-none-match": z.string().max(1000).optional().openapi({
        description: "An ETag from an earlier response: 304 while the issue is unchanged",
      }),
    }),
  },
  responses: {
    200: {
      ...jsonContent(IssueSchema, "The issue"),
      headers: z.object({ ETag: z.string().openapi({ description: "Changes with the issue" }) }),
    },
    304: { description: "Not modified: the If-None-Match ETag is current" },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    404: errorResponses[404],
  },
});

/** RFC 9110 If-None-Match for a GET: `*` or any listed tag, weakly compared. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) {
    return false;
  }
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.trim() === "*" || header.split(",").some((tag) => strip(tag) === strip(etag));
}

export function registerGetIssue(app: OpenAPIHono<AppEnv>): void {
  app.openapi(route, async (c) => {
    const { instanceId, include = "" } = c.req.valid("query");
    const { services } = c.var;
    const document = await getIssue(services, {
      access: readAccess(c, "read"),
      instanceId,
      key: c.req.valid("param").key,
      include: {
        comments: include.includes("comments"),
        changelog: include.includes("changelog"),
      },
    });
    // Private: another key's caller must never get this from a shared cache; revalidate each time.
    c.header("cache-control", "private, no-cache");
    c.header("etag", document.etag);
    if (matches(c.req.valid("header")["if-none-match"], document.etag)) {
      return c.body(null, 304);
    }
    return c.body(document.body, 200, { "content-type": "application/json" });
  });
}
