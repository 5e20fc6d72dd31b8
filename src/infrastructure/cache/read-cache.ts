/**
 * A read cache that never serves what a sync has replaced. Entries of a (tenant, Jira instance)
 * are stored under that scope's current VERSION, a random token that every sync write replaces
 * (`bump`) after it commits. A reader uses an entry only if it was stored under the version it
 * reads now, and stores what it loads only under a version it read (or created) BEFORE loading:
 * so any entry visible after a bump was loaded after the write it follows. Random tokens rather
 * than a counter, so an evicted version key can never come back as a value old entries carry.
 */

/** Whose data an entry is: a tenant's Jira instance (never shared across tenants). */
export interface CacheScope {
  tenantId: string;
  instanceId: string;
}

/** A serialised response body and its entity tag. */
export interface CachedDocument {
  body: string;
  etag: string;
}

export interface CacheLookup {
  entry?: CachedDocument;
  /** The version to store a freshly loaded value under; undefined: do not store this time. */
  version?: string;
}

export interface ReadCache {
  readonly kind: "upstash" | "cloudflare" | "none";
  get(scope: CacheScope, key: string): Promise<CacheLookup>;
  put(scope: CacheScope, key: string, version: string, entry: CachedDocument): Promise<void>;
  /** Makes every entry of the scope stored so far unreachable. */
  bump(scope: CacheScope): Promise<void>;
}

/** Entries live this long at most; the version, not the TTL, is what keeps them correct. */
export const ENTRY_TTL_SECONDS = 900;
/** Larger documents are not worth a cache round trip (and Upstash caps request sizes). */
export const MAX_ENTRY_BYTES = 512 * 1024;

export const newVersion = () => `v-${crypto.randomUUID()}`;

/** Caches nothing: production without Redis (see cache/index.ts). */
export const noCache: ReadCache = {
  kind: "none",
  get: async () => ({}),
  put: async () => {},
  bump: async () => {},
};

const encoder = new TextEncoder();

/**
 * A strong entity tag: a hash of the exact bytes sent.
 *
 * @example
 * await etagOf('{"key":"PROJ-1"}') // '"3q2+7w…"'
 */
export async function etagOf(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(body)));
  const b64 = btoa(String.fromCharCode(...digest.slice(0, 18)));
  return `"${b64.replace(/\+/g, "-").replace(/\//g, "_")}"`;
}

export async function toDocument(value: unknown): Promise<CachedDocument> {
  const body = JSON.stringify(value);
  return { body, etag: await etagOf(body) };
}
