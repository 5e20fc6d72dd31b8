import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { AppEnv } from "../rest/app-env";
import { apiKeyAuth, authenticatedKey } from "../rest/middleware/api-key-auth";
import { callerOf, originOf } from "../rest/routes/shared";
import { createMcpServer } from "./server";

/**
 * `/mcp`: the Model Context Protocol over Streamable HTTP, stateless — a new server and transport
 * per POST, answered with JSON (no SSE), so any Worker isolate can serve any request. Auth, rate
 * limits and the body limit are the API's own.
 */
const rpcError = (c: Context<AppEnv>, code: number, message: string) =>
  c.json({ jsonrpc: "2.0", error: { code, message }, id: null }, 400);

export function registerMcp(app: OpenAPIHono<AppEnv>): void {
  app.use("/mcp", apiKeyAuth, authenticatedKey);
  app.post("/mcp", async (c) => {
    // One request is one message: a JSON-RPC batch would run many tool calls for one request's
    // authorisation and rate-limit charge. MCP 2025-06-18 removed batching, so refuse it.
    let message: unknown;
    try {
      message = JSON.parse(await c.req.text());
    } catch {
      return rpcError(c, -32700, "Parse error: the body is not valid JSON.");
    }
    if (Array.isArray(message)) {
      return rpcError(
        c,
        -32600,
        "JSON-RPC batches are not supported (MCP 2025-06-18 removed them): send one message per request.",
      );
    }
    const server = createMcpServer({
      services: c.var.services,
      caller: callerOf(c),
      requestId: c.var.requestId,
      origin: originOf(c),
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    const response = await transport.handleRequest(c.req.raw, { parsedBody: message });
    // Through c.newResponse the headers set by middleware (X-Request-Id) reach the client too.
    return c.newResponse(response.body, response);
  });
  // A stateless server has no stream to open (GET) nor session to end (DELETE); the spec's
  // answer is 405, which clients take as "no server-initiated messages".
  app.on(["GET", "DELETE"], "/mcp", (c) =>
    c.json(
      { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null },
      405,
      { Allow: "POST" },
    ),
  );
}
