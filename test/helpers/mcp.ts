import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

/** An MCP client (the official SDK's) on the Worker's real fetch entry point, authenticated with `token`. */
export async function connectMcp(token: string): Promise<Client> {
  const client = new Client({ name: "ds-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("http://ds.test/mcp"), {
    fetch: (input, init) => {
      const request = new Request(input, init);
      request.headers.set("authorization", `Bearer ${token}`);
      return exports.default.fetch(request);
    },
  });
  await client.connect(transport);
  return client;
}

export interface ToolResult {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export const textOf = (result: ToolResult) => result.content.map((c) => c.text ?? "").join("\n");

export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}
