import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis/cloudflare";
import type { RateLimiter, RateLimitResult } from "./rate-limiter";

/**
 * Sliding-window limits in Upstash Redis, shared by every isolate. One Ratelimit per distinct
 * limit, since each key may carry its own `rateLimitPerMinute`.
 */
export class UpstashRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #limiters = new Map<number, Ratelimit>();

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async limit(key: string, perMinute: number): Promise<RateLimitResult> {
    let limiter = this.#limiters.get(perMinute);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.#redis,
        limiter: Ratelimit.slidingWindow(perMinute, "60 s"),
        prefix: `ds:rl:${perMinute}`,
        // Isolate-local memory would make a revoked or changed limit lag behind Redis.
        ephemeralCache: false,
        // Never block a request on a slow Redis for long: fail open after 1 s.
        timeout: 1000,
      });
      this.#limiters.set(perMinute, limiter);
    }
    const result = await limiter.limit(key);
    return {
      success: result.success,
      limit: result.limit,
      remaining: Math.max(0, result.remaining),
      resetSeconds: Math.max(0, Math.ceil((result.reset - Date.now()) / 1000)),
    };
  }
}
