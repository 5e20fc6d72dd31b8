import type { MiddlewareHandler } from "hono";
import { tokensEqual } from "../../../infrastructure/crypto/tokens";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";
import { afterAuthFailure, refuseThrottledSource } from "./auth-throttle";

export const bearerToken = (header: string | undefined) =>
  header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];

/** `/v1/admin/*`: the admin token, compared in constant time. */
export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const blocked = refuseThrottledSource(c);
  if (blocked) {
    return blocked;
  }
  const token = bearerToken(c.req.header("authorization"));
  if (!token || !(await tokensEqual(token, c.var.services.config.adminToken))) {
    return afterAuthFailure(c, () =>
      problem(c, 401, "The admin token is missing or wrong.", {
        headers: { "WWW-Authenticate": 'Bearer realm="admin"' },
      }),
    );
  }
  await next();
};
