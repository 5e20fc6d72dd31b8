import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { issues, jiraInstances } from "../../../drizzle/schema";
import {
  type Suggestion,
  type TriageExample,
  TriageModel,
  type TriageSuggestions,
} from "../../domain/ai/classifier";
import { notFound } from "../../domain/errors";
import { type KnownPerson, Redactor } from "../../domain/pii";
import type { Database } from "../../infrastructure/db/database";
import { type AiCaller, type AiDeps, auditedAiCall, type MeteredClient } from "./ai-call";
import { instancePeople, loadIssueThread } from "./issue-thread";
import { jsonFromAnswer } from "./llm-json";

/** The most recent issues are the best guide to how a team triages today. */
const MAX_EXAMPLES = 3000;
/** Below this many issues in the project, the whole site's history is used. */
const MIN_PROJECT_EXAMPLES = 20;
const TEXT_CHARS = 2000;

export interface TriageDraft {
  projectKey: string;
  summary: string;
  description: string;
}

async function loadExamples(
  db: Database,
  input: { tenantId: string; instanceId: string; projectKey: string; excludeKey?: string },
): Promise<{ examples: TriageExample[]; people: KnownPerson[] }> {
  return db.withTenant(input.tenantId, async (tx) => {
    const [instance] = await tx
      .select({ id: jiraInstances.id })
      .from(jiraInstances)
      .where(eq(jiraInstances.id, input.instanceId));
    if (!instance) {
      throw notFound("Instance");
    }
    const select = (project: string | undefined) =>
      tx
        .select({
          key: issues.key,
          text: sql<string>`${issues.summary} || ' ' || left(${issues.descriptionText}, ${TEXT_CHARS})`,
          type: issues.issueType,
          priority: issues.priority,
          assignee: issues.assigneeAccountId,
          labels: issues.labels,
          components: issues.components,
        })
        .from(issues)
        .where(
          and(
            eq(issues.instanceId, input.instanceId),
            isNull(issues.deletedAt),
            ne(issues.key, input.excludeKey ?? ""),
            project === undefined ? undefined : eq(issues.projectKey, project),
          ),
        )
        .orderBy(desc(issues.updated))
        .limit(MAX_EXAMPLES);
    let examples = await select(input.projectKey);
    if (examples.length < MIN_PROJECT_EXAMPLES) {
      examples = await select(undefined);
    }
    return { examples, people: await instancePeople(tx, input.instanceId) };
  });
}

const distinct = (values: (string | null)[]) =>
  [...new Set(values.filter((v): v is string => v !== null && v !== ""))].slice(0, 60);

const SYSTEM =
  "You triage Jira issues. Choose values only from the allowed lists. People appear as " +
  "placeholders such as PERSON_3; answer with the placeholder. Reply with one JSON object only: " +
  '{"type": {"value": "...", "confidence": 0.0-1.0, "reason": "..."}, "priority": {…}, ' +
  '"assignee": {…}, "labels": [{…}], "components": [{…}]}. Use null for a value you cannot judge.';

function pick(
  raw: unknown,
  allowed: readonly string[],
  map: (value: string) => string | undefined = (v) => v,
): Suggestion | undefined {
  if (typeof raw !== "object" || raw === null) {
    return undefined;
  }
  const { value, confidence, reason } = raw as Record<string, unknown>;
  if (typeof value !== "string" || !allowed.includes(value)) {
    return undefined;
  }
  const mapped = map(value);
  if (mapped === undefined) {
    return undefined;
  }
  const c = typeof confidence === "number" && confidence >= 0 && confidence <= 1 ? confidence : 0.5;
  return {
    value: mapped,
    confidence: c,
    evidence: [typeof reason === "string" ? reason.slice(0, 200) : "model"],
  };
}

const none: Suggestion = {
  value: null,
  confidence: 0,
  evidence: ["the model gave no usable value"],
};

async function llmTriage(
  llm: MeteredClient,
  draft: TriageDraft,
  examples: readonly TriageExample[],
  people: readonly KnownPerson[],
): Promise<TriageSuggestions> {
  const redactor = new Redactor(people);
  const allowed = {
    type: distinct(examples.map((e) => e.type)),
    priority: distinct(examples.map((e) => e.priority)),
    labels: distinct(examples.flatMap((e) => e.labels)),
    components: distinct(examples.flatMap((e) => e.components)),
    assignee: distinct(examples.map((e) => e.assignee)).map(
      (id) => redactor.placeholderOf(id) ?? redactor.redact(id),
    ),
  };
  const prompt = [
    `Project ${draft.projectKey}. Title: ${redactor.redact(draft.summary)}`,
    `Description:\n${redactor.redact(draft.description || "(none)").slice(0, 12_000)}`,
    `Allowed values: ${JSON.stringify(allowed)}`,
  ].join("\n");
  const answer = await llm.complete({
    system: SYSTEM,
    messages: [{ role: "user", content: prompt }],
    maxTokens: 500,
  });
  const parsed = jsonFromAnswer(answer.text) ?? {};
  const many = (raw: unknown, list: readonly string[]) =>
    Array.isArray(raw) ? raw.flatMap((item) => pick(item, list) ?? []).slice(0, 5) : [];
  return {
    type: pick(parsed.type, allowed.type) ?? none,
    priority: pick(parsed.priority, allowed.priority) ?? none,
    labels: many(parsed.labels, allowed.labels),
    components: many(parsed.components, allowed.components),
    assignee: pick(parsed.assignee, allowed.assignee, (p) => redactor.accountIdOf(p)) ?? none,
  };
}

async function triage(
  deps: AiDeps,
  input: AiCaller & { instanceId: string },
  draft: TriageDraft,
  llm: MeteredClient | undefined,
  excludeKey?: string,
): Promise<{ result: TriageSuggestions }> {
  const { examples, people } = await loadExamples(deps.db, {
    tenantId: input.tenantId,
    instanceId: input.instanceId,
    projectKey: draft.projectKey,
    excludeKey,
  });
  if (llm) {
    return { result: await llmTriage(llm, draft, examples, people) };
  }
  const model = new TriageModel(examples);
  return { result: model.suggest(`${draft.summary} ${draft.description.slice(0, TEXT_CHARS)}`) };
}

/** Suggestions for a synced issue, learned from the site's other issues. */
export function triageIssue(deps: AiDeps, input: AiCaller & { instanceId: string; key: string }) {
  return auditedAiCall(
    deps,
    input,
    "ai.triage",
    { type: "issue", id: input.key },
    async (_p, llm) => {
      const { thread } = await loadIssueThread(deps.db, input);
      const draft = {
        projectKey: thread.projectKey,
        summary: thread.summary,
        description: thread.description,
      };
      return triage(deps, input, draft, llm, thread.key);
    },
  );
}

/** Suggestions for an issue not yet in Jira. */
export function triageDraft(deps: AiDeps, input: AiCaller & { instanceId: string } & TriageDraft) {
  return auditedAiCall(
    deps,
    input,
    "ai.triage_draft",
    { type: "project", id: input.projectKey },
    (_p, llm) => triage(deps, input, input, llm),
  );
}
