/**
 * Request core: URL building, auth header, per-attempt timeout, pacing and bounded retries.
 * Retries: 429 (honouring Retry-After, capped) and transient 5xx / network errors / timeouts with
 * exponential backoff and full jitter. Other 4xx are never retried. A 401 under OAuth triggers one
 * token refresh and a retry.
 */
import type { AuthProvider, Credential } from "./auth";
import { isRetryableStatus } from "./errors";
import type { Pacer } from "./pacer";
import {
  type Attempt,
  buildUrl,
  type JiraClientEvent,
  parseBody,
  parseRetryAfter,
  type RequestSpec,
  type RetryReason,
  toError,
} from "./request";

export type { JiraClientEvent, QueryValue, RequestSpec, RetryReason } from "./request";

export interface HttpConfig {
  baseUrl: string;
  auth: AuthProvider;
  pacer: Pacer;
  fetch: typeof fetch;
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onEvent?: (event: JiraClientEvent) => void;
}

export class JiraHttp {
  constructor(private readonly config: HttpConfig) {}

  async request(spec: RequestSpec): Promise<unknown> {
    const { config } = this;
    const url = buildUrl(config.baseUrl, spec.path, spec.query);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const credential = await config.auth.credential();
      const result = await this.attempt(spec, url, credential);
      if (result.ok) {
        return parseBody(result.text, spec);
      }
      if (result.status === 401 && config.auth.canRefresh && !refreshed) {
        refreshed = true;
        if (await config.auth.recover(credential)) {
          this.emitRetry(spec, "auth_refresh", attempt, 0);
          attempt--; // a token refresh does not consume an attempt
          continue;
        }
      }
      const error = toError(spec, result, attempt);
      if (
        !(result.status === 0 || isRetryableStatus(result.status)) ||
        attempt >= config.maxAttempts
      ) {
        throw error;
      }
      const delayMs = this.delayFor(result, attempt);
      const reason: RetryReason =
        "failure" in result
          ? result.failure
          : result.status === 429
            ? "rate_limited"
            : "server_error";
      if (result.status === 429) {
        config.pacer.pause(delayMs);
      }
      this.emitRetry(spec, reason, attempt, delayMs);
      await config.sleep(delayMs);
    }
  }

  private async attempt(spec: RequestSpec, url: string, credential: Credential): Promise<Attempt> {
    const { config } = this;
    const release = await config.pacer.acquire();
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, config.timeoutMs);
    let status = 0;
    try {
      const headers: Record<string, string> = {
        Accept: "application/json",
        Authorization: credential.header,
      };
      if (spec.body !== undefined) {
        headers["Content-Type"] = "application/json";
      }
      const response = await config.fetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: controller.signal,
        // A redirect would carry the Authorization header to wherever Location points: a 3xx
        // is an error, never followed.
        redirect: "manual",
      });
      status = response.status;
      const text = await response.text();
      return { ok: response.ok, status, text, headers: response.headers };
    } catch (cause) {
      status = 0;
      return { ok: false, status: 0, failure: timedOut ? "timeout" : "network", cause };
    } finally {
      clearTimeout(timer);
      release();
      this.emit({
        type: "request",
        method: spec.method,
        route: spec.route,
        status,
        durationMs: Date.now() - started,
      });
    }
  }

  private delayFor(result: Attempt, attempt: number): number {
    const { config } = this;
    if ("headers" in result && (result.status === 429 || result.status === 503)) {
      const retryAfter = parseRetryAfter(result.headers.get("Retry-After"));
      if (retryAfter !== undefined) {
        return Math.min(retryAfter, config.maxRetryAfterMs);
      }
    }
    const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(config.random() * ceiling);
  }

  /** Metrics callbacks must never break a request. */
  private emit(event: JiraClientEvent): void {
    try {
      this.config.onEvent?.(event);
    } catch {
      // ignored
    }
  }

  private emitRetry(spec: RequestSpec, reason: RetryReason, attempt: number, delayMs: number) {
    this.emit({
      type: "retry",
      reason,
      method: spec.method,
      route: spec.route,
      attempt,
      delayMs,
    });
  }
}
