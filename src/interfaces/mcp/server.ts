import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ToolContext } from "./context";
import { registerFlowTools } from "./tools/flow";
import { registerAiTools } from "./tools/ai";
import { registerInstanceTools } from "./tools/instances";
import { registerIssueReadTools } from "./tools/issues-read";
import { registerIssueWriteTools } from "./tools/issues-write";
import { registerSearchIssues } from "./tools/search-issues";
import { registerSqlTools } from "./tools/sql";

export const MCP_SERVER_INFO = { name: "digital-spiral", version: "0.1.0" } as const;

const INSTRUCTIONS =
  "Tools over the Jira Cloud data synced for your tenant. Start with list_instances (instance ids) " +
  "and list_projects (project keys); search_issues and get_issue read the synced issues; " +
  "create_issue, update_issue, transition_issue and add_comment write to Jira itself; run_sql " +
  "answers aggregate questions (see get_sql_schema); get_flow_metrics gives lead/cycle time, " +
  "throughput and WIP. Every tool is listed whatever the API key " +
  "may do: one the key lacks the scope for answers with an error naming the scope.";

/**
 * An MCP server bound to one caller: the tools close over the caller's tenant, so no argument
 * can reach another tenant's data. Built per request (the transport is stateless).
 */
export function createMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, {
    capabilities: { tools: {} },
    instructions: INSTRUCTIONS,
  });
  registerInstanceTools(server, ctx);
  registerSearchIssues(server, ctx);
  registerIssueReadTools(server, ctx);
  registerIssueWriteTools(server, ctx);
  registerSqlTools(server, ctx);
  registerFlowTools(server, ctx);
  registerAiTools(server, ctx);
  return server;
}
