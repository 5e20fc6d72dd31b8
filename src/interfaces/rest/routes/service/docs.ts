import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";

/** The OpenAPI document; its reader at /docs is a static page (see web-pages.ts). */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A tenant API key (`ds_…`), or the admin token for `/v1/admin/*`.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Digital Spiral API",
      version: "1.0.0",
      description:
        "Own, query and automate your Jira Cloud data. Errors are RFC 9457 problem+json; " +
        "lists use cursor pagination (`limit`, `cursor` → `nextCursor`).",
    },
    servers: [{ url: "/" }],
  });
}
