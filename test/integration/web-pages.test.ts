import { describe, expect, it } from "vitest";
import { call } from "../helpers/http";

/** Every src= and href= of a page: all must stay on this origin (no CDN). */
function references(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? "");
}

describe("browser pages served by the Worker", () => {
  it("GET /app serves the dashboard under a strict CSP", async () => {
    for (const path of ["/app", "/app/"]) {
      const res = await call("GET", path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain("unsafe");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const html = await res.text();
      expect(html).toContain('type="password"');
      // No inline script: every <script> loads a file of this origin.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      // Same-origin paths, fragments, and the empty data: favicon (no request at all).
      expect(references(html).filter((ref) => !/^(\/|#|data:,$)/.test(ref))).toEqual([]);
    }
  });

  it("serves the dashboard's bundle and stylesheet, with uPlot inside", async () => {
    const js = await call("GET", "/app/app.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect(await js.text()).toContain("uplot");
    const css = await call("GET", "/app/app.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await css.text()).toContain(".uplot");
  });

  it("GET /docs loads Scalar from this origin, never from a CDN", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    expect(references(html)).toEqual([
      "data:,",
      "/openapi.json",
      "/docs/scalar.js",
      "/docs/docs.js",
    ]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const scalar = await call("GET", "/docs/scalar.js");
    expect(scalar.status).toBe(200);
    expect((await scalar.text()).length).toBeGreaterThan(1_000_000);
    const init = await call("GET", "/docs/docs.js");
    expect(await init.text()).toContain("/openapi.json");
  });

  it("anything else under /app or /docs is a 404 problem, not a file", async () => {
    for (const path of [
      "/app/index.html",
      "/app/missing.js",
      "/app/../wrangler.toml",
      "/docs/x.map",
    ]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    // The asset layer never answers by itself: a built file outside the routes is not served.
    expect((await call("GET", "/docs/index.html")).status).toBe(404);
  });
});
