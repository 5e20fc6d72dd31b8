import { DomainError, RateLimitedError, type RateLimitState } from "../../domain/errors";
import type { Scope } from "../../domain/scopes";

/** An API key to check inside a read: its SHA-256 and the scope the operation needs. */
export interface ApiKeyAccess {
  keyHash: string;
  scope?: Scope;
  /** The deployment's per-tenant limit, for tenants that have none of their own. */
  defaultTenantLimit: number;
  /** Told who the caller is once the key checked out (before the read's results are used). */
  onAuthorized?: (caller: ReadCaller) => void;
}

export interface ReadCaller {
  tenantId: string;
  apiKeyId: string;
  scopes: Scope[];
  rateLimit: RateLimitState;
}

interface Authorization {
  status?: "ok" | "unauthorized" | "forbidden";
  tenantId?: string;
  apiKeyId?: string;
  scopes?: Scope[];
}

interface Counts {
  allowed: boolean;
  resetSeconds: number;
  key: { limit: number; used: number };
  tenant: { limit: number; used: number };
}

const remainingOf = (bucket: { limit: number; used: number }) =>
  Math.max(0, bucket.limit - bucket.used);

/**
 * Turns what `ds_authorize` and `ds_count_request` answered into the caller, or the refusal:
 * 401 for an unknown or revoked key, 403 for a missing scope, 429 when the key's or the tenant's
 * per-minute limit is used up (whichever has less left is the one reported).
 */
export function readAuthorization(auth: unknown, counts: unknown): ReadCaller {
  const identity = (auth ?? {}) as Authorization;
  if (identity.status === "forbidden") {
    throw new DomainError("forbidden", "This operation needs an API key with another scope.");
  }
  if (identity.status !== "ok" || !identity.tenantId || !identity.apiKeyId) {
    throw new DomainError(
      "unauthorized",
      "A valid API key is required (Authorization: Bearer ds_…).",
    );
  }
  const usage = counts as Counts | null;
  if (!usage) {
    throw new Error("the request was not counted: ds_count_request answered nothing");
  }
  const tighter = remainingOf(usage.tenant) < remainingOf(usage.key) ? "tenant" : "key";
  const bucket = usage[tighter];
  const rateLimit = {
    limit: bucket.limit,
    remaining: remainingOf(bucket),
    resetSeconds: usage.resetSeconds,
  };
  if (!usage.allowed) {
    const refusedBy = usage.key.used > usage.key.limit ? "key" : "tenant";
    const refused = usage[refusedBy];
    throw new RateLimitedError(
      { limit: refused.limit, remaining: 0, resetSeconds: usage.resetSeconds },
      refusedBy,
    );
  }
  return {
    tenantId: identity.tenantId,
    apiKeyId: identity.apiKeyId,
    scopes: identity.scopes ?? [],
    rateLimit,
  };
}
