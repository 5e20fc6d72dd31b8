import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getIssue } from "../../../../application/issues/get-issue";
import { writeIssue } from "../../../../application/issues/writes/write-issue";
import type { IssueWrite } from "../../../../application/issues/writes/write-operations";
import type { AppEnv } from "../../app-env";
import { errorResponses } from "../../openapi";
import { actorOf, callerOf, idempotencyOf } from "../shared";

export { IdempotencyHeaders } from "../shared";

/** The errors every write may answer with, besides its success. */
export const writeErrorResponses = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
  409: errorResponses[409],
  422: errorResponses[422],
  503: errorResponses[503],
} as const;

/** ADF document or plain text (converted to ADF). */
export const RichText = z
  .union([z.string().min(1).max(100_000), z.looseObject({ type: z.literal("doc") })])
  .openapi({ description: "Plain text, or an Atlassian Document Format document" });

/**
 * Runs an issue write through the instance's Durable Object, with `Idempotency-Key` support and
 * an audit record, and answers with the stored issue as GET /v1/issues/{key} shows it.
 */
export async function respondToWrite(
  c: Context<AppEnv>,
  input: { instanceId: string; write: IssueWrite; successStatus: 200 | 201; body: unknown },
): Promise<Response> {
  const caller = callerOf(c);
  const { services } = c.var;
  const response = await writeIssue(
    {
      db: services.db,
      instances: services.bindings.JIRA_INSTANCE,
      readIssue: async (instanceId, key) => {
        const document = await getIssue(services, {
          access: { tenantId: caller.tenantId },
          instanceId,
          key,
          include: { comments: false, changelog: false },
        });
        return JSON.parse(document.body) as unknown;
      },
    },
    {
      tenantId: caller.tenantId,
      instanceId: input.instanceId,
      actor: actorOf(caller),
      requestId: c.var.requestId,
      write: input.write,
      successStatus: input.successStatus,
      ...idempotencyOf(c, input.body),
    },
  );
  return c.json(response.body, response.status as 200 | 201, {
    ...(response.replayed ? { "Idempotent-Replayed": "true" } : {}),
  });
}
