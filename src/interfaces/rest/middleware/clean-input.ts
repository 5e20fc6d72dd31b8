import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";

/**
 * Refuses what no valid request contains before any handler sees it: percent-encoding that is not
 * UTF-8, and NUL characters in the path or query (Postgres text cannot hold them, and no Jira
 * value has one). A 400 naming where, instead of a failure deep inside.
 */
export const cleanInput: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = c.req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const target = start < 0 ? "" : url.slice(start);
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.replaceAll("+", " "));
  } catch {
    return problem(c, 400, "The URL is not valid UTF-8 once percent-decoded.", {
      errors: [{ path: "(url)", message: "invalid percent-encoding or UTF-8" }],
    });
  }
  if (decoded.includes("\u0000")) {
    return problem(c, 400, "The URL contains a NUL character.", {
      errors: [{ path: "(url)", message: "NUL (%00) is not allowed" }],
    });
  }
  await next();
};
