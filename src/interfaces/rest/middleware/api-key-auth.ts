import type { Context, MiddlewareHandler } from "hono";
import { DomainError, type RateLimitState } from "../../../domain/errors";
import type { Scope } from "../../../domain/scopes";
import { API_KEY_PREFIX, sha256Hex } from "../../../infrastructure/crypto/tokens";
import type { ReadAccess } from "../../../infrastructure/db/database";
import type { ReadCaller } from "../../../infrastructure/db/read-authorization";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";
import { bearerToken } from "./admin-auth";
import { afterAuthFailure, refuseThrottledSource } from "./auth-throttle";

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
  };
}

export const unauthorizedHeaders = { "WWW-Authenticate": 'Bearer realm="api"' };

/**
 * Tenant API keys for `/v1/*` and `/mcp`, first half: a bearer token shaped like a key, or 401.
 * No database yet — the key is checked, scoped and counted against its limits by `requireScope`
 * (one statement) or, for reads, inside the read's own round trip (`readAccess`). Sets the
 * `RateLimit-*` headers on the way out.
 */
export const apiKeyAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const blocked = refuseThrottledSource(c);
  if (blocked) {
    return blocked;
  }
  const token = bearerToken(c.req.header("authorization"));
  if (!token?.startsWith(API_KEY_PREFIX) || token.length > 200) {
    const refusal = () =>
      problem(c, 401, "A valid API key is required (Authorization: Bearer ds_…).", {
        headers: unauthorizedHeaders,
      });
    // A request without any credentials is not a guess: only wrong keys count as failures.
    return token ? afterAuthFailure(c, refusal) : refusal();
  }
  c.set("keyHash", await sha256Hex(token));
  await next();
  // The key itself is checked later (inside the read, or by requireScope): count its refusal here.
  if (c.res.status === 401) {
    const refused = c.res;
    c.res = await afterAuthFailure(c, () => refused);
  }
  const caller = c.var.caller;
  if (caller) {
    for (const [name, value] of Object.entries(rateLimitHeaders(caller.rateLimit))) {
      c.res.headers.set(name, value);
    }
  }
};

function keyHashOf(c: Context<AppEnv>): string {
  const keyHash = c.var.keyHash;
  if (!keyHash) {
    throw new Error("route mounted without apiKeyAuth");
  }
  return keyHash;
}

const remember = (c: Context<AppEnv>) => (caller: ReadCaller) => c.set("caller", caller);

/** Checks the key (401) and counts the request against its and its tenant's limits (429). */
async function authenticate(c: Context<AppEnv>): Promise<void> {
  if (!c.var.caller) {
    const { db, config } = c.var.services;
    remember(c)(
      await db.authenticate({
        keyHash: keyHashOf(c),
        defaultTenantLimit: config.tenantRateLimitPerMinute,
      }),
    );
  }
}

/**
 * Inside a handler that cannot fold the key check into one read (JQL: its values are looked up
 * before the query is built): checks and counts the key, then the scope.
 */
export async function authorizedCaller(c: Context<AppEnv>, scope: Scope): Promise<ReadCaller> {
  await authenticate(c);
  const caller = c.var.caller;
  if (!caller?.scopes.includes(scope)) {
    throw new DomainError(
      "forbidden",
      `This operation needs an API key with the "${scope}" scope.`,
    );
  }
  return caller;
}

/** For endpoints that check scopes themselves (MCP: per tool): the key, checked and counted. */
export const authenticatedKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  await authenticate(c);
  await next();
};

/**
 * Route guard for everything that is not a single read: checks the key (401), counts the request
 * against the key's and tenant's limits (429) in one statement, then the scope (403).
 */
export const requireScope =
  (scope: Scope): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await authenticate(c);
    if (!c.var.caller?.scopes.includes(scope)) {
      return problem(c, 403, `This operation needs an API key with the "${scope}" scope.`);
    }
    await next();
  };

/**
 * For reads: the key check, its scope and its count travel inside the read's round trip. The
 * handler passes this to the use case; the caller is known once the read returns.
 */
export function readAccess(c: Context<AppEnv>, scope: Scope): ReadAccess {
  const caller = c.var.caller;
  if (caller) {
    return { tenantId: caller.tenantId };
  }
  return {
    keyHash: keyHashOf(c),
    scope,
    defaultTenantLimit: c.var.services.config.tenantRateLimitPerMinute,
    onAuthorized: remember(c),
  };
}
