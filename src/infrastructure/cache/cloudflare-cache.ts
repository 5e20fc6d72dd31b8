import {
  type CachedDocument,
  type CacheLookup,
  type CacheScope,
  ENTRY_TTL_SECONDS,
  newVersion,
  type ReadCache,
} from "./read-cache";

/** Synthetic URLs: nothing is ever fetched from this origin, it only names cache entries. */
const ORIGIN = "https://read-cache.digital-spiral.internal";
const YEAR_SECONDS = 365 * 24 * 3600;

const versionUrl = (s: CacheScope) => `${ORIGIN}/v/${s.tenantId}/${s.instanceId}`;
const entryUrl = (s: CacheScope, version: string, key: string) =>
  `${ORIGIN}/e/${s.tenantId}/${s.instanceId}/${version}/${encodeURIComponent(key)}`;

const cacheable = (body: BodyInit, seconds: number) =>
  new Response(body, { headers: { "cache-control": `public, max-age=${seconds}` } });

/**
 * The cache in Cloudflare's Cache API, version included. The Cache API is local to one data
 * centre, so a bump is only seen where it ran: cache/index.ts uses this only where readers and
 * the sync share one cache (local development), never in production.
 */
export class CloudflareCache implements ReadCache {
  readonly kind = "cloudflare";
  readonly #cache: Cache;

  constructor(cache: Cache) {
    this.#cache = cache;
  }

  async get(scope: CacheScope, key: string): Promise<CacheLookup> {
    const stored = await this.#cache.match(versionUrl(scope));
    if (!stored) {
      // Written before we load, so whatever we then store is newer than any earlier write.
      const version = newVersion();
      await this.#cache.put(versionUrl(scope), cacheable(version, YEAR_SECONDS));
      return { version };
    }
    const version = await stored.text();
    // The version is part of the entry's URL: entries of older versions are never looked up.
    const entry = await this.#cache.match(entryUrl(scope, version, key));
    if (!entry) {
      return { version };
    }
    return { entry: { body: await entry.text(), etag: entry.headers.get("etag") ?? "" }, version };
  }

  async put(scope: CacheScope, key: string, version: string, entry: CachedDocument) {
    const response = cacheable(entry.body, ENTRY_TTL_SECONDS);
    response.headers.set("etag", entry.etag);
    await this.#cache.put(entryUrl(scope, version, key), response);
  }

  async bump(scope: CacheScope): Promise<void> {
    await this.#cache.put(versionUrl(scope), cacheable(newVersion(), YEAR_SECONDS));
  }
}
