/** A per-minute limit on a key (an API key, a tenant). */
export interface RateLimitResult {
  success: boolean;
  limit: number;
  /** Unknown with Cloudflare's binding, which only says allowed or not. */
  remaining: number | undefined;
  /** Seconds until the window frees a slot. */
  resetSeconds: number;
}

export interface RateLimiter {
  limit(key: string, perMinute: number): Promise<RateLimitResult>;
}
