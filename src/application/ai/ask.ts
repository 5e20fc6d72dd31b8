import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import { parseQuestion } from "../../domain/ai/question";
import { DomainError, notFound } from "../../domain/errors";
import { Redactor } from "../../domain/pii";
import { describeSqlSchema } from "../sql/describe-schema";
import { SqlQueryError } from "../sql/failure";
import { runSql, type SqlResult } from "../sql/run-sql";
import { type AiCaller, type AiDeps, auditedAiCall, type MeteredClient } from "./ai-call";
import { compileQuestion, describeAnswer, loadVocabulary } from "./ask-builtin";
import { instancePeople } from "./issue-thread";
import { jsonFromAnswer } from "./llm-json";

export interface AskResult {
  answer: string;
  sql: string;
  params: unknown[];
  columns: SqlResult["columns"];
  rows: unknown[][];
}

type AskInput = AiCaller & { instanceId: string; question: string };

const MAX_ROWS = 200;
/** The first try plus at most two corrections (CONTRACT §7). */
const MAX_TRIES = 3;

const unsupported = (detail: string) =>
  new DomainError("unprocessable", detail, [{ path: "question", message: detail }], {
    problemCode: "unsupported_question",
  });

async function ensureInstance(deps: AiDeps, input: AskInput): Promise<void> {
  const found = await deps.db.withTenant(input.tenantId, (tx) =>
    tx
      .select({ id: jiraInstances.id })
      .from(jiraInstances)
      .where(eq(jiraInstances.id, input.instanceId)),
  );
  if (found.length === 0) {
    throw notFound("Instance");
  }
}

async function askBuiltin(deps: AiDeps, input: AskInput): Promise<AskResult> {
  const vocabulary = await loadVocabulary(deps.db, input);
  const parsed = parseQuestion(input.question, vocabulary, Date.now());
  if (!parsed.ok) {
    throw unsupported(parsed.reason);
  }
  const query = compileQuestion(parsed.question, input.instanceId);
  const result = await runSql(
    { db: deps.db, metrics: deps.metrics },
    { tenantId: input.tenantId, query: query.text, params: query.params, maxRows: MAX_ROWS },
  );
  return {
    answer: describeAnswer(parsed.question, result.rows),
    sql: query.text,
    params: query.params,
    columns: result.columns,
    rows: result.rows,
  };
}

/** The documented schema as compact text: what GET /v1/sql/schema says, for the model. */
async function schemaText(deps: AiDeps): Promise<string> {
  const tables = await describeSqlSchema({ db: deps.db });
  return tables
    .map((t) => {
      const columns = t.columns
        .filter((c) => c.name !== "tenant_id" && c.name !== "raw")
        .map((c) => `  ${c.name} ${c.type}${c.description ? ` -- ${c.description}` : ""}`);
      return `${t.kind} ${t.name}${t.description ? ` -- ${t.description}` : ""}\n${columns.join("\n")}`;
    })
    .join("\n");
}

const SYSTEM = (schema: string, instanceId: string) =>
  "You answer questions about a team's Jira data by writing one read-only PostgreSQL SELECT. " +
  `Only these tables and views exist:\n${schema}\n` +
  `Always filter on instance_id = '${instanceId}'. Prefer the v_issues view. People appear as ` +
  "placeholders such as PERSON_3: to filter on one, compare assignee_name (or author_name) " +
  "with the placeholder as a string literal, e.g. assignee_name = 'PERSON_3'. " +
  'Reply with one JSON object only: {"sql": "...", "answer": "one sentence saying what the rows show"}.';

async function askLlm(deps: AiDeps, input: AskInput, llm: MeteredClient): Promise<AskResult> {
  const people = await deps.db.withTenant(input.tenantId, (tx) =>
    instancePeople(tx, input.instanceId),
  );
  const redactor = new Redactor(people);
  const system = SYSTEM(await schemaText(deps), input.instanceId);
  const messages: { role: "user" | "assistant"; content: string }[] = [
    { role: "user", content: redactor.redact(input.question) },
  ];
  let lastError = "the model gave no SQL";
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const completion = await llm.complete({ system, messages, maxTokens: 800 });
    messages.push({ role: "assistant", content: completion.text });
    const parsed = jsonFromAnswer(completion.text);
    const written = typeof parsed?.sql === "string" ? parsed.sql.trim().replace(/;\s*$/, "") : "";
    if (!written) {
      messages.push({
        role: "user",
        content: 'Reply with JSON {"sql": "...", "answer": "..."} only.',
      });
      continue;
    }
    // Names go back into the SQL as escaped literals, so a name with a quote stays one string.
    const query = redactor.restore(written, (name) => name.replaceAll("'", "''"));
    try {
      const result = await runSql(
        { db: deps.db, metrics: deps.metrics },
        { tenantId: input.tenantId, query, params: [], maxRows: MAX_ROWS },
      );
      const answer = typeof parsed?.answer === "string" ? redactor.restore(parsed.answer) : "";
      return {
        answer: answer || `${result.rowCount} row(s).`,
        sql: query,
        params: [],
        columns: result.columns,
        rows: result.rows,
      };
    } catch (error) {
      const refused =
        error instanceof SqlQueryError ||
        (error instanceof DomainError && error.problemCode === "statement_timeout");
      if (!refused) {
        throw error;
      }
      lastError = error.message;
      // The database's reason goes back (redacted like everything else) for a corrected query.
      messages.push({
        role: "user",
        content: `That query failed: ${redactor.redact(error.message)}. Reply with a corrected JSON object.`,
      });
    }
  }
  throw unsupported(`The model could not write a query that runs (${lastError}).`);
}

/** POST /v1/ai/ask: built-in grammar or model-written SQL, always through the SQL reader path. */
export function ask(deps: AiDeps, input: AskInput) {
  return auditedAiCall(
    deps,
    input,
    "ai.ask",
    { type: "instance", id: input.instanceId },
    async (_p, llm) => {
      await ensureInstance(deps, input);
      return { result: llm ? await askLlm(deps, input, llm) : await askBuiltin(deps, input) };
    },
  );
}
