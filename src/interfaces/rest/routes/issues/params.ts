import { z } from "@hono/zod-openapi";

/** `{key}` of the issue routes: a Jira key, case-insensitive (Jira's are upper case). */
export const IssueKeyParams = z.object({
  key: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*-[0-9]{1,12}$/, "a Jira issue key such as PROJ-123")
    .transform((key) => key.toUpperCase())
    .openapi({ param: { name: "key", in: "path" }, example: "PROJ-123" }),
});

/** Keys are unique per Jira instance only, so reads of one issue name the instance. */
export const InstanceQuery = z.object({
  instanceId: z.uuid().openapi({ example: "9b2f0c1e-8f55-4a43-9d5d-0b8a3c1f2e44" }),
});

export const UserRefSchema = z
  .object({ accountId: z.string(), displayName: z.string().nullable() })
  .openapi("UserRef");
