import type { JiraInstance } from "../../../../durable-objects/jira-instance";
import { DomainError } from "../../../domain/errors";
import type { Database } from "../../../infrastructure/db/database";
import { recordAudit } from "../../audit/record-audit";
import { type StoredResponse, withIdempotency } from "../../idempotency";
import { instanceStub } from "../../sync/request-sync";
import type { IssueWrite } from "./write-operations";

export interface WriteIssueDeps {
  db: Database;
  instances: DurableObjectNamespace<JiraInstance>;
  /** The stored issue as GET /v1/issues/{key} shows it. */
  readIssue: (instanceId: string, key: string) => Promise<unknown>;
}

export interface WriteIssueInput {
  tenantId: string;
  instanceId: string;
  actor: string;
  requestId: string;
  write: IssueWrite;
  /** Status of a successful write: 201 for create, 200 otherwise. */
  successStatus: number;
  idempotencyKey?: string;
  /** Method, path and body, for idempotency. */
  fingerprint: string;
}

const ACTIONS = {
  create: "issue.create",
  edit: "issue.edit",
  transition: "issue.transition",
  comment: "issue.comment",
} as const;

/**
 * Writes to Jira through the instance's Durable Object (which stores Jira's answer), returns the
 * stored issue, and records the attempt and its outcome in the audit log.
 */
export async function writeIssue(deps: WriteIssueDeps, input: WriteIssueInput) {
  const stub = await instanceStub(deps, input.tenantId, input.instanceId);
  const target = input.write.type === "create" ? input.write.projectKey : input.write.key;
  const audit = (
    outcome: "success" | "failure",
    status: number | undefined,
    details: Record<string, unknown>,
  ) =>
    deps.db.withTenant(input.tenantId, (tx) =>
      recordAudit(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: ACTIONS[input.write.type],
        targetType: "issue",
        targetId: target,
        outcome,
        status,
        requestId: input.requestId,
        details: { instanceId: input.instanceId, ...details },
      }),
    );
  const act = async (): Promise<StoredResponse> => {
    const result = await stub.writeIssue(
      { tenantId: input.tenantId, instanceId: input.instanceId },
      input.write,
    );
    if (!result.ok) {
      throw new DomainError(result.code, result.message, result.errors);
    }
    return {
      status: input.successStatus,
      body: await deps.readIssue(input.instanceId, result.key),
    };
  };
  try {
    const response = input.idempotencyKey
      ? await withIdempotency(
          deps.db,
          { tenantId: input.tenantId, key: input.idempotencyKey, fingerprint: input.fingerprint },
          act,
        )
      : { ...(await act()), replayed: false };
    const key = (response.body as { key?: string } | null)?.key;
    await audit("success", response.status, { key, replayed: response.replayed });
    return response;
  } catch (error) {
    const status = error instanceof DomainError ? error.code : "error";
    await audit("failure", undefined, { error: status }).catch(() => {});
    throw error;
  }
}
