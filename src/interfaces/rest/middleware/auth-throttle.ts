import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";

/** The client address as Cloudflare saw it (it overwrites any value a client sends). */
export const sourceOf = (c: Context<AppEnv>) =>
  c.req.header("cf-connecting-ip")?.trim().slice(0, 64) || undefined;

const throttled = (c: Context<AppEnv>, seconds: number) =>
  problem(c, 429, "Too many failed authentication attempts from this address; retry later.", {
    code: "auth_throttled",
    headers: { "Retry-After": String(seconds) },
  });

/** 429 when this source already failed too often: checked before any credential is looked up. */
export function refuseThrottledSource(c: Context<AppEnv>): Response | undefined {
  const wait = c.var.services.authFailures.retryAfter(sourceOf(c));
  return wait > 0 ? throttled(c, wait) : undefined;
}

/** Counts a failed authentication; past the limit the answer becomes 429 instead of `refusal`. */
export async function afterAuthFailure(
  c: Context<AppEnv>,
  refusal: () => Response,
): Promise<Response> {
  const wait = await c.var.services.authFailures.failed(sourceOf(c));
  if (wait > 0) {
    c.var.services.metrics.inc("auth_throttled_total", "Sources throttled after failed auth.");
    return throttled(c, wait);
  }
  return refusal();
}

/** Route guard for routes that authenticate in their use case (webhook signatures): 401s count. */
export const throttleAuthFailures: MiddlewareHandler<AppEnv> = async (c, next) => {
  const blocked = refuseThrottledSource(c);
  if (blocked) {
    return blocked;
  }
  await next();
  if (c.res.status === 401) {
    const refused = c.res;
    c.res = await afterAuthFailure(c, () => refused);
  }
};
