/**
 * The read cache for issue reads and hot lists, and the one call the sync engine makes after it
 * writes: `bumpCacheVersion`.
 *
 * Which cache: Upstash Redis when configured — global, so a bump made by the sync (in a queue
 * consumer or Durable Object, anywhere) is seen by every reader at once. Without Redis, the
 * Cache API in local development, where the sync and the readers share one cache; and no cache
 * at all in production, because there the Cache API is per data centre: a bump would reach only
 * the colo that ran the sync, and readers elsewhere would serve the old issue. ETags and 304s
 * work the same either way.
 */
import type { Redis } from "@upstash/redis/cloudflare";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import { CloudflareCache } from "./cloudflare-cache";
import {
  type CachedDocument,
  type CacheScope,
  MAX_ENTRY_BYTES,
  noCache,
  type ReadCache,
  toDocument,
} from "./read-cache";
import { UpstashCache } from "./upstash-cache";

export { type CachedDocument, type CacheScope, etagOf, type ReadCache } from "./read-cache";

/** What choosing a cache needs: the services carry all of it. */
export interface CacheDeps {
  redis: Redis | undefined;
  config: { environment: "development" | "production" };
}

export function createReadCache(deps: CacheDeps): ReadCache {
  if (deps.redis) {
    return new UpstashCache(deps.redis);
  }
  if (deps.config.environment === "development" && typeof caches !== "undefined") {
    return new CloudflareCache(caches.default);
  }
  return noCache;
}

/**
 * Invalidates every cached read of a tenant's Jira instance. Call it after each write of synced
 * data has COMMITTED (a bump before the commit could let a reader cache the old rows under the
 * new version). Errors propagate: a sync that could not bump must be retried, or readers could
 * see the old data for up to the entry TTL.
 *
 * @example
 * await upsertIssues(tx, scope, records); // inside db.withTenant(…), committed when it returns
 * await bumpCacheVersion(services, scope.tenantId, scope.instanceId);
 */
export async function bumpCacheVersion(
  deps: CacheDeps,
  tenantId: string,
  instanceId: string,
): Promise<void> {
  await createReadCache(deps).bump({ tenantId, instanceId });
}

export interface ReadThroughDeps {
  /** From `createReadCache(services)`. */
  cache: ReadCache;
  metrics?: Metrics;
  logger?: Logger;
}

/** What a cached read needs, from the services. */
export const readDeps = (services: CacheDeps & { metrics: Metrics; logger: Logger }) => ({
  cache: createReadCache(services),
  metrics: services.metrics,
  logger: services.logger,
});

/**
 * The cached document for `key`, or `load()`'s value (undefined: nothing to cache, e.g. not
 * found) serialised and stored. A cache that fails is skipped, never an error of the read.
 */
export async function readThrough(
  deps: ReadThroughDeps,
  scope: CacheScope,
  key: string,
  load: () => Promise<unknown>,
): Promise<CachedDocument | undefined> {
  const { cache } = deps;
  const count = (result: string) =>
    deps.metrics?.inc("ds_read_cache_requests_total", "Read cache lookups by result.", {
      cache: cache.kind,
      namespace: key.split(":")[0] ?? "",
      result,
    });
  let version: string | undefined;
  if (cache.kind !== "none") {
    try {
      const lookup = await cache.get(scope, key);
      if (lookup.entry) {
        count("hit");
        return lookup.entry;
      }
      count("miss");
      version = lookup.version;
    } catch (error) {
      count("error");
      deps.logger?.warn("read cache unavailable", { error: String(error) });
    }
  }
  const value = await load();
  if (value === undefined) {
    return undefined;
  }
  const document = await toDocument(value);
  if (version !== undefined && document.body.length <= MAX_ENTRY_BYTES) {
    await cache.put(scope, key, version, document).catch((error: unknown) => {
      deps.logger?.warn("read cache write failed", { error: String(error) });
    });
  }
  return document;
}
