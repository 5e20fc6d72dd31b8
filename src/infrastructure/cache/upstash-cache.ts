import type { Redis } from "@upstash/redis/cloudflare";
import {
  type CachedDocument,
  type CacheLookup,
  type CacheScope,
  ENTRY_TTL_SECONDS,
  newVersion,
  type ReadCache,
} from "./read-cache";

interface StoredEntry extends CachedDocument {
  v: string;
}

const versionKey = (s: CacheScope) => `ds:cache:v:${s.tenantId}:${s.instanceId}`;
const entryKey = (s: CacheScope, key: string) => `ds:cache:e:${s.tenantId}:${s.instanceId}:${key}`;

const isEntry = (value: unknown): value is StoredEntry =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as StoredEntry).v === "string" &&
  typeof (value as StoredEntry).body === "string" &&
  typeof (value as StoredEntry).etag === "string";

/**
 * The cache in Upstash Redis, shared by every isolate and colo. A hit costs one round trip: the
 * version and the entry come in one MGET, and the entry carries the version it was stored under.
 */
export class UpstashCache implements ReadCache {
  readonly kind = "upstash";
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async get(scope: CacheScope, key: string): Promise<CacheLookup> {
    const [version, entry] = await this.#redis.mget<[unknown, unknown]>(
      versionKey(scope),
      entryKey(scope, key),
    );
    if (typeof version !== "string") {
      // No version yet (or evicted): create one. Only if ours is the one set may we store
      // under it; a concurrent bump wins and we just skip storing this time.
      const created = newVersion();
      const ok = await this.#redis.set(versionKey(scope), created, { nx: true });
      return ok === "OK" ? { version: created } : {};
    }
    return isEntry(entry) && entry.v === version
      ? { entry: { body: entry.body, etag: entry.etag }, version }
      : { version };
  }

  async put(scope: CacheScope, key: string, version: string, entry: CachedDocument) {
    const stored: StoredEntry = { v: version, body: entry.body, etag: entry.etag };
    await this.#redis.set(entryKey(scope, key), stored, { ex: ENTRY_TTL_SECONDS });
  }

  async bump(scope: CacheScope): Promise<void> {
    await this.#redis.set(versionKey(scope), newVersion());
  }
}
