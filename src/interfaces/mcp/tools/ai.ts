import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { type AiCaller, type AiDeps, limitAiCalls } from "../../../application/ai/ai-call";
import { ask } from "../../../application/ai/ask";
import { findSimilarIssues } from "../../../application/ai/similar-issues";
import { summarizeIssue } from "../../../application/ai/summarize-issue";
import { triageDraft, triageIssue } from "../../../application/ai/triage";
import { DomainError } from "../../../domain/errors";
import { guarded, resolveInstance, type ToolContext } from "../context";
import { InstanceIdInput, IssueKeyInput } from "../schemas";

/** Every AI tool answers like its REST twin: who answered (provider, model) and the result. */
const Answer = (result: z.ZodType) =>
  z.looseObject({
    provider: z.enum(["builtin", "openai", "anthropic", "workers-ai"]),
    model: z.string(),
    result,
  });

const Suggestion = z.looseObject({
  value: z.string().nullable(),
  confidence: z.number(),
  evidence: z.array(z.string()).describe("Issue keys relied on, or a reason."),
});

const IssueInput = z.strictObject({ key: IssueKeyInput, instanceId: InstanceIdInput });

const TriageInput = z.strictObject({
  key: IssueKeyInput.optional().describe("A synced issue to triage; or give projectKey + summary."),
  instanceId: InstanceIdInput,
  projectKey: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/)
    .optional(),
  summary: z.string().min(1).max(1000).optional(),
  description: z.string().max(100_000).optional(),
});

const SimilarInput = IssueInput.extend({
  limit: z.number().int().min(1).max(50).default(10),
});

const AskInput = z.strictObject({
  question: z.string().min(1).max(2000).describe("A question about the synced issues."),
  instanceId: InstanceIdInput,
});

async function aiContext(ctx: ToolContext, instanceId?: string) {
  const { services, caller } = ctx;
  const limit = services.config.aiRateLimitPerMinute;
  const allowed = await limitAiCalls(services, caller.tenantId, limit);
  if (!allowed.success) {
    throw new DomainError(
      "rate_limited",
      `AI calls are limited to ${limit} per minute; retry in ${Math.max(1, allowed.resetSeconds)} s.`,
    );
  }
  const deps: AiDeps = {
    db: services.db,
    metrics: services.metrics,
    secretBox: services.secretBox,
    aiBinding: services.bindings.AI,
  };
  const who: AiCaller & { instanceId: string } = {
    tenantId: caller.tenantId,
    actor: `key:${caller.apiKeyId}`,
    requestId: ctx.requestId,
    instanceId: await resolveInstance(ctx, instanceId),
  };
  return { deps, who };
}

const READ_ONLY = { readOnlyHint: true, openWorldHint: true } as const;

export function registerAiTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "summarize_issue",
    {
      title: "Summarise an issue",
      description:
        "Summarise one issue and its comment thread: a short summary, key points and the questions nobody answered yet. Uses the tenant's AI provider (built-in extractive by default); personal data is redacted before any external call. Needs the ai scope.",
      inputSchema: IssueInput,
      outputSchema: Answer(
        z.looseObject({
          summary: z.string(),
          keyPoints: z.array(z.string()),
          openQuestions: z.array(z.string()),
        }),
      ),
      annotations: READ_ONLY,
    },
    guarded(ctx, "ai", async (args: z.infer<typeof IssueInput>) => {
      const { deps, who } = await aiContext(ctx, args.instanceId);
      const answer = await summarizeIssue(deps, { ...who, key: args.key.toUpperCase() });
      return { summary: answer.result.summary, data: { ...answer } };
    }),
  );

  server.registerTool(
    "triage_issue",
    {
      title: "Suggest triage",
      description:
        "Suggest type, priority, labels, components and assignee (account id) for a synced issue (key) or a draft (projectKey + summary [+ description]), each with a confidence and the issues it relied on. Needs the ai scope.",
      inputSchema: TriageInput,
      outputSchema: Answer(
        z.looseObject({
          type: Suggestion,
          priority: Suggestion,
          labels: z.array(Suggestion),
          components: z.array(Suggestion),
          assignee: Suggestion,
        }),
      ),
      annotations: READ_ONLY,
    },
    guarded(ctx, "ai", async (args: z.infer<typeof TriageInput>) => {
      const { deps, who } = await aiContext(ctx, args.instanceId);
      let answer: Awaited<ReturnType<typeof triageIssue>>;
      if (args.key) {
        answer = await triageIssue(deps, { ...who, key: args.key.toUpperCase() });
      } else if (args.projectKey && args.summary) {
        answer = await triageDraft(deps, {
          ...who,
          projectKey: args.projectKey.toUpperCase(),
          summary: args.summary,
          description: args.description ?? "",
        });
      } else {
        throw new DomainError("invalid", "Give either key, or projectKey and summary.", [
          { path: "key", message: "or projectKey + summary" },
        ]);
      }
      const { type, priority } = answer.result;
      return {
        summary: `type ${type.value ?? "?"} (${type.confidence}), priority ${priority.value ?? "?"} (${priority.confidence})`,
        data: { ...answer },
      };
    }),
  );

  server.registerTool(
    "find_similar_issues",
    {
      title: "Find similar issues",
      description:
        "Issues like the given one (likely duplicates first, never the issue itself), by trigram similarity of summaries and full-text match in Postgres. Needs the ai scope.",
      inputSchema: SimilarInput,
      outputSchema: Answer(
        z.array(
          z.looseObject({
            key: z.string(),
            summary: z.string(),
            score: z.number(),
            reason: z.string(),
            likelyDuplicate: z.boolean(),
          }),
        ),
      ),
      annotations: READ_ONLY,
    },
    guarded(ctx, "ai", async (args: z.infer<typeof SimilarInput>) => {
      const { deps, who } = await aiContext(ctx, args.instanceId);
      const answer = await findSimilarIssues(deps, {
        ...who,
        key: args.key.toUpperCase(),
        limit: args.limit,
      });
      return {
        summary:
          answer.result.map((r) => `${r.key} (${r.score})`).join(", ") || "no similar issues",
        data: { ...answer },
      };
    }),
  );

  server.registerTool(
    "ask",
    {
      title: "Ask a question about the issues",
      description:
        "Answer a plain-language question with SQL over the synced data (read-only, your tenant only); returns the answer, the SQL and its rows. The built-in provider understands counts and lists by status, type, priority, assignee, project, label, component and date ranges, plus lead time, cycle time and throughput. Needs the ai scope.",
      inputSchema: AskInput,
      outputSchema: Answer(
        z.looseObject({
          answer: z.string(),
          sql: z.string(),
          params: z.array(z.unknown()),
          columns: z.array(z.looseObject({ name: z.string(), type: z.string() })),
          rows: z.array(z.array(z.unknown())),
        }),
      ),
      annotations: READ_ONLY,
    },
    guarded(ctx, "ai", async (args: z.infer<typeof AskInput>) => {
      const { deps, who } = await aiContext(ctx, args.instanceId);
      const answer = await ask(deps, { ...who, question: args.question });
      return { summary: answer.result.answer, data: { ...answer } };
    }),
  );
}
