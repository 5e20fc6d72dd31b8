import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import { DomainError, invalid, notFound } from "../../domain/errors";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
import type { Database } from "../../infrastructure/db/database";
import type { WebhookEventMessage } from "../../interfaces/queue/messages";
import { webhookSecretOf } from "./instance-connection";
import { knownWebhookEvent, WEBHOOK_MAX_AGE_MS } from "./webhook-events";

export interface ReceiveWebhookDeps {
  db: Database;
  secretBox: SecretBox;
  enqueue: (message: WebhookEventMessage) => Promise<void>;
  /** After the durable enqueue: apply at once, in the background (latency; the queue is the guarantee). */
  applySoon: (message: WebhookEventMessage) => void;
  onRejected: (instanceId: string) => Promise<void>;
  now?: () => number;
}

export interface ReceiveWebhookInput {
  instanceId: string;
  /** The body exactly as received: the signature covers these bytes, not a decoding of them. */
  rawBody: Uint8Array;
  /** `X-Hub-Signature: sha256=<hex>` */
  signature: string | undefined;
  /** `X-Atlassian-Webhook-Identifier`, stable across Jira's retries. */
  deliveryId: string | undefined;
}

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function hmacHex(secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hex(await crypto.subtle.sign("HMAC", key, body));
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
 * What the sync engine needs of a delivery: the event and the ids it touches. Nothing else is
 * trusted (no payload time becomes a stored version: issues are re-read from Jira), and it keeps
 * queue messages far below the 128 KB limit whatever the issue's size.
 */
function essentials(payload: Record<string, unknown>, event: string): Record<string, unknown> {
  return {
    webhookEvent: event,
    issue: pick(payload.issue, ["id", "key"]),
    comment: pick(payload.comment, ["id"]),
    issueLink: pick(payload.issueLink, ["id", "sourceIssueId", "destinationIssueId"]),
    user: pick(payload.user, ["accountId"]),
  };
}

function unauthorized(message: string): DomainError {
  return new DomainError("unauthorized", message);
}

function parse(rawBody: Uint8Array): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(rawBody),
    );
  } catch {
    throw invalid("The body is not valid JSON.");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) {
    throw invalid("The body must be a JSON object (a Jira webhook event).");
  }
  return payload as Record<string, unknown>;
}

/** The signed `timestamp` must be recent: a captured delivery cannot be replayed a day later. */
function checkFreshness(payload: Record<string, unknown>, now: number): void {
  const at = payload.timestamp;
  if (typeof at !== "number" || !Number.isFinite(at)) {
    throw new DomainError("invalid", "The delivery has no numeric `timestamp`.", [], {
      problemCode: "webhook_expired",
    });
  }
  if (now - at > WEBHOOK_MAX_AGE_MS) {
    throw new DomainError(
      "invalid",
      "The delivery is older than 24 hours; it is not applied.",
      [],
      {
        problemCode: "webhook_expired",
      },
    );
  }
}

/**
 * A Jira delivery: unknown instance → 404; missing or bad signature → 401 (counted, nothing
 * applied); malformed JSON or a stale timestamp → 400; an event we do not handle → 202, ignored;
 * otherwise durably queued for the instance's Durable Object.
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
  // An instance without a secret (created before secrets were mandatory) accepts nothing until
  // its owner rotates one in: an unsigned body could otherwise come from anyone.
  const secret = await webhookSecretOf(deps, scope);
  if (!secret || !signatureMatches(await hmacHex(secret, input.rawBody), input.signature)) {
    await deps.onRejected(input.instanceId);
    throw unauthorized(
      secret
        ? "The X-Hub-Signature does not match the body."
        : "This instance has no webhook secret; rotate one with POST /v1/instances/{id}/webhook-secret.",
    );
  }
  const payload = parse(input.rawBody);
  checkFreshness(payload, (deps.now ?? Date.now)());
  // The same signed event under a new identifier is the same event: dedupe on the body too.
  const eventKey = `body:${hex(await crypto.subtle.digest("SHA-256", input.rawBody))}`;
  const deliveryId = input.deliveryId?.slice(0, 200) || eventKey;
  const event = knownWebhookEvent(payload.webhookEvent);
  if (!event) {
    return { accepted: true as const, deliveryId };
  }
  const message: WebhookEventMessage = {
    type: "webhook",
    ...scope,
    deliveryId,
    eventKey,
    receivedAt: new Date().toISOString(),
    payload: essentials(payload, event),
  };
  await deps.enqueue(message);
  deps.applySoon(message);
  return { accepted: true as const, deliveryId };
}
