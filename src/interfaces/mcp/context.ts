import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { listInstances } from "../../application/instances/read-instances";
import { DomainError, type DomainErrorCode, invalid } from "../../domain/errors";
import type { Scope } from "../../domain/scopes";
import type { Services } from "../../infrastructure/services";
import type { Caller } from "../rest/app-env";

/** Everything a tool may use: the request's services and who is calling (the key decides the tenant). */
export interface ToolContext {
  services: Services;
  caller: Caller;
  requestId: string;
  /** Public origin of this deployment, for the URLs instances show. */
  origin: string;
}

/** What a tool returns: a one-line digest for people and the structured result for programs. */
export interface ToolOutput {
  summary: string;
  data: Record<string, unknown>;
}

const LABELS: Record<DomainErrorCode, string> = {
  not_found: "Not found",
  conflict: "Conflict",
  invalid: "Invalid input",
  unprocessable: "Refused",
  forbidden: "Forbidden",
  unauthorized: "Unauthorized",
  rate_limited: "Rate limited",
  upstream_unavailable: "Jira is unavailable; retry later",
  timeout: "Timed out",
};

export const toolError = (text: string): CallToolResult => ({
  content: [{ type: "text", text }],
  isError: true,
});

/**
 * A tool error an assistant can act on: what went wrong and each bad field. No structured content:
 * a client checks that against the tool's output schema, which describes success only.
 */
export function domainToolError(error: DomainError): CallToolResult {
  const fields = error.errors.map((e) => `- ${e.path}: ${e.message}`);
  return toolError([`${LABELS[error.code]}: ${error.message}`, ...fields].join("\n"));
}

/**
 * Wraps a tool body: checks the key's scope, runs it, and turns every failure into a tool error
 * (`isError: true`) so the assistant sees why; unexpected errors are logged, never shown.
 *
 * @example
 * server.registerTool("get_issue", config, guarded(ctx, "read", (args) => getIssueTool(ctx, args)));
 */
export function guarded<A>(
  ctx: ToolContext,
  scope: Scope,
  run: (args: A) => Promise<ToolOutput>,
): (args: A) => Promise<CallToolResult> {
  return async (args) => {
    if (!ctx.caller.scopes.includes(scope)) {
      return toolError(
        `Forbidden: this tool needs an API key with the "${scope}" scope; this key has ` +
          `${ctx.caller.scopes.map((s) => `"${s}"`).join(", ") || "no scopes"}.`,
      );
    }
    try {
      const { summary, data } = await run(args);
      return {
        content: [
          { type: "text", text: summary },
          // Clients that ignore structured content still get the whole result.
          { type: "text", text: JSON.stringify(data) },
        ],
        structuredContent: data,
      };
    } catch (error) {
      if (error instanceof DomainError) {
        return domainToolError(error);
      }
      ctx.services.logger.error("mcp tool failed", {
        requestId: ctx.requestId,
        error: error instanceof Error ? { name: error.name, message: error.message } : "unknown",
      });
      return toolError(
        `An unexpected error occurred (request id ${ctx.requestId}); retry, or report it with the id.`,
      );
    }
  };
}

/**
 * The instance a tool acts on: the one given, else the tenant's only instance. With several, the
 * error lists them so the assistant can pick (ids of the caller's tenant only).
 */
export async function resolveInstance(ctx: ToolContext, instanceId?: string): Promise<string> {
  if (instanceId) {
    return instanceId;
  }
  const page = await listInstances(ctx.services, {
    tenantId: ctx.caller.tenantId,
    origin: ctx.origin,
    limit: 20,
  });
  const [only] = page.items;
  if (only && page.items.length === 1) {
    return only.id;
  }
  if (!only) {
    throw invalid("No Jira instance is connected yet (POST /v1/instances connects one).");
  }
  throw invalid("This tenant has several Jira instances: pass instanceId.", [
    {
      path: "instanceId",
      message: `one of ${page.items.map((i) => `${i.id} (${i.name}, ${i.baseUrl})`).join("; ")}`,
    },
  ]);
}
