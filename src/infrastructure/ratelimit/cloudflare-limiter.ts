import type { RateLimiter, RateLimitResult } from "./rate-limiter";

/**
 * Fallback without Upstash: Cloudflare's Rate Limiting binding. Its limit is fixed in
 * wrangler.toml (per binding, per location), so per-key custom limits are not honoured here;
 * the binding tells only allowed or not, and windows are 60 s.
 */
export class CloudflareRateLimiter implements RateLimiter {
  readonly #binding: RateLimit;
  readonly #bindingLimit: number;

  constructor(binding: RateLimit, bindingLimit: number) {
    this.#binding = binding;
    this.#bindingLimit = bindingLimit;
  }

  async limit(key: string): Promise<RateLimitResult> {
    const { success } = await this.#binding.limit({ key });
    return {
      success,
      limit: this.#bindingLimit,
      remaining: success ? undefined : 0,
      resetSeconds: success ? 0 : 60,
    };
  }
}
