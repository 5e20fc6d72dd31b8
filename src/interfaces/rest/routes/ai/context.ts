import type { Context, MiddlewareHandler } from "hono";
import type { AiCaller, AiDeps } from "../../../../application/ai/ai-call";
import { limitAiCalls } from "../../../../application/ai/ai-call";
import type { Services } from "../../../../infrastructure/services";
import type { AppEnv } from "../../app-env";
import { problem } from "../../problem";
import { actorOf, callerOf } from "../shared";

export const aiDepsOf = (services: Services): AiDeps => ({
  db: services.db,
  metrics: services.metrics,
  secretBox: services.secretBox,
  aiBinding: services.bindings.AI,
});

export const aiCallerOf = (c: Context<AppEnv>): AiCaller => {
  const caller = callerOf(c);
  return { tenantId: caller.tenantId, actor: actorOf(caller), requestId: c.var.requestId };
};

/** The tenant's AI budget (AI_RATE_LIMIT_PER_MINUTE), on top of the API's own limits. */
export const aiRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { services } = c.var;
  const limit = services.config.aiRateLimitPerMinute;
  const result = await limitAiCalls(services, callerOf(c).tenantId, limit);
  if (!result.success) {
    services.metrics.inc("http_rate_limited_total", "Requests refused by rate limits.", {
      limit: "ai",
    });
    return problem(c, 429, `AI calls are limited to ${limit} per minute per tenant.`, {
      headers: {
        "Retry-After": String(Math.max(1, result.resetSeconds)),
        "RateLimit-Limit": String(result.limit),
        "RateLimit-Reset": String(result.resetSeconds),
      },
    });
  }
  await next();
};
