import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import { DomainError, invalid, notFound } from "../../domain/errors";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
import { sha256Hex } from "../../infrastructure/crypto/tokens";
import type { Database } from "../../infrastructure/db/database";
import type { WebhookEventMessage } from "../../interfaces/queue/messages";
import { webhookSecretOf } from "./instance-connection";

export interface ReceiveWebhookDeps {
  db: Database;
  secretBox: SecretBox;
  enqueue: (message: WebhookEventMessage) => Promise<void>;
  /** After the durable enqueue: apply at once, in the background (latency; the queue is the guarantee). */
  applySoon: (message: WebhookEventMessage) => void;
  onRejected: (instanceId: string) => Promise<void>;
}

export interface ReceiveWebhookInput {
  instanceId: string;
  rawBody: string;
  /** `X-Hub-Signature: sha256=<hex>` */
  signature: string | undefined;
  /** `X-Atlassian-Webhook-Identifier`, stable across Jira's retries. */
  deliveryId: string | undefined;
}

const encoder = new TextEncoder();

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function signatureMatches(expectedHex: string, header: string | undefined): boolean {
  const given = header
    ?.trim()
    .match(/^sha256=([0-9a-fA-F]{64})$/)?.[1]
    ?.toLowerCase();
  if (!given) {
    return false;
  }
  return crypto.subtle.timingSafeEqual(encoder.encode(given), encoder.encode(expectedHex));
}

const pick = (value: unknown, keys: readonly string[]): Record<string, unknown> | undefined => {
  if (!value || typeof value !== "object") {
    return undefined;
  }
  const source = value as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]));
};

/**
 * What the sync engine needs of a delivery: the event and the ids it touches (the issue is
 * re-read from Jira anyway). Keeps queue messages far below the 128 KB limit whatever the issue's
 * size, and keeps descriptions and comment bodies out of the queue.
 */
function essentials(payload: Record<string, unknown>): Record<string, unknown> {
  const issue = pick(payload.issue, ["id", "key"]);
  const fields = pick((payload.issue as { fields?: unknown } | undefined)?.fields, ["updated"]);
  return {
    webhookEvent: payload.webhookEvent,
    timestamp: payload.timestamp,
    issue: issue ? { ...issue, fields } : undefined,
    comment: pick(payload.comment, ["id"]),
    issueLink: pick(payload.issueLink, ["id", "sourceIssueId", "destinationIssueId"]),
    user: pick(payload.user, ["accountId"]),
  };
}

/**
 * A Jira delivery: unknown instance → 404, bad signature → 401 (counted, nothing applied),
 * malformed JSON → 400; otherwise durably queued for the instance's Durable Object.
 */
export async function receiveWebhook(deps: ReceiveWebhookDeps, input: ReceiveWebhookInput) {
  const [instance] = await deps.db.withSystem((tx) =>
    tx
      .select({ tenantId: jiraInstances.tenantId })
      .from(jiraInstances)
      .where(eq(jiraInstances.id, input.instanceId)),
  );
  if (!instance) {
    throw notFound("Jira instance");
  }
  const scope = { tenantId: instance.tenantId, instanceId: input.instanceId };
  const secret = await webhookSecretOf(deps, scope);
  if (secret && !signatureMatches(await hmacHex(secret, input.rawBody), input.signature)) {
    await deps.onRejected(input.instanceId);
    throw new DomainError("unauthorized", "The X-Hub-Signature does not match the body.");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(input.rawBody);
  } catch {
    throw invalid("The body is not valid JSON.");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) {
    throw invalid("The body must be a JSON object (a Jira webhook event).");
  }
  const deliveryId = input.deliveryId?.slice(0, 200) || `body:${await sha256Hex(input.rawBody)}`;
  const message: WebhookEventMessage = {
    type: "webhook",
    ...scope,
    deliveryId,
    receivedAt: new Date().toISOString(),
    payload: essentials(payload as Record<string, unknown>),
  };
  await deps.enqueue(message);
  deps.applySoon(message);
  return { accepted: true as const, deliveryId };
}
