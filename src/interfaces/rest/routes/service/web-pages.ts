import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { notFound } from "../../errors";

/**
 * The browser pages, /app (dashboard) and /docs (API reference), are static files built into
 * dist-web/ (scripts/build-web.ts) and read through the ASSETS binding. The Worker serves them so
 * every page carries a strict Content-Security-Policy: scripts only from this origin, no inline
 * script, requests only to this origin. Nothing is loaded from a CDN.
 */
const COMMON_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** The dashboard styles itself from its own stylesheet only. */
export const APP_CSP = [...COMMON_CSP, "style-src 'self'"].join("; ");
/** Scalar's bundle injects its stylesheet as <style> elements (styles only; never scripts). */
export const DOCS_CSP = [...COMMON_CSP, "style-src 'self' 'unsafe-inline'"].join("; ");

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

async function serveAsset(c: Context<AppEnv>, assetPath: string, csp: string): Promise<Response> {
  const url = new URL(assetPath, c.req.url);
  const asset = await c.env.ASSETS.fetch(new Request(url, { headers: c.req.raw.headers }));
  if (asset.status === 404) {
    return notFound(c);
  }
  const response = new Response(asset.body, asset);
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    response.headers.set(name, value);
  }
  // The HTML names its scripts without a content hash: revalidate (ETag) rather than cache blindly.
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

/** A script or stylesheet of the page's folder; anything else (paths, other files) is a 404. */
const ASSET_FILE = /^[A-Za-z0-9_-]+\.(?:js|css)$/;

function serveFile(c: Context<AppEnv>, folder: "app" | "docs", csp: string) {
  const file = c.req.param("file") ?? "";
  return ASSET_FILE.test(file) ? serveAsset(c, `/${folder}/${file}`, csp) : notFound(c);
}

export function registerWebPages(app: OpenAPIHono<AppEnv>): void {
  app.get("/app", (c) => serveAsset(c, "/app/index.html", APP_CSP));
  app.get("/app/", (c) => serveAsset(c, "/app/index.html", APP_CSP));
  app.get("/app/:file", (c) => serveFile(c, "app", APP_CSP));
  app.get("/docs", (c) => serveAsset(c, "/docs/index.html", DOCS_CSP));
  app.get("/docs/:file", (c) => serveFile(c, "docs", DOCS_CSP));
}
