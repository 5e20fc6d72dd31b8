import { z } from "@hono/zod-openapi";

export const InstanceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    baseUrl: z.string(),
    authType: z.enum(["basic", "oauth2"]),
    webhookUrl: z.string().openapi({ description: "Paste this into Jira's webhook settings." }),
    webhookSecretConfigured: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .openapi("JiraInstance");

export const CreatedInstanceSchema = InstanceSchema.extend({
  webhookSecret: z.string().optional().openapi({
    description:
      "The secret Jira signs deliveries with (X-Hub-Signature). Shown only in this answer (not in an Idempotency-Key replay); rotate it with POST /v1/instances/{id}/webhook-secret.",
  }),
}).openapi("CreatedJiraInstance");

const BasicAuth = z
  .object({
    type: z.literal("basic"),
    email: z.email().max(320),
    apiToken: z.string().min(1).max(2000),
  })
  .openapi("BasicAuth");

const OAuth2Auth = z
  .object({
    type: z.literal("oauth2"),
    clientId: z.string().min(1).max(500),
    clientSecret: z.string().min(1).max(2000),
    refreshToken: z.string().min(1).max(4000),
    cloudId: z.string().min(1).max(200),
    apiBaseUrl: z.string().max(2000).optional().openapi({
      description: "Defaults to https://api.atlassian.com/ex/jira/{cloudId}.",
    }),
    tokenUrl: z.string().max(2000).optional().openapi({
      description: "Defaults to https://auth.atlassian.com/oauth/token.",
    }),
  })
  .openapi("OAuth2Auth");

export const CreateInstanceBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Acme Jira" }),
    baseUrl: z.string().min(1).max(2000).openapi({ example: "https://acme.atlassian.net" }),
    auth: z.discriminatedUnion("type", [BasicAuth, OAuth2Auth]),
    webhookSecret: z.string().min(16).max(500).optional().openapi({
      description: "At least 16 characters; generated (and returned once) when omitted.",
    }),
  })
  .openapi("CreateJiraInstance");
