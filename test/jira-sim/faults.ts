// Fault injection and request accounting for one site. Random faults come from a seeded PRNG
// (re-seeded whenever the config is replaced) so a flaky-network test replays identically.

import { createRng, deriveSeed, type Rng } from "./prng.ts";

export interface FaultConfig {
  rate429?: number;
  rate503?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  hangMs?: number;
  failNext?: { status: number; count: number };
  budget?: { limit: number; windowSeconds: number };
}

export interface FaultDecision {
  status: number;
  headers: Record<string, string>;
  message: string;
}

function num(v: unknown, min: number, max: number): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : undefined;
}

/** Validates a control-API body into a FaultConfig (unknown keys are ignored). */
export function parseFaultConfig(body: Record<string, unknown>): FaultConfig {
  const cfg: FaultConfig = {};
  const rate429 = num(body.rate429, 0, 1);
  const rate503 = num(body.rate503, 0, 1);
  const retryAfterSeconds = num(body.retryAfterSeconds, 0, 3600);
  const latencyMs = num(body.latencyMs, 0, 600000);
  const hangMs = num(body.hangMs, 0, 600000);
  if (rate429 !== undefined) {
    cfg.rate429 = rate429;
  }
  if (rate503 !== undefined) {
    cfg.rate503 = rate503;
  }
  if (retryAfterSeconds !== undefined) {
    cfg.retryAfterSeconds = retryAfterSeconds;
  }
  if (latencyMs !== undefined) {
    cfg.latencyMs = latencyMs;
  }
  if (hangMs !== undefined) {
    cfg.hangMs = hangMs;
  }
  const fn = body.failNext as Record<string, unknown> | undefined;
  if (fn && typeof fn === "object") {
    const status = num(fn.status, 100, 599);
    const count = num(fn.count, 0, 1e9);
    if (status !== undefined) {
      cfg.failNext = { status: Math.floor(status), count: Math.floor(count ?? 1) };
    }
  }
  const b = body.budget as Record<string, unknown> | undefined;
  if (b && typeof b === "object") {
    const limit = num(b.limit, 1, 1e9);
    const windowSeconds = num(b.windowSeconds, 0.001, 86400);
    if (limit !== undefined && windowSeconds !== undefined) {
      cfg.budget = { limit: Math.floor(limit), windowSeconds };
    }
  }
  return cfg;
}

export class Faults {
  private config: FaultConfig = {};
  private rng: Rng;
  private generation = 0;
  private budgetHits: number[] = [];

  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
    this.rng = createRng(deriveSeed(seed, "faults:0"));
  }

  get current(): FaultConfig {
    return this.config;
  }

  set(config: FaultConfig): void {
    this.config = structuredClone(config);
    this.generation++;
    this.rng = createRng(deriveSeed(this.seed, `faults:${this.generation}`));
    this.budgetHits = [];
  }

  private rateLimitHeaders(
    now: number,
    retryAfter: number,
    limit: number,
    remaining: number,
  ): Record<string, string> {
    return {
      "Retry-After": String(Math.max(0, Math.ceil(retryAfter))),
      "X-RateLimit-Limit": String(limit),
      "X-RateLimit-Remaining": String(remaining),
      "X-RateLimit-Reset": new Date(now + Math.ceil(retryAfter) * 1000).toISOString(),
      "RateLimit-Reason": "jira-burst-based",
    };
  }

  /** Headers every response carries while a budget is configured (like Jira's quota headers). */
  budgetHeaders(now: number): Record<string, string> {
    const b = this.config.budget;
    if (!b) {
      return {};
    }
    this.prune(now);
    const remaining = Math.max(0, b.limit - this.budgetHits.length);
    const headers: Record<string, string> = {
      "X-RateLimit-Limit": String(b.limit),
      "X-RateLimit-Remaining": String(remaining),
    };
    if (remaining < b.limit * 0.2) {
      headers["X-RateLimit-NearLimit"] = "true";
    }
    return headers;
  }

  private prune(now: number): void {
    const b = this.config.budget;
    if (!b) {
      return;
    }
    const from = now - b.windowSeconds * 1000;
    let i = 0;
    while (i < this.budgetHits.length && (this.budgetHits[i] ?? 0) <= from) {
      i++;
    }
    if (i > 0) {
      this.budgetHits.splice(0, i);
    }
  }

  /** Decides whether this REST request fails; null means serve it normally. */
  decide(now: number): FaultDecision | null {
    const cfg = this.config;
    const retryAfter = cfg.retryAfterSeconds ?? 1;
    const b = cfg.budget;
    if (b) {
      this.prune(now);
      if (this.budgetHits.length >= b.limit) {
        const oldest = this.budgetHits[0] ?? now;
        const wait = (oldest + b.windowSeconds * 1000 - now) / 1000;
        return {
          status: 429,
          headers: this.rateLimitHeaders(now, Math.max(1, wait), b.limit, 0),
          message: "Rate limit exceeded.",
        };
      }
      this.budgetHits.push(now);
    }
    const limitForHeaders = b?.limit ?? 100;
    if (cfg.failNext && cfg.failNext.count > 0) {
      cfg.failNext.count--;
      const status = cfg.failNext.status;
      return {
        status,
        headers:
          status === 429
            ? this.rateLimitHeaders(now, retryAfter, limitForHeaders, 0)
            : status === 503
              ? { "Retry-After": String(retryAfter) }
              : {},
        message: status === 429 ? "Rate limit exceeded." : `Simulated failure (HTTP ${status}).`,
      };
    }
    if (cfg.rate429 && this.rng.next() < cfg.rate429) {
      return {
        status: 429,
        headers: this.rateLimitHeaders(now, retryAfter, limitForHeaders, 0),
        message: "Rate limit exceeded.",
      };
    }
    if (cfg.rate503 && this.rng.next() < cfg.rate503) {
      return {
        status: 503,
        headers: { "Retry-After": String(retryAfter) },
        message: "Service Unavailable",
      };
    }
    return null;
  }
}

/** Request counters exposed by GET /_sim/requests. */
export class RequestStats {
  total = 0;
  byRoute: Record<string, number> = {};
  byStatus: Record<string, number> = {};
  maxConcurrent = 0;
  maxPerSecond = 0;
  private inFlight = 0;
  private second = 0;
  private inSecond = 0;

  begin(route: string, now: number): void {
    this.total++;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
    this.inFlight++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
    const sec = Math.floor(now / 1000);
    if (sec !== this.second) {
      this.second = sec;
      this.inSecond = 0;
    }
    this.inSecond++;
    this.maxPerSecond = Math.max(this.maxPerSecond, this.inSecond);
  }

  end(status: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.byStatus[String(status)] = (this.byStatus[String(status)] ?? 0) + 1;
  }

  reset(): void {
    this.total = 0;
    this.byRoute = {};
    this.byStatus = {};
    this.maxConcurrent = this.inFlight;
    this.maxPerSecond = 0;
    this.inSecond = 0;
  }

  snapshot() {
    return {
      total: this.total,
      byRoute: { ...this.byRoute },
      byStatus: { ...this.byStatus },
      maxConcurrent: this.maxConcurrent,
      maxPerSecond: this.maxPerSecond,
      inFlight: this.inFlight,
    };
  }
}
