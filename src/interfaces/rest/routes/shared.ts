import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv, Caller } from "../app-env";

/** `?limit=&cursor=` of every list endpoint. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
  cursor: z.string().max(2000).optional().openapi({ description: "Opaque; from `nextCursor`." }),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

export const UuidParam = (name: string) =>
  z
    .uuid()
    .openapi({ param: { name, in: "path" }, example: "9b2f0c1e-8f55-4a43-9d5d-0b8a3c1f2e44" });

/** The authenticated caller; routes under apiKeyAuth always have one. */
export function callerOf(c: Context<AppEnv>): Caller {
  const caller = c.var.caller;
  if (!caller) {
    throw new Error("route mounted without apiKeyAuth");
  }
  return caller;
}

export const actorOf = (caller: Caller) => `key:${caller.apiKeyId}`;

/** The public origin of this deployment, for URLs we hand out (webhook URLs). */
export const originOf = (c: Context<AppEnv>) =>
  c.var.services.config.publicUrl ?? new URL(c.req.url).origin;

export const security = [{ apiKey: [] }];

export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().min(1).max(255).optional().openapi({
    description: "Replays the first response for the same key and body within 24 hours",
  }),
});

/** The request's `Idempotency-Key` and what makes two requests the same (method, path, body). */
export const idempotencyOf = (c: Context<AppEnv>, body: unknown) => ({
  idempotencyKey: c.req.header("idempotency-key"),
  fingerprint: `${c.req.method} ${c.req.path}\n${JSON.stringify(body)}`,
});
