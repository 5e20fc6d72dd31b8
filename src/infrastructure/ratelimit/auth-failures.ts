/**
 * Failed authentication, throttled per source address: past `perMinute` failures a source gets
 * 429 before any key lookup, decryption or HMAC is spent on it. Failures are counted in Upstash
 * when configured (shared by every isolate) and in isolate memory otherwise; the verdict is
 * remembered locally so a blocked source costs nothing until its window ends.
 */
import type { RateLimiter } from "./rate-limiter";

export const AUTH_FAILURES_PER_MINUTE = 20;
const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

interface LocalWindow {
  startedAt: number;
  failures: number;
  blockedUntil: number;
}

const local = new Map<string, LocalWindow>();

function windowOf(source: string, now: number): LocalWindow {
  let entry = local.get(source);
  if (!entry || now - entry.startedAt >= WINDOW_MS) {
    if (local.size >= MAX_TRACKED) {
      local.clear(); // bounded memory beats perfect memory under a spray of addresses
    }
    entry = { startedAt: now, failures: 0, blockedUntil: entry?.blockedUntil ?? 0 };
    local.set(source, entry);
  }
  return entry;
}

export class AuthFailureThrottle {
  readonly #shared: RateLimiter | undefined;
  readonly #perMinute: number;

  constructor(shared: RateLimiter | undefined, perMinute = AUTH_FAILURES_PER_MINUTE) {
    this.#shared = shared;
    this.#perMinute = perMinute;
  }

  /** Seconds the source must wait, or 0 when it may try. */
  retryAfter(source: string | undefined, now = Date.now()): number {
    const entry = source ? local.get(source) : undefined;
    return entry && entry.blockedUntil > now ? Math.ceil((entry.blockedUntil - now) / 1000) : 0;
  }

  /** Records a failure; returns the seconds to wait when this one crossed the limit (else 0). */
  async failed(source: string | undefined, now = Date.now()): Promise<number> {
    if (!source) {
      return 0;
    }
    const entry = windowOf(source, now);
    entry.failures += 1;
    let over = entry.failures > this.#perMinute;
    let wait = Math.ceil((entry.startedAt + WINDOW_MS - now) / 1000);
    if (this.#shared) {
      const shared = await this.#shared.limit(`authfail:${source}`, this.#perMinute);
      over ||= !shared.success;
      wait = Math.max(wait, shared.resetSeconds);
    }
    if (!over) {
      return 0;
    }
    entry.blockedUntil = now + Math.max(1, wait) * 1000;
    return Math.max(1, wait);
  }
}
