import {
  type ExtractiveSummary,
  summarizeThread,
  type ThreadEntry,
} from "../../domain/ai/summarize";
import { Redactor } from "../../domain/pii";
import type { ProviderType } from "../../infrastructure/ai/provider";
import { type AiCaller, type AiDeps, auditedAiCall } from "./ai-call";
import { type IssueThread, loadIssueThread } from "./issue-thread";
import { jsonFromAnswer, stringsOf } from "./llm-json";

const SYSTEM =
  "You summarise Jira issues for busy engineers. People appear as placeholders such as " +
  "PERSON_3 and removed data as [EMAIL], [PHONE], [API_KEY]…: keep them exactly as written. " +
  'Reply with one JSON object only: {"summary": "two sentences at most", "keyPoints": ' +
  '["at most 5 short points"], "openQuestions": ["questions in the thread nobody answered"]}.';

const entriesOf = (thread: IssueThread): ThreadEntry[] => [
  { author: thread.reporter, text: thread.description },
  ...thread.comments,
];

/** The issue as the model sees it: every free text passes the redactor. */
export function issuePrompt(thread: IssueThread, redactor: Redactor): string {
  const who = (accountId: string | null) =>
    accountId ? (redactor.placeholderOf(accountId) ?? redactor.redact(accountId)) : "someone";
  const lines = [
    `Issue ${thread.key} (${thread.type ?? "issue"}, ${thread.status ?? "no status"}, priority ${thread.priority ?? "none"})`,
    `Title: ${redactor.redact(thread.summary)}`,
    `Reporter: ${who(thread.reporter)}; assignee: ${thread.assignee ? who(thread.assignee) : "nobody"}`,
    "Description:",
    redactor.redact(thread.description || "(none)"),
    ...thread.comments.map(
      (c, i) => `Comment ${i + 1} by ${who(c.author)}:\n${redactor.redact(c.text)}`,
    ),
  ];
  return lines.join("\n").slice(0, 24_000);
}

export async function summarizeIssue(
  deps: AiDeps,
  input: AiCaller & { instanceId: string; key: string },
): Promise<{ provider: ProviderType; model: string; result: ExtractiveSummary }> {
  return auditedAiCall(
    deps,
    input,
    "ai.summary",
    { type: "issue", id: input.key },
    async (_p, llm) => {
      const { thread, people } = await loadIssueThread(deps.db, input);
      if (!llm) {
        return { result: summarizeThread(thread.summary, entriesOf(thread)) };
      }
      const redactor = new Redactor(people);
      const answer = await llm.complete({
        system: SYSTEM,
        messages: [{ role: "user", content: issuePrompt(thread, redactor) }],
        maxTokens: 600,
      });
      const parsed = jsonFromAnswer(answer.text);
      const restore = (text: string) => redactor.restore(text);
      return {
        result: {
          summary: restore(
            typeof parsed?.summary === "string" ? parsed.summary : answer.text.trim(),
          ),
          keyPoints: stringsOf(parsed?.keyPoints, 8).map(restore),
          openQuestions: stringsOf(parsed?.openQuestions, 8).map(restore),
        },
      };
    },
  );
}
