import type { MiddlewareHandler } from "hono";
import { authenticateApiKey } from "../../../application/tenancy/authenticate";
import type { Scope } from "../../../domain/scopes";
import type { RateLimitResult } from "../../../infrastructure/ratelimit/rate-limiter";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";
import { bearerToken } from "./admin-auth";
import { afterAuthFailure, refuseThrottledSource } from "./auth-throttle";

function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Reset": String(result.resetSeconds),
  };
  if (result.remaining !== undefined) {
    headers["RateLimit-Remaining"] = String(result.remaining);
  }
  return headers;
}

/**
 * Tenant API keys for `/v1/*` and `/mcp`: resolves key → tenant and scopes (401 otherwise), then
 * applies the key's and the tenant's per-minute limits (429 with Retry-After).
 */
export const apiKeyAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { services } = c.var;
  const blocked = refuseThrottledSource(c);
  if (blocked) {
    return blocked;
  }
  const token = bearerToken(c.req.header("authorization"));
  const identity = token ? await authenticateApiKey(services, token) : undefined;
  if (!identity) {
    const refusal = () =>
      problem(c, 401, "A valid API key is required (Authorization: Bearer ds_…).", {
        headers: { "WWW-Authenticate": 'Bearer realm="api"' },
      });
    // A request without any credentials is not a guess: only wrong keys count as failures.
    return token ? afterAuthFailure(c, refusal) : refusal();
  }
  c.set("caller", {
    tenantId: identity.tenantId,
    apiKeyId: identity.apiKeyId,
    scopes: identity.scopes,
    rateLimitPerMinute: identity.rateLimitPerMinute,
  });
  const tenantLimit = services.config.tenantRateLimitPerMinute;
  const [perKey, perTenant] = await Promise.all([
    services.rateLimiters.key.limit(`key:${identity.apiKeyId}`, identity.rateLimitPerMinute),
    services.rateLimiters.tenant.limit(`tenant:${identity.tenantId}`, tenantLimit),
  ]);
  const binding = !perKey.success ? perKey : !perTenant.success ? perTenant : perKey;
  if (!perKey.success || !perTenant.success) {
    services.metrics.inc("http_rate_limited_total", "Requests refused by rate limits.", {
      limit: perKey.success ? "tenant" : "key",
    });
    const retryAfter = String(Math.max(1, binding.resetSeconds));
    return problem(c, 429, "Rate limit exceeded; retry after the time in Retry-After.", {
      headers: { ...rateLimitHeaders(binding), "Retry-After": retryAfter },
    });
  }
  await next();
  for (const [name, value] of Object.entries(rateLimitHeaders(binding))) {
    c.res.headers.set(name, value);
  }
};

/** Route guard: the caller's key must carry `scope`. */
export const requireScope =
  (scope: Scope): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!c.var.caller?.scopes.includes(scope)) {
      return problem(c, 403, `This operation needs an API key with the "${scope}" scope.`);
    }
    await next();
  };
