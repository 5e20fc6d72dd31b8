import type { AdfDocument } from "../../../domain/adf";
import { DomainError, type DomainErrorCode, type FieldError } from "../../../domain/errors";
import { isJiraError } from "../../../infrastructure/jira";
import type { SyncContext } from "../../sync/context";
import { FULL_ISSUE, storeIssues } from "../../sync/store-issues";

/** A write to Jira, as the API accepts it and the instance's Durable Object performs it. */
export type IssueWrite =
  | {
      type: "create";
      projectKey: string;
      issueType: string;
      summary: string;
      description?: AdfDocument | string;
      fields?: Record<string, unknown>;
    }
  | {
      type: "edit";
      key: string;
      fields: Record<string, unknown>;
      update?: Record<string, unknown[]>;
    }
  | { type: "transition"; key: string; transition: string }
  | { type: "comment"; key: string; body: AdfDocument | string };

export type IssueWriteResult =
  | { ok: true; key: string }
  | { ok: false; code: DomainErrorCode; message: string; errors: FieldError[] };

/** Jira's refusals become 422s that name the fields; a missing issue is a 404. */
function jiraRefusal(error: unknown): never {
  if (isJiraError(error) && (error.kind === "invalid" || error.kind === "not_found")) {
    if (error.kind === "not_found") {
      throw new DomainError("not_found", "Jira has no such issue (or it is not visible to us).");
    }
    const errors: FieldError[] = [
      ...Object.entries(error.errors).map(([field, message]) => ({
        path: `fields.${field}`,
        message,
      })),
      ...error.errorMessages.map((message) => ({ path: "(root)", message })),
    ];
    throw new DomainError("unprocessable", "Jira refused the change.", errors);
  }
  throw error;
}

async function resolveTransition(ctx: SyncContext, key: string, wanted: string): Promise<string> {
  const transitions = await ctx.jira.getTransitions(key);
  const match =
    transitions.find((t) => t.id === wanted) ??
    transitions.find((t) => String(t.name ?? "").toLowerCase() === wanted.toLowerCase()) ??
    transitions.find((t) => String(t.to?.name ?? "").toLowerCase() === wanted.toLowerCase());
  if (!match) {
    const available = transitions.map((t) => `${t.name} (${t.id})`).join(", ") || "none";
    throw new DomainError("unprocessable", `No transition "${wanted}" from the issue's status.`, [
      { path: "transition", message: `available: ${available}` },
    ]);
  }
  return match.id;
}

/**
 * Performs the write in Jira, then re-reads the issue and stores Jira's answer, so a read right
 * after the write sees it. Returns the issue's key.
 */
export async function performIssueWrite(ctx: SyncContext, write: IssueWrite): Promise<string> {
  let key: string;
  try {
    if (write.type === "create") {
      const { type: _type, ...input } = write;
      key = (await ctx.jira.createIssue(input)).key;
    } else if (write.type === "edit") {
      key = write.key;
      await ctx.jira.editIssue(key, { fields: write.fields, update: write.update });
    } else if (write.type === "transition") {
      key = write.key;
      await ctx.jira.transitionIssue(key, await resolveTransition(ctx, key, write.transition));
    } else {
      key = write.key;
      await ctx.jira.addComment(key, write.body);
    }
  } catch (error) {
    jiraRefusal(error);
  }
  const issue = await ctx.jira.getIssue(key, FULL_ISSUE);
  await storeIssues(ctx, [issue]);
  return issue.key ?? key;
}
