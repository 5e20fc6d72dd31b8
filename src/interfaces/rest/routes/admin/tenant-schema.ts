import { z } from "@hono/zod-openapi";

export const TenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    rateLimitPerMinute: z.number().int().openapi({
      description: "Requests per minute across all the tenant's API keys.",
      example: 3000,
    }),
    createdAt: z.iso.datetime(),
  })
  .openapi("Tenant");
