import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../../app-env";

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
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Digital Spiral API" }));
}
