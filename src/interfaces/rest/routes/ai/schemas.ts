import { z } from "@hono/zod-openapi";

const Model = z.string().min(1).max(200).openapi({ example: "gpt-4o-mini" });
const ApiKey = z
  .string()
  .min(1)
  .max(500)
  .openapi({ description: "Stored encrypted; never returned." });
const BaseUrl = z.string().max(500).optional().openapi({
  description: "The vendor's default when left out. Loopback http:// only in development.",
  example: "https://api.openai.com/v1",
});

export const ProviderBody = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("builtin") }),
    z.object({ type: z.literal("openai"), baseUrl: BaseUrl, apiKey: ApiKey, model: Model }),
    z.object({ type: z.literal("anthropic"), baseUrl: BaseUrl, apiKey: ApiKey, model: Model }),
    z.object({ type: z.literal("workers-ai"), model: Model }),
  ])
  .openapi("AiProviderSetting");

export const ProviderSchema = z
  .object({
    type: z.enum(["builtin", "openai", "anthropic", "workers-ai"]),
    baseUrl: z.string().nullable(),
    model: z.string().nullable(),
    hasApiKey: z.boolean().openapi({ description: "Whether a key is stored (it is never shown)." }),
    updatedAt: z.string().nullable(),
  })
  .openapi("AiProvider");

/** Every AI answer: who answered, and the result. */
export const answerOf = <T extends z.ZodType>(result: T, name: string) =>
  z
    .object({
      provider: z.enum(["builtin", "openai", "anthropic", "workers-ai"]),
      model: z.string(),
      result,
    })
    .openapi(name);

export const IssueAiBody = z
  .object({ instanceId: z.uuid().openapi({ example: "9b2f0c1e-8f55-4a43-9d5d-0b8a3c1f2e44" }) })
  .openapi("AiIssueRequest");

export const SummaryResult = z.object({
  summary: z.string(),
  keyPoints: z.array(z.string()),
  openQuestions: z.array(z.string()).openapi({ description: "Questions nobody answered yet." }),
});

const Suggestion = z
  .object({
    value: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    evidence: z.array(z.string()).openapi({ description: "Issue keys relied on, or a reason." }),
  })
  .openapi("AiSuggestion");

export const TriageResult = z.object({
  type: Suggestion,
  priority: Suggestion,
  labels: z.array(Suggestion),
  components: z.array(Suggestion),
  assignee: Suggestion.openapi({ description: "value: the Jira account id." }),
});

export const TriageDraftBody = z
  .object({
    instanceId: z.uuid(),
    projectKey: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/, "a project key such as PROJ"),
    summary: z.string().min(1).max(1000),
    description: z.string().max(100_000).default(""),
  })
  .openapi("AiTriageDraft");

export const SimilarResult = z.array(
  z.object({
    key: z.string(),
    summary: z.string(),
    score: z.number().min(0).max(1),
    reason: z.string(),
    likelyDuplicate: z.boolean(),
  }),
);

export const AskBody = z
  .object({
    instanceId: z.uuid(),
    question: z
      .string()
      .min(1)
      .max(2000)
      .refine((q) => !q.includes("\u0000"), "The question contains a NUL character.")
      .openapi({ example: "How many open bugs in project WEB by assignee?" }),
  })
  .openapi("AiAskRequest");

export const AskResult = z.object({
  answer: z.string(),
  sql: z.string().openapi({ description: "The query that ran (read-only, your tenant only)." }),
  params: z.array(z.unknown()),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
});
